//! The staff's side of applications: the list (filters, search, counts, pages), an application's page (opening a
//! submitted one takes it into review), document decisions and the application's decision. Owner and staff, with
//! the enrollment module on; decisions go through `applications::transition` and `documents::review`, audited.

use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::{
    document_types::RejectionReason,
    review_types::{ApplicationList, ApplicationQuery, ApplicationReview},
    types::ApplicationStatus,
};
use crate::platform::AppError;

#[cfg(feature = "ssr")]
async fn staff() -> Result<crate::platform::auth::Access, AppError> {
    use crate::platform::{auth, tenancy::Module};
    auth::require(auth::Role::BACKOFFICE).await?.module(Module::Enrollment)
}

#[server(endpoint = "enrollment/applications/list")]
pub async fn list_applications(query: ApplicationQuery) -> Result<ApplicationList, AppError> {
    use crate::enrollment::{
        review_types::{PAGE_SIZE, mask_cpf},
        store::listing,
    };

    let mut access = staff().await?;
    let counts = listing::counts(&mut access.tx, &query).await?;
    let total = match query.status {
        Some(status) => counts.iter().filter(|count| count.status == status).map(|count| count.count).sum(),
        None => counts.iter().map(|count| count.count).sum(),
    };
    let pages: i64 = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let page = query.page.clamp(1, pages.max(1));
    let mut rows = listing::rows(&mut access.tx, &query, page, Some(PAGE_SIZE)).await?;
    // The list is read on shared screens: its CPFs leave the server masked (the application page has the whole one).
    for row in &mut rows {
        row.cpf = row.cpf.as_deref().map(mask_cpf);
    }
    Ok(ApplicationList { rows, total, counts, page, pages })
}

/// Application `id` for its review. Opening a submitted application takes it into review (submitted →
/// under_review, by this person): whoever opens it is reviewing it, and the student sees it is being looked at.
#[server(endpoint = "enrollment/applications/review")]
pub async fn load_application_review(id: Uuid) -> Result<ApplicationReview, AppError> {
    use crate::enrollment::{
        applications::{self, Actor},
        documents,
        store::listing,
        types::Shift,
    };

    let mut access = staff().await?;
    let Some(row) = listing::detail(&mut access.tx, id).await? else { return Err(AppError::NotFound) };
    let mut status = ApplicationStatus::from_code(&row.status)
        .ok_or_else(|| AppError::unexpected("application review", "unknown status"))?;
    if status == ApplicationStatus::Submitted {
        let actor = Actor::Staff(access.viewer.user_id);
        status = applications::transition(&mut access.tx, id, ApplicationStatus::UnderReview, actor, None).await?.to;
    }
    let review = ApplicationReview {
        id,
        status,
        student: row.student,
        email: row.email,
        cpf: row.cpf,
        phone: row.phone,
        course: row.course,
        term: row.term,
        shift: Shift::from_code(&row.shift).ok_or_else(|| AppError::unexpected("application review", "shift"))?,
        guardian_is_student: row.guardian_is_student,
        guardian_name: row.guardian_name,
        guardian_cpf: row.guardian_cpf,
        contract_accepted_at: row.contract_accepted_at,
        timeline: applications::timeline(&mut access.tx, id).await?,
        documents: documents::checklist(&mut access.tx, id).await?,
        payment: crate::enrollment::payments::staff::staff_view(&mut access.tx, id).await?,
    };
    access.tx.commit().await?;
    Ok(review)
}

/// Approves document `document_id` of application `application_id`, or rejects it with `reason` and `text`.
#[server(endpoint = "enrollment/documents/review")]
pub async fn review_document(
    application_id: Uuid,
    document_id: Uuid,
    approve: bool,
    reason: Option<RejectionReason>,
    #[server(default)] text: String,
) -> Result<(), AppError> {
    use crate::enrollment::documents::{self, Review};
    use crate::i18n::Text;

    let mut access = staff().await?;
    let review = match (approve, reason) {
        (true, _) => Review::Approve,
        (false, Some(reason)) => Review::Reject { reason, text },
        (false, None) => {
            return Err(AppError::invalid("reason", Text::new("Escolha o motivo.", "Choose the reason.")));
        }
    };
    documents::review(&mut access.tx, access.viewer.user_id, application_id, document_id, &review).await?;
    access.tx.commit().await?;
    Ok(())
}

/// Staff's decision on application `id`: approve, request changes or reject, with `reason` (required but to
/// approve).
#[server(endpoint = "enrollment/applications/decide")]
pub async fn decide_application(
    id: Uuid,
    to: ApplicationStatus,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::enrollment::applications::{self, Actor};

    let mut access = staff().await?;
    if !matches!(to, ApplicationStatus::Approved | ApplicationStatus::ChangesRequested | ApplicationStatus::Rejected) {
        return Err(AppError::Forbidden);
    }
    let actor = Actor::Staff(access.viewer.user_id);
    applications::transition(&mut access.tx, id, to, actor, Some(&reason)).await?;
    access.tx.commit().await?;
    Ok(())
}
