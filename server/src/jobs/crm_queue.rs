//! `crm.queue`: the safety net of the CRM queue. Leads are handed out at once when a consultant frees room,
//! switches "disponível" on or comes online; this job also does it every minute for each tenant with leads
//! waiting, for whatever those moments missed (a consultant's presence lapsing and coming back without a new
//! socket, a drain that failed). Keyed by the minute, so workers ticking together make one job per tenant.

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

pub const QUEUE_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DrainQueueJob {}

impl Job for DrainQueueJob {
    const KIND: &'static str = "crm.queue";
}

#[derive(Debug, Clone, Copy)]
pub struct DrainQueueHandler;

impl JobHandler for DrainQueueHandler {
    type Job = DrainQueueJob;

    async fn run(&self, _job: DrainQueueJob, context: &mut JobContext) -> Result<(), JobError> {
        let tx = context.tx().await?;
        let handed = app::crm::distribution::drain_queue(tx)
            .await
            .map_err(|error| JobError::retry(format!("handing out the CRM queue: {error:?}")))?;
        if handed > 0 {
            tracing::info!(tenant_id = %context.tenant_id, handed, "queued CRM leads handed out");
        }
        Ok(())
    }
}

/// Enqueues this minute's drain for every tenant with leads waiting.
pub async fn enqueue_drains(pool: PgPool) -> Result<(), String> {
    let tenants: Vec<Uuid> = sqlx::query_scalar("select crm_tenants_with_queued_leads()")
        .fetch_all(&pool)
        .await
        .map_err(|error| format!("listing tenants with queued leads: {error}"))?;
    let minute = Utc::now().format("%Y-%m-%dT%H:%M");
    for tenant_id in tenants {
        let enqueued = async {
            let mut tx = TenantTx::begin(&pool, tenant_id).await?;
            enqueue(&mut tx, &DrainQueueJob {}, EnqueueOptions::key(format!("minute:{minute}"))).await?;
            tx.commit().await
        };
        if let Err(error) = enqueued.await {
            tracing::warn!(%tenant_id, %error, "could not enqueue the CRM queue's drain");
        }
    }
    Ok(())
}
