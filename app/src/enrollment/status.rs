//! The student's side of an application after the wizard: where it stands (told in the student's words, with the
//! reasons staff wrote for them) and withdrawing from it. Only the student's own application: any other id, of
//! this tenant or another (invisible under RLS), is not found.

use uuid::Uuid;

use super::{
    applications::{self, Actor, Transition},
    document_types::DocumentStatus,
    documents,
    status_types::{ApplicationStatusView, RefusedDocument, StatusEvent, Who, reason_is_for_student},
    store::status as store,
    types::ApplicationStatus,
    wizard_types::WizardStep,
};
use crate::platform::{AppError, tenancy::TenantTx};

/// Application `id` as its student `student` sees it.
pub async fn of_student(tx: &mut TenantTx, student: Uuid, id: Uuid) -> Result<ApplicationStatusView, AppError> {
    let row = store::application(tx, id, student).await?.ok_or(AppError::NotFound)?;
    let status = ApplicationStatus::from_code(&row.status)
        .ok_or_else(|| AppError::unexpected("application status", "unknown status"))?;
    let timeline: Vec<StatusEvent> = store::events(tx, id)
        .await?
        .into_iter()
        .filter_map(|event| {
            let to = ApplicationStatus::from_code(&event.to_status)?;
            let by = match event.actor_kind.as_str() {
                "student" => Who::You,
                "staff" => Who::Institution,
                _ => Who::System,
            };
            let reason = if reason_is_for_student(to) { event.reason } else { String::new() };
            Some(StatusEvent { when: minutes(event.at), to, by, reason })
        })
        .collect();
    let decision = timeline
        .iter()
        .find(|event| event.to == status && event.by == Who::Institution && !event.reason.is_empty())
        .map(|event| event.reason.clone());
    let refused = if status == ApplicationStatus::ChangesRequested { refused(tx, id).await? } else { Vec::new() };
    Ok(ApplicationStatusView {
        id,
        course_name: row.course_name,
        term: row.term,
        status,
        completed: WizardStep::from_code(&row.wizard_step).unwrap_or(WizardStep::Class),
        decision,
        refused,
        timeline,
    })
}

/// The documents of application `id` that staff refused, with their reasons.
pub async fn refused(tx: &mut TenantTx, id: Uuid) -> Result<Vec<RefusedDocument>, AppError> {
    Ok(documents::checklist(tx, id)
        .await?
        .items
        .into_iter()
        .filter(|item| item.status == DocumentStatus::Rejected)
        .map(|item| RefusedDocument {
            kind_name: item.kind_name,
            reason: item.reason,
            reason_text: item.reason_text.unwrap_or_default(),
        })
        .collect())
}

/// The student gives up application `id`, with an optional `reason`. The state machine refuses it once the
/// application has ended and gives back the seat an approved application held.
pub async fn withdraw(tx: &mut TenantTx, student: Uuid, id: Uuid, reason: &str) -> Result<Transition, AppError> {
    applications::transition(tx, id, ApplicationStatus::Withdrawn, Actor::Student(student), Some(reason)).await
}

/// dd/mm/aaaa hh:mm in Brasília.
fn minutes(at: chrono::DateTime<chrono::Utc>) -> String {
    let mut text = crate::i18n::format_datetime_brasilia(at);
    // "dd/mm/aaaa hh:mm:ss": the seconds say nothing to a student.
    text.truncate(16);
    text
}
