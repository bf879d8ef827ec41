//! What a payment's change does beyond the payment: the modules' reactions, run right after
//! `platform::payments::apply_event` in the same `TenantTx` (webhook jobs and reconciliation alike), so a payment
//! and its effects commit together. Today: enrollment (a paid enrollment charge enrolls).

use app::platform::{AppError, payments::AppliedOutcome, tenancy::TenantTx};

use crate::jobs::JobError;

/// Runs the reactions to `outcome` of an event on charge `charge_id`; answers what they did, if anything. A refusal
/// of the module's rules (a move its state machine does not allow) is logged and the payment still counts; a
/// database failure fails the job, which retries the whole event.
pub async fn react(tx: &mut TenantTx, charge_id: &str, outcome: &AppliedOutcome) -> Result<Option<String>, JobError> {
    match app::enrollment::payments::reaction::on_payment(tx, charge_id, outcome).await {
        Ok(did) => Ok(did),
        Err(error @ (AppError::Unexpected { .. } | AppError::Transport { .. })) => {
            Err(JobError::retry(format!("enrollment's reaction to {charge_id}: {error:?}")))
        }
        Err(refused) => {
            tracing::warn!(charge_id, ?refused, "enrollment refused to react to a payment");
            Ok(Some(format!("enrollment refused: {refused:?}")))
        }
    }
}
