//! What a payment event does to the application it pays, in the same `TenantTx` as the event (so the payment and
//! its effect commit together, or neither). Called by the server right after `platform::payments::apply_event`,
//! for webhooks and reconciliation alike.
//!
//! Paid (CONFIRMED, RECEIVED, RECEIVED_IN_CASH, DUNNING_RECEIVED) — the first paid installment of a charge is
//! enough — records `paid_at` and enrolls the application; every change of an enrollment charge is told to the
//! application's live topic, so the payment page updates without a reload.

use chrono::Utc;
use uuid::Uuid;

use super::store;
use crate::{
    enrollment::{
        applications::{self, Actor},
        types::ApplicationStatus,
    },
    platform::{
        AppError,
        live::{self, Event, Topic},
        payments::AppliedOutcome,
        tenancy::TenantTx,
    },
};

/// Reacts to `outcome` of an event on charge `charge_id`. Answers what it did, for the event's outcome line, or
/// `None` when the charge is not an enrollment's or its status did not change.
pub async fn on_payment(
    tx: &mut TenantTx,
    charge_id: &str,
    outcome: &AppliedOutcome,
) -> Result<Option<String>, AppError> {
    let to = match outcome {
        AppliedOutcome::Created(status) => *status,
        AppliedOutcome::Moved { to, .. } => *to,
        _ => return Ok(None),
    };
    let Some(application) = store::application_of_charge(tx, charge_id).await? else { return Ok(None) };
    let mut did = None;
    if to.is_paid() {
        did = enroll(tx, application).await?;
    }
    let version = Utc::now().timestamp_millis();
    live::publish(tx, Topic::Application(application), &Event::Changed { id: application, version }).await?;
    Ok(did)
}

/// The money arrived: `paid_at` is set (once) and an application waiting for it is enrolled.
async fn enroll(tx: &mut TenantTx, application: Uuid) -> Result<Option<String>, AppError> {
    let Some(status) = store::mark_paid(tx, application).await? else { return Ok(None) };
    match ApplicationStatus::from_code(&status) {
        Some(ApplicationStatus::Approved) => {
            applications::transition(tx, application, ApplicationStatus::AwaitingPayment, Actor::System, None).await?;
        }
        Some(ApplicationStatus::AwaitingPayment) => {}
        // Enrolled already (a later installment), or ended: nothing to enroll.
        _ => return Ok(None),
    }
    applications::transition(tx, application, ApplicationStatus::Enrolled, Actor::System, None).await?;
    Ok(Some(format!("application {application} enrolled")))
}
