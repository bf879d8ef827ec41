//! `finance.recurring`: once a day per tenant with a running recurring rule, book its occurrences up to the horizon
//! (`app::finance::recurring::materialize`). The key is the day, so workers ticking together make one job per tenant
//! and day, and a rerun books nothing twice (each occurrence has its own source key).

use std::time::Duration;

use app::platform::{
    jobs::{EnqueueOptions, Job, enqueue},
    tenancy::TenantTx,
};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{JobContext, JobError, JobHandler};

/// How often the periodic task looks (the job itself is keyed by day: more ticks make no more jobs).
pub const RECURRING_EVERY: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecurringJob {
    /// The day occurrences are booked for (the horizon counts from it).
    pub day: NaiveDate,
}

impl Job for RecurringJob {
    const KIND: &'static str = "finance.recurring";
}

#[derive(Debug, Clone, Copy)]
pub struct RecurringHandler;

impl JobHandler for RecurringHandler {
    type Job = RecurringJob;

    async fn run(&self, job: RecurringJob, context: &mut JobContext) -> Result<(), JobError> {
        let tx = context.tx().await?;
        let booked = app::finance::recurring::materialize(tx, job.day)
            .await
            .map_err(|error| JobError::retry(format!("booking recurring occurrences: {error:?}")))?;
        tracing::info!(tenant_id = %context.tenant_id, booked, "recurring occurrences booked");
        Ok(())
    }
}

/// Enqueues today's job for every tenant with a running rule.
pub async fn enqueue_recurring(pool: PgPool) -> Result<(), String> {
    let tenants: Vec<Uuid> = sqlx::query_scalar("select tenants_with_recurring_rules()")
        .fetch_all(&pool)
        .await
        .map_err(|error| format!("listing tenants with recurring rules: {error}"))?;
    let day = Utc::now().date_naive();
    for tenant_id in tenants {
        let enqueued = async {
            let mut tx = TenantTx::begin(&pool, tenant_id).await?;
            enqueue(&mut tx, &RecurringJob { day }, EnqueueOptions::key(format!("day:{day}"))).await?;
            tx.commit().await
        };
        if let Err(error) = enqueued.await {
            tracing::warn!(%tenant_id, %error, "could not enqueue the recurring occurrences");
        }
    }
    Ok(())
}
