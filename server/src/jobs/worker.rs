//! The worker loop: claim, run, finish; wake on NOTIFY, poll as a fallback; rescue the jobs of dead workers and
//! expired leases; stop cleanly.
//!
//! A claim takes at most as many groups (a job alone, or jobs of one tenant sharing a transaction) as the worker has
//! free slots, so it never has more transactions open than its concurrency. Each claim has its own token: the
//! job's `locked_by`, which fences every later change of the job (done, failed, released), so an attempt that
//! outlived its lease can never touch a newer claim of the same job.

use std::{
    collections::{HashMap, HashSet},
    panic::AssertUnwindSafe,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::platform::tenancy::TenantTx;
use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use sqlx::{PgPool, postgres::PgListener};
use tokio::{sync::watch, task::JoinSet};
use uuid::Uuid;

use super::{JobContext, JobError, Registry, live_counts::CountsChanged, liveness::Liveness, registry::ErasedHandler};

pub const CHANNEL: &str = "atrium_jobs";

/// The jobs this worker is running, each with the claim it runs under: what a stop gives back.
type InFlight = Arc<Mutex<HashSet<(Uuid, Uuid)>>>;

#[derive(Debug, Clone, Copy)]
pub struct WorkerSettings {
    /// Jobs run at once by this worker.
    pub concurrency: usize,
    /// Most jobs claimed in one round trip.
    pub batch: i32,
    /// How often to look for work without a notification: scheduled jobs and retries come due this way.
    pub poll_interval: Duration,
    /// How often to give back the jobs of dead workers (noticed by their liveness lock) and of expired leases (hung
    /// workers): a few seconds, so a killed process's jobs run again soon.
    pub rescue_interval: Duration,
    /// How often to prune old finished jobs and refresh the depth metrics.
    pub housekeeping_interval: Duration,
    /// Added to what a claim may run (its jobs' timeouts) for its lease, so a slow but live attempt is never
    /// rescued under its feet.
    pub lease_margin: Duration,
    /// On shutdown, how long running jobs may take to finish before they are given back to the queue.
    pub shutdown_grace: Duration,
    /// Finished jobs (and their idempotency keys) are kept this long.
    pub keep_finished: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            concurrency: 16,
            batch: 64,
            poll_interval: Duration::from_secs(1),
            rescue_interval: Duration::from_secs(2),
            housekeeping_interval: Duration::from_secs(15),
            lease_margin: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
            keep_finished: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// Kinds claimed together, with what `jobs_claim` needs per kind.
#[derive(Debug, Default)]
struct Partition {
    kinds: Vec<String>,
    timeouts_ms: Vec<i32>,
    /// How many jobs of one tenant may share a transaction (1: each alone).
    group_sizes: Vec<i32>,
    max_attempts: Vec<i32>,
    /// The largest batch among these kinds: how many jobs one free slot can take.
    group: usize,
}

/// A claimed job, as `jobs_claim` returns it.
#[derive(Debug, sqlx::FromRow)]
struct ClaimedJob {
    id: Uuid,
    /// The claim's token: this attempt may change the job only while it is still the job's `locked_by`.
    claim: Uuid,
    tenant_id: Uuid,
    kind: String,
    payload: serde_json::Value,
    attempts: i32,
    max_attempts: i32,
    created_at: DateTime<Utc>,
    run_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct Worker {
    pool: PgPool,
    registry: Arc<Registry>,
    settings: WorkerSettings,
}

/// A running worker. `shutdown` stops it cleanly; dropping the handle leaves it running.
#[derive(Debug)]
pub struct WorkerHandle {
    pub id: Uuid,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl WorkerHandle {
    /// Stops claiming, lets running jobs finish within the grace period and gives the rest back to the queue.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Stops at once, as if the process were killed: running jobs are abandoned mid-way (their transactions roll
    /// back) and the liveness lock goes with the worker, so another worker's next rescue gives them back.
    pub fn kill(self) {
        self.task.abort();
    }
}

impl Worker {
    pub fn new(pool: PgPool, registry: Registry, settings: WorkerSettings) -> Self {
        Self { pool, registry: Arc::new(registry), settings }
    }

    pub fn spawn(self) -> WorkerHandle {
        let id = Uuid::now_v7();
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(self.run(id, stopped));
        WorkerHandle { id, stop, task }
    }

    async fn run(self, worker_id: Uuid, mut stopped: watch::Receiver<bool>) {
        let (solo, batched) = self.partitions();
        let kinds: Vec<&str> = solo.kinds.iter().chain(&batched.kinds).map(String::as_str).collect();
        tracing::info!(%worker_id, ?kinds, concurrency = self.settings.concurrency, "job worker started");
        // Alive before anything is claimed: every job this worker claims names it, and a rescuer judges it by this.
        let mut liveness = Liveness::new(worker_id);
        liveness.ensure(&self.pool).await;
        let mut listener = listen(&self.pool).await;
        let in_flight: InFlight = Arc::default();
        let mut running = JoinSet::new();
        let mut periodic = JoinSet::new();
        let started = Instant::now();
        let mut last_tick: Vec<Instant> = self.registry.periodic.iter().map(|_| started).collect();
        let mut last_rescue = started.checked_sub(self.settings.rescue_interval).unwrap_or(started);
        let mut last_housekeeping = started.checked_sub(self.settings.housekeeping_interval).unwrap_or(started);
        let counts = CountsChanged::default();
        let mut last_counts = started;

        while !*stopped.borrow() {
            if last_rescue.elapsed() >= self.settings.rescue_interval {
                last_rescue = Instant::now();
                liveness.check().await;
                self.rescue().await;
            }
            if last_housekeeping.elapsed() >= self.settings.housekeeping_interval {
                last_housekeeping = Instant::now();
                self.housekeeping().await;
            }
            for (index, periodic_task) in self.registry.periodic.iter().enumerate() {
                if last_tick[index].elapsed() >= periodic_task.every {
                    last_tick[index] = Instant::now();
                    let (name, task, pool) = (periodic_task.name, periodic_task.task.clone(), self.pool.clone());
                    periodic.spawn(async move {
                        if let Err(error) = task(pool).await {
                            tracing::warn!(task = name, %error, "periodic task failed; it runs again next period");
                        }
                    });
                }
            }
            if last_counts.elapsed() >= super::live_counts::EVERY {
                last_counts = Instant::now();
                let (counts, pool) = (counts.clone(), self.pool.clone());
                periodic.spawn(async move { counts.publish(&pool).await });
            }
            while periodic.try_join_next().is_some() {}

            let mut claimed_all = false;
            let alive = liveness.ensure(&self.pool).await;
            for partition in [&solo, &batched] {
                let free = self.settings.concurrency.saturating_sub(running.len());
                if !alive || free == 0 || partition.kinds.is_empty() {
                    continue;
                }
                let limit =
                    i32::try_from(free.saturating_mul(partition.group)).unwrap_or(i32::MAX).min(self.settings.batch);
                let groups = i32::try_from(free).unwrap_or(i32::MAX);
                match self.claim(worker_id, partition, limit, groups).await {
                    Ok(jobs) => {
                        claimed_all |= i32::try_from(jobs.len()).unwrap_or(i32::MAX) == limit;
                        for (handler, group) in self.plan(jobs) {
                            lock(&in_flight).extend(group.iter().map(|job| (job.id, job.claim)));
                            running.spawn(run_group(
                                self.pool.clone(),
                                handler,
                                group,
                                in_flight.clone(),
                                counts.clone(),
                            ));
                        }
                    }
                    Err(error) => tracing::warn!(%error, "could not claim jobs; trying again shortly"),
                }
            }
            if claimed_all && running.len() < self.settings.concurrency {
                continue;
            }
            tokio::select! {
                notified = recv(&mut listener) => {
                    if !notified {
                        tokio::time::sleep(self.settings.poll_interval).await;
                    }
                }
                Some(_) = running.join_next(), if !running.is_empty() => {}
                () = tokio::time::sleep(self.settings.poll_interval) => {}
                _ = stopped.changed() => {}
            }
            while running.try_join_next().is_some() {}
        }

        self.stop(worker_id, running, in_flight).await;
        liveness.release().await;
        periodic.abort_all();
    }

    async fn stop(&self, worker_id: Uuid, mut running: JoinSet<()>, in_flight: InFlight) {
        tracing::info!(%worker_id, running = running.len(), "job worker stopping; letting running jobs finish");
        let drained =
            tokio::time::timeout(self.settings.shutdown_grace, async { while running.join_next().await.is_some() {} })
                .await;
        if drained.is_err() {
            running.abort_all();
            while running.join_next().await.is_some() {}
        }
        let (unfinished, claims): (Vec<Uuid>, Vec<Uuid>) = lock(&in_flight).drain().unzip();
        if !unfinished.is_empty() {
            match sqlx::query_scalar::<_, i32>("select jobs_release($1, $2)")
                .bind(&unfinished)
                .bind(&claims)
                .fetch_one(&self.pool)
                .await
            {
                Ok(released) => tracing::info!(released, "gave unfinished jobs back to the queue"),
                Err(error) => tracing::warn!(%error, "could not release unfinished jobs; their leases will expire"),
            }
            metrics::counter!("jobs_released_total").increment(unfinished.len() as u64);
        }
        tracing::info!(%worker_id, "job worker stopped");
    }

    /// Kinds run one job per transaction, and kinds that may share a transaction (claimed with a larger limit).
    fn partitions(&self) -> (Partition, Partition) {
        let mut solo = Partition { group: 1, ..Partition::default() };
        let mut batched = Partition::default();
        for kind in self.registry.kinds() {
            let Some(handler) = self.registry.handler(kind) else { continue };
            let settings = handler.settings();
            let partition = if settings.batch > 1 { &mut batched } else { &mut solo };
            partition.group = partition.group.max(settings.batch);
            partition.kinds.push(kind.to_owned());
            partition.timeouts_ms.push(i32::try_from(settings.timeout.as_millis()).unwrap_or(i32::MAX));
            partition.group_sizes.push(i32::try_from(settings.batch.max(1)).unwrap_or(i32::MAX));
            partition.max_attempts.push(settings.max_attempts);
        }
        (solo, batched)
    }

    /// Claims at most `groups` groups out of the first `limit` ready jobs of the partition's kinds, under a new
    /// claim token.
    async fn claim(
        &self,
        worker_id: Uuid,
        partition: &Partition,
        limit: i32,
        groups: i32,
    ) -> Result<Vec<ClaimedJob>, sqlx::Error> {
        sqlx::query_as(
            "select id, locked_by as claim, tenant_id, kind, payload, attempts, max_attempts, created_at, run_at
               from jobs_claim($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(worker_id)
        .bind(Uuid::now_v7())
        .bind(&partition.kinds)
        .bind(&partition.timeouts_ms)
        .bind(&partition.group_sizes)
        .bind(&partition.max_attempts)
        .bind(i32::try_from(self.settings.lease_margin.as_millis()).unwrap_or(i32::MAX))
        .bind(limit)
        .bind(groups)
        .fetch_all(&self.pool)
        .await
    }

    /// Splits claimed jobs into what each task runs: batchable kinds grouped by tenant and kind (up to the kind's
    /// batch size), everything else alone — the same groups `jobs_claim` counted.
    fn plan(&self, jobs: Vec<ClaimedJob>) -> Vec<(Arc<dyn ErasedHandler>, Vec<ClaimedJob>)> {
        let mut groups: Vec<(Arc<dyn ErasedHandler>, Vec<ClaimedJob>)> = Vec::new();
        let mut open: HashMap<(Uuid, String), usize> = HashMap::new();
        for job in jobs {
            let Some(handler) = self.registry.handler(&job.kind) else { continue };
            if job.attempts == 1 {
                let waited = (Utc::now() - job.run_at.max(job.created_at)).to_std().unwrap_or_default();
                metrics::histogram!("job_start_delay_seconds", "kind" => job.kind.clone()).record(waited.as_secs_f64());
            }
            let size = handler.settings().batch.max(1);
            let key = (job.tenant_id, job.kind.clone());
            match open.get(&key) {
                Some(&index) if size > 1 && groups[index].1.len() < size => groups[index].1.push(job),
                _ => {
                    if size > 1 {
                        open.insert(key, groups.len());
                    }
                    groups.push((handler, vec![job]));
                }
            }
        }
        groups
    }

    /// Jobs of dead workers and expired leases back to the queue.
    async fn rescue(&self) {
        match sqlx::query_scalar::<_, i32>("select jobs_rescue_abandoned()").fetch_one(&self.pool).await {
            Ok(0) => {}
            Ok(rescued) => tracing::warn!(rescued, "jobs whose worker stopped mid-way are back in the queue"),
            Err(error) => tracing::warn!(%error, "could not rescue abandoned jobs"),
        }
    }

    /// Old finished jobs pruned, depth gauges refreshed.
    async fn housekeeping(&self) {
        let keep = format!("{} seconds", self.settings.keep_finished.as_secs());
        if let Err(error) = sqlx::query("select jobs_prune_finished($1::interval)").bind(keep).execute(&self.pool).await
        {
            tracing::warn!(%error, "could not prune finished jobs");
        }
        match sqlx::query_as::<_, (String, String, i64)>("select kind, state, jobs from jobs_depth()")
            .fetch_all(&self.pool)
            .await
        {
            Ok(rows) => {
                for (kind, state, jobs) in rows {
                    metrics::gauge!("jobs_depth", "kind" => kind, "state" => state).set(jobs as f64);
                }
            }
            Err(error) => tracing::warn!(%error, "could not read the queue depth"),
        }
    }
}

fn lock(set: &Mutex<HashSet<(Uuid, Uuid)>>) -> std::sync::MutexGuard<'_, HashSet<(Uuid, Uuid)>> {
    set.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn listen(pool: &PgPool) -> Option<PgListener> {
    let mut listener = match PgListener::connect_with(pool).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%error, "cannot listen for new jobs; polling only");
            return None;
        }
    };
    match listener.listen(CHANNEL).await {
        Ok(()) => Some(listener),
        Err(error) => {
            tracing::warn!(%error, "cannot listen for new jobs; polling only");
            None
        }
    }
}

/// Waits for a notification; false when listening is not possible (the caller then polls).
async fn recv(listener: &mut Option<PgListener>) -> bool {
    match listener {
        Some(listener) => match listener.recv().await {
            Ok(_) => true,
            Err(error) => {
                tracing::warn!(%error, "job notifications interrupted; reconnecting");
                false
            }
        },
        None => std::future::pending().await,
    }
}

/// A claimed group: several jobs in one transaction when the kind allows it, and alone when that fails.
async fn run_group(
    pool: PgPool,
    handler: Arc<dyn ErasedHandler>,
    jobs: Vec<ClaimedJob>,
    in_flight: InFlight,
    counts: CountsChanged,
) {
    if jobs.len() > 1 {
        let started = Instant::now();
        match run_batch(&pool, handler.as_ref(), &jobs).await {
            Ok(()) => {
                let kind = jobs[0].kind.clone();
                let each = started.elapsed().as_secs_f64() / jobs.len() as f64;
                for job in &jobs {
                    metrics::histogram!("job_duration_seconds", "kind" => kind.clone()).record(each);
                    lock(&in_flight).remove(&(job.id, job.claim));
                }
                metrics::counter!("jobs_finished_total", "kind" => kind, "outcome" => "done")
                    .increment(jobs.len() as u64);
                if jobs.iter().any(|job| job.attempts > 1) {
                    counts.mark(jobs[0].tenant_id);
                }
                return;
            }
            Err(reason) => {
                tracing::debug!(%reason, jobs = jobs.len(), "batch rolled back; running its jobs one by one")
            }
        }
    }
    for job in jobs {
        attempt(pool.clone(), handler.clone(), job, in_flight.clone(), &counts).await;
    }
}

/// Runs every job of the group in one tenant transaction and marks them all done in it; any failure rolls the
/// whole batch back (the caller then runs each alone).
async fn run_batch(pool: &PgPool, handler: &dyn ErasedHandler, jobs: &[ClaimedJob]) -> Result<(), String> {
    let first = jobs.first().ok_or("empty batch")?;
    let timeout = handler.settings().timeout;
    let mut context = JobContext::new(pool, first.id, first.tenant_id, first.attempts, first.max_attempts);
    for job in jobs {
        context.job_id = job.id;
        context.attempt = job.attempts;
        context.max_attempts = job.max_attempts;
        let run = AssertUnwindSafe(tokio::time::timeout(timeout, handler.run(job.payload.clone(), &mut context)))
            .catch_unwind()
            .await;
        match run {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(error))) => return Err(error.to_string()),
            Ok(Err(_)) => return Err("timed out".into()),
            Err(_) => return Err("panicked".into()),
        }
    }
    let (ids, claims): (Vec<Uuid>, Vec<Uuid>) = jobs.iter().map(|job| (job.id, job.claim)).unzip();
    let marked = sqlx::query(
        "update jobs set state = 'done', finished_at = now(), locked_by = null, worker_id = null, locked_until = null,
                last_error = null
          where state = 'running' and (id, locked_by) in (select * from unnest($1::uuid[], $2::uuid[]))",
    )
    .bind(&ids)
    .bind(&claims)
    .execute(context.tx().await.map_err(|error| error.to_string())?.conn())
    .await
    .map_err(|error| error.to_string())?;
    if marked.rows_affected() != ids.len() as u64 {
        return Err("a lease was lost".into());
    }
    let tx = context.tx.take().ok_or("the batch transaction is gone")?;
    tx.commit().await.map_err(|error| error.to_string())
}

/// One attempt, start to finish: run in the tenant's transaction under the kind's timeout, catching panics; then
/// mark the job done in that transaction, or record the failure.
async fn attempt(
    pool: PgPool,
    handler: Arc<dyn ErasedHandler>,
    job: ClaimedJob,
    in_flight: InFlight,
    counts: &CountsChanged,
) {
    let settings = handler.settings();
    let kind = job.kind.clone();
    let started = Instant::now();
    let run = AssertUnwindSafe(run_in_tenant(&pool, handler.as_ref(), &job, settings.timeout)).catch_unwind().await;
    let outcome = match run {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(error),
        Err(panic) => Err(JobError::Retry(format!("panic: {}", panic_message(panic.as_ref())))),
    };
    metrics::histogram!("job_duration_seconds", "kind" => kind.clone()).record(started.elapsed().as_secs_f64());
    let label = match &outcome {
        Ok(()) => "done",
        Err(error) => match record_failure(&pool, &job, error, settings.backoff).await {
            Ok(Some(true)) => "dead",
            Ok(Some(false)) => "retry",
            Ok(None) => "stale",
            Err(db_error) => {
                tracing::warn!(job_id = %job.id, %db_error, "could not record a failed attempt; the lease will expire");
                "unrecorded"
            }
        },
    };
    metrics::counter!("jobs_finished_total", "kind" => kind, "outcome" => label).increment(1);
    // The page counts retrying and dead jobs: a failure changes them, and so does the success of a retry.
    if matches!(label, "dead" | "retry") || job.attempts > 1 {
        counts.mark(job.tenant_id);
    }
    lock(&in_flight).remove(&(job.id, job.claim));
}

async fn run_in_tenant(
    pool: &PgPool,
    handler: &dyn ErasedHandler,
    job: &ClaimedJob,
    timeout: Duration,
) -> Result<(), JobError> {
    let mut context = JobContext::new(pool, job.id, job.tenant_id, job.attempts, job.max_attempts);
    match tokio::time::timeout(timeout, handler.run(job.payload.clone(), &mut context)).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return Err(error),
        Err(_) => return Err(JobError::Retry(format!("timed out after {} s", timeout.as_secs_f64()))),
    }
    // Done in the same transaction as the work, and only while this attempt's claim still holds the job: a job that
    // was rescued and claimed again meanwhile (by any worker, this one included) rolls this attempt's work back.
    let marked = sqlx::query(
        "update jobs set state = 'done', finished_at = now(), locked_by = null, worker_id = null, locked_until = null,
                last_error = null
          where id = $1 and locked_by = $2 and state = 'running'",
    )
    .bind(job.id)
    .bind(job.claim)
    .execute(context.tx().await?.conn())
    .await?;
    if marked.rows_affected() == 0 {
        return Err(JobError::Retry("the lease was lost before the job finished; its work was rolled back".into()));
    }
    if let Some(tx) = context.tx.take() {
        tx.commit().await?;
    }
    Ok(())
}

