//! What a payment event does to the application it pays, in the same `TenantTx` as the event (so the payment and
//! its effects commit together, or neither). Called by the server right after `platform::payments::apply_event`,
//! for webhooks and reconciliation alike. Every move goes through `applications::transition` (recorded on the
//! timeline with why), every booking through `books` (idempotent per charge and kind).
//!
//! - Paid (CONFIRMED, RECEIVED, RECEIVED_IN_CASH, DUNNING_RECEIVED; the first paid installment is enough): records
//!   `paid_at`, books the tuition and Asaas' fee, and enrolls. A payment after the window released the seat takes a
//!   seat again if the class has one free (then enrolls); otherwise the application is flagged `paid_without_seat`
//!   ("pago sem vaga") for staff. A RECEIVED after a chargeback means the dispute was won: the flag goes.
//! - OVERDUE: a reminder e-mail to the student, once per charge.
//! - REFUNDED: the reversal is booked, the enrollment cancelled (reason "estorno") and its seat given back.
//! - CHARGEBACK_REQUESTED, CHARGEBACK_DISPUTE, AWAITING_CHARGEBACK_REVERSAL: flagged `chargeback` for staff. Asaas
//!   has no "chargeback lost" status: a lost dispute ends the charge REFUNDED, and that is the confirmation — the
//!   reversal is booked and the enrollment cancelled (reason "chargeback confirmado"). AWAITING_CHARGEBACK_REVERSAL
//!   is a dispute won (the acquirer is returning the money), so it only keeps the flag until the RECEIVED.
//!
//! Every change of an enrollment charge is told to the application's live topic, so its pages update.

use chrono::Utc;

use super::{
    books::{self, Payer},
    store::{self, Paying},
};
use crate::{
    enrollment::{
        applications::{self, Actor},
        mail,
        types::ApplicationStatus,
    },
    platform::{
        AppError,
        live::{self, Event, Topic},
        payments::{AppliedOutcome, ChargeFacts, PaymentStatus, charge_facts},
        tenancy::TenantTx,
    },
};

pub const FLAG_PAID_WITHOUT_SEAT: &str = "paid_without_seat";
pub const FLAG_CHARGEBACK: &str = "chargeback";
/// Reasons written on the timeline.
pub const REFUND_REASON: &str = "estorno";
pub const CHARGEBACK_REASON: &str = "chargeback confirmado";

/// Reacts to `outcome` of an event on charge `charge_id`. Answers what it did, for the event's outcome line, or
/// `None` when the charge is not an enrollment's or its status did not change.
pub async fn on_payment(
    tx: &mut TenantTx,
    charge_id: &str,
    outcome: &AppliedOutcome,
) -> Result<Option<String>, AppError> {
    let (from, to) = match outcome {
        AppliedOutcome::Created(status) => (None, *status),
        AppliedOutcome::Moved { from, to } => (Some(*from), *to),
        _ => return Ok(None),
    };
    let Some(application) = store::application_of_charge(tx, charge_id).await? else { return Ok(None) };
    let Some(charge) = charge_facts(tx, charge_id).await? else { return Ok(None) };
    let Some(paying) = store::paying(tx, application).await? else { return Ok(None) };
    let mut did = Vec::new();
    if to.is_paid() {
        did.extend(paid(tx, &paying, &charge).await?);
        if from.is_some_and(is_chargeback) {
            store::clear_flag(tx, application, FLAG_CHARGEBACK).await?;
            did.push("chargeback reversed: flag cleared".to_owned());
        }
    } else if is_chargeback(to) {
        store::set_flag(tx, application, FLAG_CHARGEBACK).await?;
        did.push(format!("flagged {FLAG_CHARGEBACK}"));
    } else if to == PaymentStatus::Refunded {
        let why = if from.is_some_and(is_chargeback) { CHARGEBACK_REASON } else { REFUND_REASON };
        did.extend(reverse(tx, &paying, &charge, why).await?);
    } else if to == PaymentStatus::Overdue
        && status_of(&paying) == Some(ApplicationStatus::AwaitingPayment)
        && mail::enqueue_overdue(tx, application, charge_id, charge.due_date).await?
    {
        did.push("overdue reminder enqueued".to_owned());
    }
    let version = Utc::now().timestamp_millis();
    live::publish(tx, Topic::Application(application), &Event::Changed { id: application, version }).await?;
    Ok((!did.is_empty()).then(|| format!("application {application}: {}", did.join("; "))))
}

