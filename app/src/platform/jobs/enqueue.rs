//! Putting work on the queue. Enqueueing runs inside the caller's `TenantTx`, so the job exists exactly when the
//! change that asked for it commits (a webhook event and the job that processes it, a payment and its receipt
//! e-mail): no job for a rolled-back change, no change without its job.

use chrono::{DateTime, Utc};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use crate::platform::tenancy::TenantTx;

/// A typed job: its payload is this value as JSON, and `KIND` names the handler that runs it
/// (lower-case words separated by dots, e.g. `asaas.webhook_event`).
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    const KIND: &'static str;
}

/// How to enqueue: all optional.
#[derive(Debug, Clone, Default)]
pub struct EnqueueOptions {
    /// The same key for the same kind in the same tenant is one job, however often it is enqueued (a redelivered
    /// webhook, a double click). Without a key every enqueue is a new job.
    pub idempotency_key: Option<String>,
    /// Not before this instant (a reminder, a retry the caller schedules). Default: now.
    pub run_at: Option<DateTime<Utc>>,
    /// Overrides the kind's default number of attempts before the job goes to the dead letters.
    pub max_attempts: Option<i32>,
}

impl EnqueueOptions {
    pub fn key(key: impl Into<String>) -> Self {
        Self { idempotency_key: Some(key.into()), ..Self::default() }
    }

    pub fn at(mut self, run_at: DateTime<Utc>) -> Self {
        self.run_at = Some(run_at);
        self
    }

    pub fn attempts(mut self, max_attempts: i32) -> Self {
        self.max_attempts = Some(max_attempts);
        self
    }
}

/// What enqueueing did: a new job, or the job already enqueued under the same idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    New(Uuid),
    Existing(Uuid),
}

impl Enqueued {
    pub fn id(self) -> Uuid {
        match self {
            Self::New(id) | Self::Existing(id) => id,
        }
    }
}

/// Enqueues a typed job for the transaction's tenant; it becomes visible to workers when `tx` commits.
pub async fn enqueue<J: Job>(tx: &mut TenantTx, job: &J, options: EnqueueOptions) -> Result<Enqueued, sqlx::Error> {
    let payload = serde_json::to_value(job).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    enqueue_json(tx, J::KIND, payload, options).await
}

/// The untyped form, for callers that hold a kind and payload already (the backoffice, tests).
pub async fn enqueue_json(
    tx: &mut TenantTx,
    kind: &str,
    payload: serde_json::Value,
    options: EnqueueOptions,
) -> Result<Enqueued, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    let inserted: Option<Uuid> = sqlx::query_scalar(
        "insert into jobs (tenant_id, kind, payload, idempotency_key, run_at, max_attempts)
         values ($1, $2, $3, $4, coalesce($5, now()), $6)
         on conflict (tenant_id, kind, idempotency_key) do nothing
         returning id",
    )
    .bind(tenant_id)
    .bind(kind)
    .bind(&payload)
    .bind(options.idempotency_key.as_deref())
    .bind(options.run_at)
    .bind(options.max_attempts)
    .fetch_optional(tx.conn())
    .await?;
    if let Some(id) = inserted {
        return Ok(Enqueued::New(id));
    }
    // Only reachable with a key: without one there is nothing to conflict on.
    let existing: Uuid =
        sqlx::query_scalar("select id from jobs where tenant_id = $1 and kind = $2 and idempotency_key = $3")
            .bind(tenant_id)
            .bind(kind)
            .bind(options.idempotency_key.as_deref())
            .fetch_one(tx.conn())
            .await?;
    Ok(Enqueued::Existing(existing))
}
