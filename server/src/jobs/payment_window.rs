//! `enrollment.payment_window`: every 15 minutes, per tenant that takes payments (has Asaas), release the seats
//! whose payment window ended (`app::enrollment::payments::window::release_expired`: the PIX expired, or the
//! boleto's due date plus 3 business days passed). Keyed by the period, so workers ticking together make one job per
//! tenant and period; a rerun releases nothing twice (a released application no longer awaits payment).

use std::time::Duration;

use app::platform::{
    jobs::{EnqueueOptions, Job, enqueue},
    tenancy::TenantTx,
};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{JobContext, JobError, JobHandler};

/// How often expired windows are looked for: a seat is held at most this much longer than its window.
pub const PAYMENT_WINDOW_EVERY: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentWindowJob {
    /// The period (`PAYMENT_WINDOW_EVERY` slots since the epoch) the job belongs to: its idempotency key.
    pub bucket: i64,
}

impl Job for PaymentWindowJob {
    const KIND: &'static str = "enrollment.payment_window";
}

#[derive(Debug, Clone, Copy)]
pub struct PaymentWindowHandler;

impl JobHandler for PaymentWindowHandler {
    type Job = PaymentWindowJob;

    async fn run(&self, _job: PaymentWindowJob, context: &mut JobContext) -> Result<(), JobError> {
        let tx = context.tx().await?;
        let released = app::enrollment::payments::window::release_expired(tx, Utc::now())
            .await
            .map_err(|error| JobError::retry(format!("releasing expired payment windows: {error:?}")))?;
        if !released.is_empty() {
            tracing::info!(tenant_id = %context.tenant_id, released = released.len(), "payment windows ended");
        }
        Ok(())
    }
}

/// Enqueues this period's job for every tenant connected to Asaas (only they have enrollment charges).
pub async fn enqueue_payment_windows(pool: PgPool) -> Result<(), String> {
    let tenants: Vec<Uuid> = sqlx::query_scalar("select tenants_with_integration('asaas')")
        .fetch_all(&pool)
        .await
        .map_err(|error| format!("listing tenants for the payment windows: {error}"))?;
    let bucket = Utc::now().timestamp() / i64::try_from(PAYMENT_WINDOW_EVERY.as_secs()).unwrap_or(i64::MAX);
    for tenant_id in tenants {
        let enqueued = async {
            let mut tx = TenantTx::begin(&pool, tenant_id).await?;
            enqueue(&mut tx, &PaymentWindowJob { bucket }, EnqueueOptions::key(format!("period:{bucket}"))).await?;
            tx.commit().await
        };
        if let Err(error) = enqueued.await {
            tracing::warn!(%tenant_id, %error, "could not enqueue the payment window check");
        }
    }
    Ok(())
}
