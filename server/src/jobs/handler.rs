//! What a job handler is: a typed job in, its tenant's transaction to work in, success or a retryable or
//! permanent error out.

use std::{future::Future, time::Duration};

use app::platform::{jobs::Job, tenancy::TenantTx};
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
pub struct JobContext {
    pub(super) tx: TenantTx,
    pub job_id: Uuid,
    pub tenant_id: Uuid,
    /// 1 on the first try.
    pub attempt: i32,
    pub max_attempts: i32,
}

impl JobContext {
    /// The tenant-scoped transaction the job works in. Do not commit it: the worker does, after marking the job
    /// done, so a job whose lease was lost to another worker rolls its work back.
    pub fn tx(&mut self) -> &mut TenantTx {
        &mut self.tx
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
