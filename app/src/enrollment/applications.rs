//! The one state machine of an application. Pages, server functions, jobs, the payment webhook (part 2) and the
//! WhatsApp agent all move applications through `transition`, in the caller's `TenantTx`, so each rule lives here
//! once: which edge exists (`ApplicationStatus::can_go_to`, mirrored and enforced by the database), who may take it,
//! what it needs (a reason, an open period, every required document sent, a free seat, a paid charge), and that it is recorded (who, when, why)
//! and audited when staff acted.

use uuid::Uuid;

use super::{
    seats,
    store::applications as store,
    types::{ApplicationStatus, TimelineEntry},
};
use crate::{
    i18n::Text,
    platform::{AppError, audit, context::request_locale, tenancy::TenantTx},
};

/// Who moves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The applicant, acting on their own application.
    Student(Uuid),
    /// A person of the backoffice (owner or staff).
    Staff(Uuid),
    /// The platform itself: a payment confirmed, a window expired.
    System,
}

impl Actor {
    fn id(self) -> Option<Uuid> {
        match self {
            Self::Student(id) | Self::Staff(id) => Some(id),
            Self::System => None,
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Self::Student(_) => "student",
            Self::Staff(_) => "staff",
            Self::System => "system",
        }
    }

    /// Whether this kind of actor takes the edge `from → to` (the edge itself is checked apart).
    fn may(self, from: ApplicationStatus, to: ApplicationStatus) -> bool {
        use ApplicationStatus::*;
        match self {
            Self::Student(_) => matches!((from, to), (Draft | ChangesRequested, Submitted) | (_, Withdrawn)),
            Self::Staff(_) => {
                matches!(to, UnderReview | ChangesRequested | Approved | Rejected | AwaitingPayment | Cancelled)
            }
            Self::System => matches!(to, AwaitingPayment | PaymentExpired | Enrolled | Cancelled),
        }
    }
}

/// A status change that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub application_id: Uuid,
    pub from: ApplicationStatus,
    pub to: ApplicationStatus,
}

pub const CLASS_FULL: Text = Text::new("Turma lotada: não há mais vagas nesta turma.", "This class is full.");
const REASON_NEEDED: Text =
    Text::new("Explique o motivo: o estudante vai ler.", "Give the reason: the student will read it.");
const REASON_TOO_LONG: Text = Text::new("Use no máximo 2.000 caracteres.", "Use at most 2,000 characters.");
const PERIOD_CLOSED: Text = Text::new(
    "O período de matrícula desta turma não está aberto.",
    "The enrollment period of this class is not open.",
);
const NEEDS_PAYMENT: Text = Text::new(
    "A matrícula só é confirmada depois do pagamento.",
    "The enrollment is confirmed only after the payment.",
);
const REASON_MAX_CHARS: usize = 2000;

/// Starts a draft application of `student` to `class_id`. The draft's creation is the first entry of its timeline.
pub async fn create_draft(tx: &mut TenantTx, student: Uuid, class_id: Uuid) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    store::insert_draft(tx, id, student, class_id)
        .await
        .map_err(|error| AppError::from_db("new application", error))?;
    store::insert_event(tx, id, None, ApplicationStatus::Draft, Actor::Student(student).id(), "student", "").await?;
    Ok(id)
}

/// Whether application `id` is `student`'s own: who may watch its live topic, read its documents… asks this.
pub async fn belongs_to(tx: &mut TenantTx, id: Uuid, student: Uuid) -> Result<bool, AppError> {
    store::belongs_to(tx, id, student).await.map_err(|error| AppError::from_db("application owner", error))
}

/// Whether a move e-mails the student (see `enrollment::mail`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notify {
    /// The student hears of the moves that matter to them: every real move.
    Student,
    /// Nobody: only the demo seed, whose applicants are made up.
    Nobody,
}

/// Moves application `id` to `to` on behalf of `actor`, with `reason` (required to request changes, reject or
/// cancel). Locks the application (concurrent moves of one application queue) and, when the move takes a seat,
/// the class (concurrent approvals of one class queue, so its capacity is never exceeded). The student is
/// e-mailed (a job in `tx`) when the move matters to them.
pub async fn transition(
    tx: &mut TenantTx,
    id: Uuid,
    to: ApplicationStatus,
    actor: Actor,
    reason: Option<&str>,
) -> Result<Transition, AppError> {
    transition_notifying(tx, id, to, actor, reason, Notify::Student).await
}

/// `transition`, saying whether the student is e-mailed.
pub async fn transition_notifying(
    tx: &mut TenantTx,
    id: Uuid,
    to: ApplicationStatus,
    actor: Actor,
    reason: Option<&str>,
    notify: Notify,
) -> Result<Transition, AppError> {
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(AppError::invalid("reason", REASON_TOO_LONG));
    }
    let Some(current) = store::lock(tx, id).await? else { return Err(AppError::NotFound) };
    if let Actor::Student(student) = actor
        && student != current.student_id
    {
        return Err(AppError::NotFound);
    }
    let from = current.status;
    if !from.can_go_to(to) {
        return Err(not_allowed(from, to));
    }
    if !actor.may(from, to) {
        return Err(AppError::Forbidden);
    }
    let staff_must_explain = matches!(actor, Actor::Staff(_))
        && matches!(
            to,
            ApplicationStatus::ChangesRequested | ApplicationStatus::Rejected | ApplicationStatus::Cancelled
        );
    if staff_must_explain && reason.is_empty() {
        return Err(AppError::invalid("reason", REASON_NEEDED));
    }
    if to == ApplicationStatus::Submitted && !store::period_open(tx, current.class_id).await? {
        return Err(AppError::conflict(PERIOD_CLOSED));
    }
    if to == ApplicationStatus::Submitted && !super::documents::complete(tx, id).await? {
        return Err(AppError::conflict(super::documents::INCOMPLETE));
    }
    if to == ApplicationStatus::Enrolled && !current.paid {
        return Err(AppError::conflict(NEEDS_PAYMENT));
    }
    if to.holds_seat() && !from.holds_seat() {
        seats::reserve(tx, current.class_id).await?;
    }
    store::set_status(tx, id, to).await.map_err(|error| AppError::from_db("application status", error))?;
    store::insert_event(tx, id, Some(from), to, actor.id(), actor.kind(), reason).await?;
    if notify == Notify::Student {
        super::mail::enqueue(tx, id, to, reason).await?;
    }
    if let Actor::Staff(person) = actor {
        let details = serde_json::json!({ "from": from.code(), "to": to.code(), "reason": reason });
        audit::record(tx, Some(person), &format!("enrollment.application.{}", to.code()), &id.to_string(), details)
            .await?;
    }
    Ok(Transition { application_id: id, from, to })
}

/// Every status change of application `id`, oldest first, with who made it and why.
pub async fn timeline(tx: &mut TenantTx, id: Uuid) -> Result<Vec<TimelineEntry>, AppError> {
    Ok(store::timeline(tx, id).await?)
}

fn not_allowed(from: ApplicationStatus, to: ApplicationStatus) -> AppError {
    let locale = request_locale();
    let message = Text::new(
        "Uma inscrição em “{from}” não pode passar a “{to}”.",
        "An application in “{from}” cannot move to “{to}”.",
    )
    .get(locale)
    .replace("{from}", from.label().get(locale))
    .replace("{to}", to.label().get(locale));
    AppError::Conflict { message }
}
