//! Leases and limits of the job worker: a claim never starts more groups than the worker's concurrency, a lease
//! belongs to one claim (a stale attempt can neither finish, fail nor requeue a newer claim of its job), and the
//! jobs of a dead worker come back at once rather than when their leases run out.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use app::platform::{jobs::EnqueueOptions, tenancy::TenantTx};
use server::{
    config::Config,
    http::{self, HttpSettings},
    jobs::{Backoff, JobContext, JobError, JobHandler, JobSettings, Registry, Worker, WorkerHandle, WorkerSettings},
    serve,
    test_support::{TestDatabase, create_tenant},
};
use sqlx::PgPool;
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::jobs::{Probe, fast_settings, job, put, until_state, work_kept};

/// A probe whose attempts each wait at their own gate until the test opens it, then succeed or fail as told. Its
/// work (an audit row naming the attempt) says which attempt's transaction was kept.
#[derive(Clone)]
struct GatedProbe {
    gates: Arc<HashMap<i32, Arc<Semaphore>>>,
    failing: &'static [i32],
    /// Jobs of one tenant that may share a transaction.
    batch: usize,
    /// Attempts that reached their gate, in order.
    entered: Arc<Mutex<Vec<i32>>>,
}

impl GatedProbe {
    /// Attempts listed in `gated` wait at a gate; later attempts run straight through.
    fn new(gated: &[i32], failing: &'static [i32]) -> Self {
        let gates = gated.iter().map(|attempt| (*attempt, Arc::new(Semaphore::new(0)))).collect();
        Self { gates: Arc::new(gates), failing, batch: 1, entered: Arc::default() }
    }

    fn open(&self, attempt: i32) {
        self.open_for(attempt, 1);
    }

    /// Lets `runs` runs of `attempt` through (a batch passes its gate once per job).
    fn open_for(&self, attempt: i32, runs: usize) {
        self.gates[&attempt].add_permits(runs);
    }

    fn entered(&self) -> Vec<i32> {
        self.entered.lock().unwrap().clone()
    }

    /// Waits (bounded) until `attempt` is running and held at its gate.
    async fn until_entered(&self, attempt: i32) {
        for _ in 0..300 {
            if self.entered().contains(&attempt) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("attempt {attempt} never started; entered: {:?}", self.entered());
    }
}

impl JobHandler for GatedProbe {
    type Job = Probe;

    fn settings(&self) -> JobSettings {
        JobSettings {
            // Long: a lease here only ends when a test says so, or when its worker dies.
            timeout: Duration::from_secs(60),
            max_attempts: 5,
            backoff: Backoff { base: Duration::from_millis(20), max: Duration::from_millis(50) },
            batch: self.batch,
        }
    }

