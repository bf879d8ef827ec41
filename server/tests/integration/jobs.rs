//! The job queue against real PostgreSQL: idempotency, retries after panics and timeouts, dead letters, a killed
//! graceful shutdown, NOTIFY wake-up, scheduled runs, tenant scoping.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use app::platform::{
    jobs::{EnqueueOptions, Enqueued, Job, enqueue},
    tenancy::TenantTx,
};
use serde::{Deserialize, Serialize};
use server::{
    jobs::{Backoff, JobContext, JobError, JobHandler, JobSettings, Registry, Worker, WorkerSettings},
    test_support::{TestDatabase, create_tenant},
};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Probe {
    pub(crate) label: String,
}

impl Job for Probe {
    const KIND: &'static str = "test.probe";
}

/// What the probe does on a given attempt.
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    Succeed,
    PanicOnFirstAttempt,
    HangOnFirstAttempt,
    AlwaysFail,
    FailPermanently,
    /// Fails (permanently) only the job with this label.
    FailWhenLabelled(&'static str),
    /// Takes this long every time (for shutdown).
    Take(Duration),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    label: String,
    attempt: i32,
    /// The tenant the transaction was scoped to, read back from PostgreSQL.
    scoped_to: Option<Uuid>,
}

#[derive(Clone)]
struct ProbeHandler {
    behaviour: Behaviour,
    timeout: Duration,
    batch: usize,
    runs: Arc<Mutex<Vec<Run>>>,
}

impl ProbeHandler {
    fn new(behaviour: Behaviour) -> Self {
        Self { behaviour, timeout: Duration::from_millis(500), batch: 1, runs: Arc::default() }
    }

    fn runs(&self) -> Vec<Run> {
        self.runs.lock().unwrap().clone()
    }
}

impl JobHandler for ProbeHandler {
    type Job = Probe;

    fn settings(&self) -> JobSettings {
        JobSettings {
            timeout: self.timeout,
            max_attempts: 3,
            backoff: Backoff { base: Duration::from_millis(20), max: Duration::from_millis(100) },
            batch: self.batch,
        }
    }

    async fn run(&self, job: Probe, context: &mut JobContext) -> Result<(), JobError> {
        let scoped_to: Option<Uuid> =
            sqlx::query_scalar("select current_tenant_id()").fetch_one(context.tx().await?.conn()).await?;
        self.runs.lock().unwrap().push(Run { label: job.label.clone(), attempt: context.attempt, scoped_to });
        // The job's work, in the job's transaction: kept only when the job finishes.
        sqlx::query("insert into audit_log (tenant_id, action, subject) values (current_tenant_id(), 'test.job', $1)")
            .bind(&job.label)
            .execute(context.tx().await?.conn())
            .await?;
        match self.behaviour {
            Behaviour::Succeed => Ok(()),
            Behaviour::PanicOnFirstAttempt if context.attempt == 1 => panic!("the probe panics"),
            Behaviour::HangOnFirstAttempt if context.attempt == 1 => {
                std::future::pending::<()>().await;
                Ok(())
            }
            Behaviour::PanicOnFirstAttempt | Behaviour::HangOnFirstAttempt => Ok(()),
            Behaviour::AlwaysFail => Err(JobError::retry("the probe always fails")),
            Behaviour::FailWhenLabelled(bad) if job.label == bad => Err(JobError::permanent("this one is bad")),
            Behaviour::FailWhenLabelled(_) => Ok(()),
            Behaviour::FailPermanently => Err(JobError::permanent("the probe cannot ever work")),
            Behaviour::Take(duration) => {
                tokio::time::sleep(duration).await;
                Ok(())
            }
        }
    }
}

pub(crate) fn fast_settings() -> WorkerSettings {
    WorkerSettings {
        concurrency: 4,
        batch: 8,
        poll_interval: Duration::from_millis(100),
        rescue_interval: Duration::from_millis(200),
        lease_margin: Duration::from_millis(200),
        shutdown_grace: Duration::from_secs(5),
        ..WorkerSettings::default()
    }
}