fn is_chargeback(status: PaymentStatus) -> bool {
    matches!(
        status,
        PaymentStatus::ChargebackRequested
            | PaymentStatus::ChargebackDispute
            | PaymentStatus::AwaitingChargebackReversal
    )
}

fn status_of(paying: &Paying) -> Option<ApplicationStatus> {
    ApplicationStatus::from_code(&paying.status)
}

fn payer(paying: &Paying) -> Payer<'_> {
    Payer { student: &paying.student_name, course: &paying.course_name, term: &paying.term }
}

/// The money arrived: `paid_at` is set (once), the tuition booked, and the application enrolled — through a new
/// seat if the window had released its own, or flagged "pago sem vaga" when the class has none left.
async fn paid(tx: &mut TenantTx, paying: &Paying, charge: &ChargeFacts) -> Result<Vec<String>, AppError> {
    let id = paying.id;
    let mut did = Vec::new();
    if books::book_paid(tx, charge, &payer(paying), Utc::now()).await? {
        did.push("tuition booked".to_owned());
    }
    let Some(status) = store::mark_paid(tx, id).await? else { return Ok(did) };
    match ApplicationStatus::from_code(&status) {
        Some(ApplicationStatus::Approved) => {
            applications::transition(tx, id, ApplicationStatus::AwaitingPayment, Actor::System, None).await?;
        }
        Some(ApplicationStatus::AwaitingPayment) => {}
        Some(ApplicationStatus::PaymentExpired) => {
            match applications::transition(tx, id, ApplicationStatus::AwaitingPayment, Actor::System, None).await {
                Ok(_) => did.push("late payment: seat reserved again".to_owned()),
                // `seats::reserve` refuses before writing anything, so the transaction goes on.
                Err(AppError::Conflict { .. }) => {
                    store::set_flag(tx, id, FLAG_PAID_WITHOUT_SEAT).await?;
                    did.push(format!("late payment, class full: flagged {FLAG_PAID_WITHOUT_SEAT}"));
                    return Ok(did);
                }
                Err(other) => return Err(other),
            }
        }
        // Enrolled already (a later installment, a dispute won), or ended: nothing to enroll.
        _ => return Ok(did),
    }
    applications::transition(tx, id, ApplicationStatus::Enrolled, Actor::System, None).await?;
    did.push("enrolled".to_owned());
    Ok(did)
}

/// The money went back (a refund, or a chargeback lost): the reversal is booked, and an application the money had
/// enrolled (or was waiting on) is cancelled with `why`, which gives its seat back.
async fn reverse(tx: &mut TenantTx, paying: &Paying, charge: &ChargeFacts, why: &str) -> Result<Vec<String>, AppError> {
    let id = paying.id;
    let mut did = Vec::new();
    if books::book_reversal(tx, charge, &payer(paying), why, Utc::now()).await? {
        did.push("reversal booked".to_owned());
    }
    if matches!(
        status_of(paying),
        Some(ApplicationStatus::Enrolled | ApplicationStatus::AwaitingPayment | ApplicationStatus::PaymentExpired)
    ) {
        applications::transition(tx, id, ApplicationStatus::Cancelled, Actor::System, Some(why)).await?;
        store::close_intent(tx, id).await?;
        did.push(format!("cancelled ({why})"));
    }
    // Nothing is left for staff to resolve: the money is back with the payer and the application ended.
    for flag in [FLAG_CHARGEBACK, FLAG_PAID_WITHOUT_SEAT] {
        store::clear_flag(tx, id, flag).await?;
    }
    Ok(did)
}