/// Schedules the next try with backoff, or moves the job to the dead letters: whether it is now dead, or None when
/// the attempt's claim no longer holds the job (it was rescued and claimed again; that claim decides).
async fn record_failure(
    pool: &PgPool,
    job: &ClaimedJob,
    error: &JobError,
    backoff: super::Backoff,
) -> Result<Option<bool>, sqlx::Error> {
    let dead = matches!(error, JobError::Permanent(_)) || job.attempts >= job.max_attempts;
    let delay = backoff.next_delay(job.attempts);
    let message: String = error.to_string().chars().take(2000).collect();
    let mut tx = TenantTx::begin(pool, job.tenant_id).await?;
    let recorded = sqlx::query(
        "update jobs
            set state = case when $3 then 'dead' else 'queued' end,
                run_at = now() + $4 * interval '1 millisecond',
                finished_at = case when $3 then now() end,
                last_error = $5, locked_by = null, worker_id = null, locked_until = null
          where id = $1 and locked_by = $2 and state = 'running'",
    )
    .bind(job.id)
    .bind(job.claim)
    .bind(dead)
    .bind(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX))
    .bind(&message)
    .execute(tx.conn())
    .await?;
    tx.commit().await?;
    if recorded.rows_affected() == 0 {
        tracing::info!(job_id = %job.id, kind = %job.kind, attempt = job.attempts, error = %message,
            "a stale attempt failed after its job was claimed again; the newer claim decides");
        return Ok(None);
    }
    if dead {
        tracing::error!(job_id = %job.id, kind = %job.kind, attempts = job.attempts, error = %message, "job is dead");
    } else {
        tracing::warn!(job_id = %job.id, kind = %job.kind, attempt = job.attempts, retry_in_secs = delay.as_secs_f64(),
            error = %message, "job failed; will retry");
    }
    Ok(Some(dead))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|message| (*message).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}
