//! Job `asaas.payment_event`: applies a stored Asaas event to its payment through the state machine.
//!
//! Ordering: the job locks the charge (an advisory lock, since the payment row may not exist yet) and applies
//! *every* unprocessed stored event of that charge in provider-time order, not only its own. Events that arrived
//! together (a burst, a redelivered backlog) are therefore applied oldest first whatever order they came in, so the
//! history shows the real transitions; an event that arrives after a newer one was applied is caught by the state
//! machine's stale rule instead. The other events' jobs then find their event processed and do nothing.

use app::platform::{
    jobs::Job,
    payments::{self, AppliedOutcome},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    envelope,
    store::{self, Provider, StoredEvent},
};
use crate::jobs::{JobContext, JobError, JobHandler, JobSettings};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AsaasEventJob {
    /// `webhook_events.id` (ours, not Asaas's).
    pub event_id: Uuid,
}

impl Job for AsaasEventJob {
    const KIND: &'static str = "asaas.payment_event";
}

#[derive(Debug, Clone, Copy, Default)]
pub struct AsaasEventHandler;

impl JobHandler for AsaasEventHandler {
    type Job = AsaasEventJob;

    /// Database-only work: a burst of deliveries for one tenant is applied in shared transactions.
    fn settings(&self) -> JobSettings {
        JobSettings { batch: 16, ..JobSettings::default() }
    }

    async fn run(&self, job: AsaasEventJob, context: &mut JobContext) -> Result<(), JobError> {
        let tx = context.tx().await?;
        let Some(event) = store::load_event(tx, job.event_id).await? else {
            return Err(JobError::permanent(format!("webhook event {} does not exist", job.event_id)));
        };
        if event.processed_at.is_some() {
            return Ok(());
        }
        let Some(charge_id) = event.subject_id.clone().filter(|_| envelope::reports_payment_status(&event.event_type))
        else {
            let outcome = format!("no effect: {} does not change a payment", event.event_type);
            store::mark_processed(tx, event.id, &outcome).await?;
            return Ok(());
        };
        store::lock_subject(tx, Provider::Asaas, &charge_id).await?;
        for pending in store::pending_for_subject(tx, Provider::Asaas, &charge_id).await? {
            let outcome = apply(tx, &pending).await?;
            tracing::info!(charge_id, provider_event_id = %pending.provider_event_id, outcome, "Asaas event processed");
            store::mark_processed(tx, pending.id, &outcome).await?;
        }
        Ok(())
    }
}

async fn apply(tx: &mut app::platform::tenancy::TenantTx, event: &StoredEvent) -> Result<String, JobError> {
    if !envelope::reports_payment_status(&event.event_type) {
        return Ok(format!("no effect: {} does not change a payment", event.event_type));
    }
    let occurred_at = event.occurred_at.unwrap_or(event.received_at);
    let Some(payment_event) = envelope::payment_event(&event.provider_event_id, &event.payload, occurred_at) else {
        return Ok("no effect: the event carries no payment id or status".into());
    };
    let outcome: AppliedOutcome = payments::apply_event(tx, &payment_event).await?;
    let effect = super::payment_effects::react(tx, &payment_event.charge.charge_id, &outcome).await?;
    Ok(effect.map_or_else(|| outcome.describe(), |effect| format!("{}; {effect}", outcome.describe())))
}
