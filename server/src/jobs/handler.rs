//! What a job handler is: a typed job in, its tenant's transaction to work in, success or a retryable or
//! permanent error out.

use std::{future::Future, time::Duration};

use app::platform::{jobs::Job, tenancy::TenantTx};
use sqlx::PgPool;
use uuid::Uuid;

use super::Backoff;

/// Per kind: how long one attempt may take, how often to try, and how to space the tries.
#[derive(Debug, Clone, Copy)]
pub struct JobSettings {
    /// An attempt still running after this is abandoned (its transaction rolled back) and counted as failed.
    pub timeout: Duration,
    /// Attempts before the job goes to the dead letters (an enqueue may override it per job).
    pub max_attempts: i32,
    pub backoff: Backoff,
    /// Up to this many ready jobs of one tenant run one after another in a single transaction, committed together
    /// (one BEGIN/COMMIT instead of N). If any of them fails, the whole batch rolls back and each job runs again
    /// alone, so only the failing one is charged an attempt. Keep 1 (no batching) for kinds with effects outside
    /// the database — a message sent by a batch-mate would be sent twice.
    pub batch: usize,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(30), max_attempts: 8, backoff: Backoff::default(), batch: 1 }
    }
}

/// Why an attempt failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another try later (a dependency down, a conflict, a timeout).
    #[error("{0}")]
    Retry(String),
    /// Will never succeed (a payload that does not parse, a referenced row that is gone): straight to the dead
    /// letters, where a person can look at it.
    #[error("{0}")]
    Permanent(String),
}

impl JobError {
    pub fn retry(message: impl std::fmt::Display) -> Self {
        Self::Retry(message.to_string())
    }

    pub fn permanent(message: impl std::fmt::Display) -> Self {
        Self::Permanent(message.to_string())
    }
}

impl From<sqlx::Error> for JobError {
    fn from(error: sqlx::Error) -> Self {
        Self::Retry(format!("database: {error}"))
    }
}

/// One attempt of one job: the tenant's transaction (the job is marked done in it, so the work and the
/// completion commit together), and facts about the job.
///
/// The transaction begins on first use, not before the handler runs: a job that calls an outside service does
/// that first (or between short transactions of its own, through `pool`), so no connection sits `idle in
/// transaction` while a slow provider answers.
pub struct JobContext {
    pub(super) pool: PgPool,
    pub(super) tx: Option<TenantTx>,
    pub job_id: Uuid,
    pub tenant_id: Uuid,
    /// 1 on the first try.
    pub attempt: i32,
    pub max_attempts: i32,
}

impl JobContext {
    pub(super) fn new(pool: &PgPool, job_id: Uuid, tenant_id: Uuid, attempt: i32, max_attempts: i32) -> Self {
        Self { pool: pool.clone(), tx: None, job_id, tenant_id, attempt, max_attempts }
    }

    /// The tenant-scoped transaction the job works in, begun now if it was not yet. Do not commit it: the worker
    /// does, after marking the job done, so a job whose lease was lost to another worker rolls its work back.
    /// Call no outside service while holding it.
    pub async fn tx(&mut self) -> Result<&mut TenantTx, sqlx::Error> {
        let tx = match self.tx.take() {
            Some(tx) => tx,
            None => TenantTx::begin(&self.pool, self.tenant_id).await?,
        };
        Ok(self.tx.insert(tx))
    }

    /// The pool, for short transactions of the job's own (`TenantTx::begin(context.pool(), context.tenant_id)`)
    /// around outside calls: what they commit stays even if the attempt later fails.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub fn is_last_attempt(&self) -> bool {
        self.attempt >= self.max_attempts
    }
}

/// Runs jobs of one kind. Handlers hold what they need (clients, the pool) themselves.
pub trait JobHandler: Send + Sync + 'static {
    type Job: Job;

    fn settings(&self) -> JobSettings {
        JobSettings::default()
    }

    fn run(&self, job: Self::Job, context: &mut JobContext) -> impl Future<Output = Result<(), JobError>> + Send;
}