fn start(pool: &PgPool, handler: &ProbeHandler, settings: WorkerSettings) -> server::jobs::WorkerHandle {
    Worker::new(pool.clone(), Registry::new().register(handler.clone()), settings).spawn()
}

pub(crate) async fn put(pool: &PgPool, tenant_id: Uuid, label: &str, options: EnqueueOptions) -> Enqueued {
    let mut tx = TenantTx::begin(pool, tenant_id).await.unwrap();
    let enqueued = enqueue(&mut tx, &Probe { label: label.into() }, options).await.unwrap();
    tx.commit().await.unwrap();
    enqueued
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct JobRow {
    pub(crate) state: String,
    pub(crate) attempts: i32,
    pub(crate) last_error: Option<String>,
}

pub(crate) async fn job(pool: &PgPool, tenant_id: Uuid, id: Uuid) -> JobRow {
    let mut tx = TenantTx::begin(pool, tenant_id).await.unwrap();
    let row = sqlx::query_as("select state, attempts, last_error from jobs where id = $1")
        .bind(id)
        .fetch_one(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    row
}

/// Waits (bounded, so a broken queue fails instead of hanging) until the job reaches `state`.
pub(crate) async fn until_state(pool: &PgPool, tenant_id: Uuid, id: Uuid, state: &str) -> JobRow {
    for _ in 0..300 {
        let row = job(pool, tenant_id, id).await;
        if row.state == state {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} never reached {state}: {:?}", job(pool, tenant_id, id).await);
}

pub(crate) async fn work_kept(pool: &PgPool, tenant_id: Uuid) -> Vec<String> {
    let mut tx = TenantTx::begin(pool, tenant_id).await.unwrap();
    let labels = sqlx::query_scalar("select subject from audit_log where action = 'test.job' order by at")
        .fetch_all(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    labels
}

#[tokio::test]
async fn a_job_runs_once_in_its_tenants_transaction_and_a_duplicate_key_is_the_same_job() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let beta = create_tenant(&pool, "beta").await;

    let first = put(&pool, alfa, "matricula-1", EnqueueOptions::key("evt-1")).await;
    let again = put(&pool, alfa, "matricula-1", EnqueueOptions::key("evt-1")).await;
    assert!(matches!(first, Enqueued::New(_)));
    assert_eq!(again, Enqueued::Existing(first.id()));
    // The same key in another tenant is another job.
    let other = put(&pool, beta, "matricula-1", EnqueueOptions::key("evt-1")).await;
    assert!(matches!(other, Enqueued::New(id) if id != first.id()));

    let handler = ProbeHandler::new(Behaviour::Succeed);
    let worker = start(&pool, &handler, fast_settings());
    until_state(&pool, alfa, first.id(), "done").await;
    until_state(&pool, beta, other.id(), "done").await;
    // Enqueued again after it ran: still the same job, not a second run.
    assert_eq!(put(&pool, alfa, "matricula-1", EnqueueOptions::key("evt-1")).await, Enqueued::Existing(first.id()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    worker.shutdown().await;

    let mut runs = handler.runs();
    runs.sort_by_key(|run| run.scoped_to);
    let mut expected = vec![
        Run { label: "matricula-1".into(), attempt: 1, scoped_to: Some(alfa) },
        Run { label: "matricula-1".into(), attempt: 1, scoped_to: Some(beta) },
    ];
    expected.sort_by_key(|run| run.scoped_to);
    assert_eq!(runs, expected, "each job ran once, scoped to its own tenant");
    assert_eq!(work_kept(&pool, alfa).await, vec!["matricula-1"]);
    assert_eq!(work_kept(&pool, beta).await, vec!["matricula-1"]);
}

#[tokio::test]
async fn a_job_that_panics_is_retried_and_its_first_attempt_leaves_nothing() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let id = put(&pool, alfa, "panics-once", EnqueueOptions::default()).await.id();

    let handler = ProbeHandler::new(Behaviour::PanicOnFirstAttempt);
    let worker = start(&pool, &handler, fast_settings());
    let row = until_state(&pool, alfa, id, "done").await;
    worker.shutdown().await;

    assert_eq!(row.attempts, 2);
    assert_eq!(handler.runs().iter().map(|run| run.attempt).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(work_kept(&pool, alfa).await, vec!["panics-once"], "the panicked attempt's insert rolled back");
}

#[tokio::test]
async fn a_job_that_times_out_is_retried_and_not_lost() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let id = put(&pool, alfa, "hangs-once", EnqueueOptions::default()).await.id();

    let mut handler = ProbeHandler::new(Behaviour::HangOnFirstAttempt);
    handler.timeout = Duration::from_millis(200);
    let worker = start(&pool, &handler, fast_settings());
    let row = until_state(&pool, alfa, id, "done").await;
    worker.shutdown().await;

    assert_eq!(row.attempts, 2);
    assert_eq!(work_kept(&pool, alfa).await, vec!["hangs-once"]);
}

#[tokio::test]
async fn a_job_failing_every_time_ends_in_the_dead_letters_with_its_error_and_a_permanent_error_goes_at_once() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let id = put(&pool, alfa, "never-works", EnqueueOptions::default()).await.id();

    let handler = ProbeHandler::new(Behaviour::AlwaysFail);
    let worker = start(&pool, &handler, fast_settings());
    let row = until_state(&pool, alfa, id, "dead").await;
    worker.shutdown().await;
    assert_eq!(row.attempts, 3, "max_attempts of the kind");
    assert_eq!(row.last_error.as_deref(), Some("the probe always fails"));
    assert_eq!(handler.runs().len(), 3);
    assert!(work_kept(&pool, alfa).await.is_empty());

    let permanent = ProbeHandler::new(Behaviour::FailPermanently);
    let id = put(&pool, alfa, "hopeless", EnqueueOptions::default()).await.id();
    let worker = start(&pool, &permanent, fast_settings());
    let row = until_state(&pool, alfa, id, "dead").await;
    worker.shutdown().await;
    assert_eq!(row.attempts, 1);
    assert_eq!(permanent.runs().len(), 1);
}

#[tokio::test]
async fn shutdown_lets_short_jobs_finish_and_gives_long_ones_back_uncounted() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let id = put(&pool, alfa, "slow", EnqueueOptions::default()).await.id();

    let slow = ProbeHandler {
        timeout: Duration::from_secs(60),
        ..ProbeHandler::new(Behaviour::Take(Duration::from_secs(30)))
    };
    let worker = start(&pool, &slow, WorkerSettings { shutdown_grace: Duration::from_millis(300), ..fast_settings() });
    until_state(&pool, alfa, id, "running").await;
    worker.shutdown().await;
    let row = job(&pool, alfa, id).await;
    assert_eq!((row.state.as_str(), row.attempts), ("queued", 0), "released, the attempt not counted");

    let quick = ProbeHandler::new(Behaviour::Take(Duration::from_millis(300)));
    let worker = start(&pool, &quick, WorkerSettings { shutdown_grace: Duration::from_secs(10), ..fast_settings() });
    until_state(&pool, alfa, id, "running").await;
    worker.shutdown().await;
    assert_eq!(job(&pool, alfa, id).await.state, "done", "a job inside the grace period finishes");
}

#[tokio::test]
async fn a_notification_wakes_an_idle_worker_without_waiting_for_the_poll() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let handler = ProbeHandler::new(Behaviour::Succeed);
    // Polling once a minute: only NOTIFY can start the job within the bounded wait below.
    let worker = start(
        &pool,
        &handler,
        WorkerSettings {
            poll_interval: Duration::from_secs(60),
            rescue_interval: Duration::from_secs(60),
            ..fast_settings()
        },
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let id = put(&pool, alfa, "wake-up", EnqueueOptions::default()).await.id();
    until_state(&pool, alfa, id, "done").await;
    worker.shutdown().await;
}

#[tokio::test]
async fn a_scheduled_job_waits_for_its_time() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let later = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    let id = put(&pool, alfa, "later", EnqueueOptions::default().at(later)).await.id();
    let handler = ProbeHandler::new(Behaviour::Succeed);
    let worker = start(&pool, &handler, fast_settings());
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(job(&pool, alfa, id).await.state, "queued", "not before its time");
    until_state(&pool, alfa, id, "done").await;
    worker.shutdown().await;
    assert!(chrono::Utc::now() >= later);
}

#[tokio::test]
async fn a_tenant_sees_only_its_own_jobs() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let beta = create_tenant(&pool, "beta").await;
    put(&pool, alfa, "a", EnqueueOptions::default()).await;
    put(&pool, beta, "b", EnqueueOptions::default()).await;
    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let tenants: Vec<Uuid> = sqlx::query_scalar("select tenant_id from jobs").fetch_all(tx.conn()).await.unwrap();
    assert_eq!(tenants, vec![alfa]);
    // Enqueueing for another tenant from inside this one is refused by the policy.
    let forged =
        sqlx::query("insert into jobs (tenant_id, kind) values ($1, 'test.probe')").bind(beta).execute(tx.conn()).await;
    assert!(forged.is_err());
    drop(tx);
    // Outside any tenant, nothing at all.
    let count: i64 = sqlx::query_scalar("select count(*) from jobs").fetch_one(&pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_batch_with_one_failing_job_rolls_back_and_runs_the_others_alone_once() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let labels = ["um", "dois", "ruim", "quatro", "cinco"];
    let mut ids = Vec::new();
    for label in labels {
        ids.push(put(&pool, alfa, label, EnqueueOptions::default()).await.id());
    }
    let handler = ProbeHandler { batch: 8, ..ProbeHandler::new(Behaviour::FailWhenLabelled("ruim")) };
    let worker = start(&pool, &handler, fast_settings());
    for (label, id) in labels.iter().zip(&ids) {
        let row = until_state(&pool, alfa, *id, if *label == "ruim" { "dead" } else { "done" }).await;
        assert_eq!(row.attempts, 1, "{label}: only charged once");
    }
    worker.shutdown().await;
    let mut kept = work_kept(&pool, alfa).await;
    kept.sort();
    assert_eq!(kept, vec!["cinco", "dois", "quatro", "um"], "each good job's work exactly once, none of the bad one's");
    assert!(handler.runs().len() > labels.len(), "the batch ran first, then the jobs alone");
}

#[tokio::test]
async fn failing_jobs_publish_the_pages_counts_live_at_most_once_a_second() {
    use app::platform::live::{Event, ServerMessage};
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = create_tenant(&pool, "alfa").await;
    let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await.unwrap();
    listener.listen(app::platform::live::publish::CHANNEL).await.unwrap();
    let mut ids = Vec::new();
    for label in ["one", "two", "three", "four"] {
        ids.push(put(&pool, alfa, label, EnqueueOptions::default()).await.id());
    }

    let started = std::time::Instant::now();
    let handler = ProbeHandler::new(Behaviour::AlwaysFail);
    let worker = start(&pool, &handler, fast_settings());
    for id in &ids {
        until_state(&pool, alfa, *id, "dead").await;
    }
    // The page's counts arrive on the tenant's `jobs` topic; the last says all four gave up.
    let prefix = format!("{alfa} jobs ");
    let mut events = Vec::new();
    loop {
        let notice = tokio::time::timeout(Duration::from_secs(5), listener.recv())
            .await
            .expect("the jobs page's counts are published within 5 s")
            .unwrap();
        let Some(wire) = notice.payload().strip_prefix(&prefix) else { continue };
        let Ok(ServerMessage::Event { event: Event::JobCounts { dead, retrying }, .. }) = serde_json::from_str(wire)
        else {
            panic!("not a counts event: {wire}");
        };
        events.push((dead, retrying));
        if (dead, retrying) == (4, 0) {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    worker.shutdown().await;
    assert_eq!(handler.runs().len(), 12, "four jobs, three attempts each");
    // Twelve failures, coalesced: at most one event per second the burst lasted (plus the one that closes it).
    assert!(events.len() as f64 <= elapsed.ceil() + 1.0, "{} events in {elapsed:.1} s: {events:?}", events.len());
}