    async fn run(&self, job: Probe, context: &mut JobContext) -> Result<(), JobError> {
        let attempt = context.attempt;
        sqlx::query("insert into audit_log (tenant_id, action, subject) values (current_tenant_id(), 'test.job', $1)")
            .bind(format!("{}#{attempt}", job.label))
            .execute(context.tx().await?.conn())
            .await?;
        self.entered.lock().unwrap().push(attempt);
        if let Some(gate) = self.gates.get(&attempt) {
            let _permit = gate.acquire().await.map_err(JobError::retry)?;
        }
        if self.failing.contains(&attempt) {
            return Err(JobError::retry(format!("attempt {attempt} fails")));
        }
        Ok(())
    }
}

fn start(pool: &PgPool, handler: &GatedProbe, settings: WorkerSettings) -> WorkerHandle {
    Worker::new(pool.clone(), Registry::new().register(handler.clone()), settings).spawn()
}

/// What time passing would do: the job's lease runs out while its attempt still runs.
async fn expire_lease(pool: &PgPool, tenant_id: Uuid, id: Uuid) {
    let mut tx = TenantTx::begin(pool, tenant_id).await.unwrap();
    sqlx::query("update jobs set locked_until = now() - interval '1 second' where id = $1")
        .bind(id)
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_attempt_cannot_fail_or_requeue_a_newer_claim_of_the_same_job() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let id = put(&pool, alfa, "pix", EnqueueOptions::default()).await.id();

    // One worker: its own rescue hands the job to a new claim of the very same worker.
    let probe = GatedProbe::new(&[1, 2], &[1]);
    let worker = start(&pool, &probe, fast_settings());
    probe.until_entered(1).await;
    expire_lease(&pool, alfa, id).await;
    probe.until_entered(2).await;

    // The stale attempt fails while the newer claim runs: its failure must not touch the job.
    probe.open(1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let row = job(&pool, alfa, id).await;
    assert_eq!((row.state.as_str(), row.attempts), ("running", 2), "the newer claim still holds the job: {row:?}");

    probe.open(2);
    let row = until_state(&pool, alfa, id, "done").await;
    worker.shutdown().await;
    assert_eq!(row.attempts, 2, "no third attempt: {row:?}");
    assert_eq!(row.last_error, None);
    assert_eq!(probe.entered(), vec![1, 2]);
    assert_eq!(work_kept(&pool, alfa).await, vec!["pix#2"], "the newer claim's result stands");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_attempt_of_a_live_worker_is_refused_and_the_work_is_kept_once() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let id = put(&pool, alfa, "boleto", EnqueueOptions::default()).await.id();

    // Worker A runs attempt 1 and is held at the gate (alive, just slow); its lease runs out and worker B takes
    // the job as attempt 2, also held.
    let probe = GatedProbe::new(&[1, 2], &[]);
    let slow = start(&pool, &probe, WorkerSettings { concurrency: 1, ..fast_settings() });
    probe.until_entered(1).await;
    expire_lease(&pool, alfa, id).await;
    let rescuer = start(&pool, &probe, fast_settings());
    probe.until_entered(2).await;

    // Attempt 1 finishes its work while attempt 2 holds the job; shutting A down waits until A has tried to mark
    // it done (or record its failure). Both must be refused: the job is attempt 2's.
    probe.open(1);
    slow.shutdown().await;
    let row = job(&pool, alfa, id).await;
    assert_eq!((row.state.as_str(), row.attempts), ("running", 2), "the stale attempt was refused: {row:?}");

    probe.open(2);
    let row = until_state(&pool, alfa, id, "done").await;
    rescuer.shutdown().await;
    assert_eq!(row.attempts, 2);
    assert_eq!(work_kept(&pool, alfa).await, vec!["boleto#2"], "the work kept exactly once, from the live claim");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_batch_cannot_finish_the_jobs_of_a_newer_claim() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let ids = [
        put(&pool, alfa, "a", EnqueueOptions::default()).await.id(),
        put(&pool, alfa, "b", EnqueueOptions::default()).await.id(),
    ];

    // Worker A claims both jobs as one group (attempt 1, held); their leases run out and worker B claims them again.
    let probe = GatedProbe { batch: 8, ..GatedProbe::new(&[1, 2], &[]) };
    let slow = start(&pool, &probe, WorkerSettings { concurrency: 1, ..fast_settings() });
    probe.until_entered(1).await;
    for id in ids {
        expire_lease(&pool, alfa, id).await;
    }
    let rescuer = start(&pool, &probe, fast_settings());
    probe.until_entered(2).await;

    // A's batch (two jobs) and then each job alone (two more runs) finish while B holds the jobs: all refused.
    probe.open_for(1, 4);
    slow.shutdown().await;
    for id in ids {
        let row = job(&pool, alfa, id).await;
        assert_eq!((row.state.as_str(), row.attempts), ("running", 2), "the stale batch was refused: {row:?}");
    }

    probe.open_for(2, 2);
    for id in ids {
        assert_eq!(until_state(&pool, alfa, id, "done").await.attempts, 2);
    }
    rescuer.shutdown().await;
    let mut kept = work_kept(&pool, alfa).await;
    kept.sort();
    assert_eq!(kept, vec!["a#2", "b#2"], "each job's work once, from the live claim");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_workers_jobs_come_back_within_seconds_not_at_lease_expiry() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let id = put(&pool, alfa, "orphan", EnqueueOptions::default()).await.id();

    // The first worker takes the job (a 60 s lease) and dies mid-attempt.
    let probe = GatedProbe::new(&[1], &[]);
    let doomed = start(&pool, &probe, fast_settings());
    probe.until_entered(1).await;
    doomed.kill();

    let killed_at = Instant::now();
    let rescuer = start(&pool, &probe, fast_settings());
    let row = until_state(&pool, alfa, id, "done").await;
    let took = killed_at.elapsed();
    rescuer.shutdown().await;
    assert!(took < Duration::from_secs(10), "back within seconds, not after the 60 s lease: {took:?}");
    assert_eq!(row.attempts, 2, "the killed attempt counts");
    assert_eq!(probe.entered(), vec![1, 2]);
    assert_eq!(work_kept(&pool, alfa).await, vec!["orphan#2"], "nothing lost, nothing doubled");
}

/// A batchable kind that records how many of its transactions are open at once.
#[derive(Clone, Default)]
struct Counted {
    open: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
    runs: Arc<AtomicUsize>,
}

impl JobHandler for Counted {
    type Job = Probe;

    fn settings(&self) -> JobSettings {
        JobSettings { batch: 32, ..JobSettings::default() }
    }

    async fn run(&self, _job: Probe, context: &mut JobContext) -> Result<(), JobError> {
        let now = self.open.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        sqlx::query("select pg_sleep(0.3)").execute(context.tx().await?.conn()).await?;
        self.open.fetch_sub(1, Ordering::SeqCst);
        self.runs.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_runs_no_more_groups_than_its_concurrency_and_requests_still_get_connections() {
    let database = TestDatabase::create().await;
    let pool = server::database::runtime_pool(&database.app_url, 6).await.unwrap();
    let mut tenants = Vec::new();
    for index in 0..64 {
        let tenant_id = create_tenant(&pool, &format!("escola-{index}")).await;
        put(&pool, tenant_id, "evento", EnqueueOptions::default()).await;
        tenants.push(tenant_id);
    }

    // The real router over the same pool, so a readiness probe competes with the worker for connections.
    let config = Config::from_lookup(|_| None).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = serve::app_state(&config, pool.clone(), addr).await.unwrap();
    let router = http::router(state, HttpSettings::from_config(&config));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve::serve(
        listener,
        router,
        async move {
            let _ = stopped.await;
        },
        Duration::from_secs(1),
    ));

    // 64 tenants, one job each: 64 groups of one. Concurrency 4 must mean 4 transactions, whatever the batch.
    let counted = Counted::default();
    let worker = Worker::new(
        pool.clone(),
        Registry::new().register(counted.clone()),
        WorkerSettings { concurrency: 4, batch: 64, ..fast_settings() },
    )
    .spawn();
    let client = reqwest::Client::new();
    let mut slowest = Duration::ZERO;
    while counted.runs.load(Ordering::SeqCst) < 64 {
        let asked = Instant::now();
        let answer = client.get(format!("http://{addr}/readyz")).send().await.unwrap();
        assert_eq!(answer.status(), 200, "the readiness probe got a connection: {}", answer.text().await.unwrap());
        slowest = slowest.max(asked.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    worker.shutdown().await;
    let _ = stop.send(());
    let _ = server.await;
    let most = counted.most.load(Ordering::SeqCst);
    assert!(most <= 4, "{most} job transactions were open at once with concurrency 4");
    assert!(slowest < Duration::from_secs(1), "requests alongside the burst answered at once (slowest {slowest:?})");
}
