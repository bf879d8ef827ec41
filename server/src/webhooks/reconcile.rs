//! Job `asaas.reconcile`: webhooks can be lost (our outage longer than Asaas's retries, a paused queue), so every
//! period each tenant's payments that are not final yet are read back from Asaas and whatever changed goes
//! through the same state machine, under a synthetic event id `reconcile:<pass>:<charge>:<status>` (the pass is
//! the job's id: the same observation twice within a pass, a retried attempt say, is one history row, while a
//! status the charge *returns* to — PENDING → OVERDUE → PENDING, a refund request that is denied — is news to a
//! later pass and gets applied).
//!
//! No transaction is open while Asaas is asked: the list of charges is read in a short transaction of its own,
//! then each charge is asked about and its answer applied in its own short transaction. A slow or hanging Asaas
//! holds no pooled connection; what a pass applied before failing stays applied (re-applying is idempotent).
//!
//! Asaas unavailable (down, or its breaker open) ⇒ `JobError::retry`: the job tries again with backoff, and the
//! next period's job covers the same ground anyway.

use std::{sync::Arc, time::Duration};

use app::platform::{
    integrations::{
        payment_gateway::{Charge, GatewayAccount, GatewayError, PaymentGateway},
        settings,
    },
    jobs::{EnqueueOptions, Job, enqueue},
    payments::{AppliedOutcome, ChargeSnapshot, EventSource, PaymentEvent, PaymentStatus, apply_event},
    tenancy::TenantTx,
};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::jobs::{JobContext, JobError, JobHandler, JobSettings};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReconcileJob {
    /// The period this pass belongs to (Unix seconds / period): the idempotency key, so workers ticking together
    /// make one job per tenant and period.
    pub bucket: i64,
}

impl Job for ReconcileJob {
    const KIND: &'static str = "asaas.reconcile";
}

pub struct ReconcileHandler {
    pub gateway: Arc<dyn PaymentGateway>,
    /// Most payments read back per pass (oldest status first); the rest wait for the next period.
    pub batch: i64,
    pub settings: JobSettings,
}

impl std::fmt::Debug for ReconcileHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconcileHandler").field("batch", &self.batch).finish_non_exhaustive()
    }
}

impl ReconcileHandler {
    pub fn new(gateway: Arc<dyn PaymentGateway>) -> Self {
        // A pass makes up to `batch` calls, each with its own timeout and retries: give it minutes, not seconds.
        let settings = JobSettings { timeout: Duration::from_secs(300), max_attempts: 6, ..JobSettings::default() };
        Self { gateway, batch: 200, settings }
    }
}

impl JobHandler for ReconcileHandler {
    type Job = ReconcileJob;

    fn settings(&self) -> JobSettings {
        self.settings
    }

    async fn run(&self, _job: ReconcileJob, context: &mut JobContext) -> Result<(), JobError> {
        let tenant_id = context.tenant_id;
        let Some((account, charges)) = self.open_charges(context).await? else { return Ok(()) };
        let (mut moved, mut skipped) = (0_usize, 0_usize);
        for charge_id in charges {
            // Asked with no transaction open.
            let charge = match self.gateway.get_charge(&account, &charge_id).await {
                Ok(charge) => charge,
                Err(GatewayError::Rejected { message }) => {
                    // E.g. deleted at Asaas: nothing to learn now; the others still get checked.
                    tracing::warn!(charge_id, message, "Asaas refused to show a charge during reconciliation");
                    skipped += 1;
                    continue;
                }
                Err(error) => return Err(JobError::retry(format!("reconciliation stopped: {error}"))),
            };
            let mut tx = TenantTx::begin(context.pool(), tenant_id).await?;
            let outcome = apply_event(&mut tx, &observation(context.job_id, &charge)).await?;
            super::payment_effects::react(&mut tx, &charge.id, &outcome).await?;
            tx.commit().await?;
            if matches!(outcome, AppliedOutcome::Moved { .. }) {
                moved += 1;
            }
        }
        tracing::info!(%tenant_id, moved, skipped, "Asaas reconciliation pass done");
        Ok(())
    }
}

impl ReconcileHandler {
    /// The tenant's Asaas account and its payments not final yet (oldest status first), read in a short
    /// transaction that is over before Asaas is called. `None`: the tenant has no Asaas account.
    async fn open_charges(&self, context: &JobContext) -> Result<Option<(GatewayAccount, Vec<String>)>, sqlx::Error> {
        let mut tx = TenantTx::begin(context.pool(), context.tenant_id).await?;
        let Some(account) = settings::asaas_account(&mut tx).await? else { return Ok(None) };
        let open: Vec<&str> =
            PaymentStatus::ALL.into_iter().filter(|s| !s.is_final()).map(PaymentStatus::as_str).collect();
        let charges: Vec<String> = sqlx::query_scalar(
            "select provider_charge_id from payments where tenant_id = $1 and status = any($2)
              order by status_at, id limit $3",
        )
        .bind(tx.tenant_id())
        .bind(&open)
        .bind(self.batch)
        .fetch_all(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(Some((account, charges)))
    }
}

/// What reading a charge back in pass `pass` tells the state machine: its status now.
fn observation(pass: Uuid, charge: &Charge) -> PaymentEvent {
    PaymentEvent {
        provider_event_id: format!("reconcile:{pass}:{}:{}", charge.id, charge.status),
        source: EventSource::Reconcile,
        occurred_at: Utc::now(),
        charge: ChargeSnapshot::of(charge),
    }
}

/// The periodic task: one `asaas.reconcile` job per tenant with Asaas set up, keyed by the current period.
/// Register with `Registry::every("asaas.reconcile", period, move |pool| enqueue_reconciliations(pool, period))`.
pub async fn enqueue_reconciliations(pool: PgPool, period: Duration) -> Result<(), String> {
    let tenants: Vec<Uuid> = sqlx::query_scalar("select tenants_with_integration('asaas')")
        .fetch_all(&pool)
        .await
        .map_err(|error| format!("listing tenants to reconcile: {error}"))?;
    let bucket = Utc::now().timestamp() / i64::try_from(period.as_secs().max(1)).unwrap_or(i64::MAX);
    for tenant_id in tenants {
        let enqueued = async {
            let mut tx = TenantTx::begin(&pool, tenant_id).await?;
            enqueue(&mut tx, &ReconcileJob { bucket }, EnqueueOptions::key(format!("period:{bucket}"))).await?;
            tx.commit().await
        };
        if let Err(error) = enqueued.await {
            tracing::warn!(%tenant_id, %error, "could not enqueue the Asaas reconciliation");
        }
    }
    Ok(())
}
