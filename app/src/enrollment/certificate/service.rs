//! The comprovante's rules: only an enrolled application has one; the student's first opening issues its code;
//! staff reissue it (audited); a public check tells a code's standing and nothing private.

use uuid::Uuid;

use super::{
    code,
    store::{self, Facts},
    types::{CertificateView, CodeStatus, Verification},
};
use crate::enrollment::types::{ApplicationStatus, Shift};
use crate::i18n::Text;
use crate::platform::{AppError, audit, tenancy::TenantTx};

const NOT_ENROLLED: Text = Text::new(
    "O comprovante fica disponível quando a matrícula é confirmada.",
    "The certificate is available once the enrollment is confirmed.",
);

/// The comprovante of the student's own application `id` (issuing its code the first time). Anyone else's
/// application is not found; one not enrolled is a conflict the student can read.
pub async fn of_student(
    tx: &mut TenantTx,
    institution: &str,
    student: Uuid,
    id: Uuid,
) -> Result<CertificateView, AppError> {
    let facts = store::facts(tx, id).await?.filter(|facts| facts.student_id == student).ok_or(AppError::NotFound)?;
    enrolled(&facts)?;
    let current = match store::current(tx, id).await? {
        Some(current) => current,
        None => issue(tx, id, None).await?,
    };
    Ok(CertificateView {
        application_id: id,
        institution: institution.to_string(),
        student: facts.student,
        course: facts.course,
        term: facts.term,
        shift: Shift::from_code(&facts.shift).unwrap_or(Shift::Integral),
        enrolled_on: facts.enrolled_on,
        issued_on: current.issued_on,
        code: code::grouped(&current.code),
    })
}

/// Staff issue a new code for application `id`: the old one answers "substituído" from now on. Audited.
pub async fn reissue(tx: &mut TenantTx, staff: Uuid, id: Uuid) -> Result<(), AppError> {
    let facts = store::facts(tx, id).await?.ok_or(AppError::NotFound)?;
    enrolled(&facts)?;
    let replaced = store::replace_current(tx, id).await?;
    let issued = issue(tx, id, Some(staff)).await?;
    let details = serde_json::json!({ "application_id": id, "replaced": replaced, "code": issued.code });
    audit::record(tx, Some(staff), "enrollment.certificate_reissued", "enrollment", details).await?;
    Ok(())
}

/// What a verifier may see of `typed` (as typed); an unknown or malformed code is not found.
pub async fn verify(tx: &mut TenantTx, typed: &str) -> Result<Verification, AppError> {
    let code = code::normalize(typed).ok_or(AppError::NotFound)?;
    let found = store::by_code(tx, &code).await?.ok_or(AppError::NotFound)?;
    let facts = store::facts(tx, found.application_id).await?.ok_or(AppError::NotFound)?;
    let status = if ApplicationStatus::from_code(&facts.status) != Some(ApplicationStatus::Enrolled) {
        CodeStatus::Cancelled
    } else if found.replaced {
        CodeStatus::Replaced
    } else {
        CodeStatus::Valid
    };
    Ok(Verification {
        status,
        student: facts.student,
        course: facts.course,
        term: facts.term,
        enrolled_on: facts.enrolled_on,
    })
}

fn enrolled(facts: &Facts) -> Result<(), AppError> {
    match ApplicationStatus::from_code(&facts.status) {
        Some(ApplicationStatus::Enrolled) => Ok(()),
        _ => Err(AppError::conflict(NOT_ENROLLED)),
    }
}

/// A new current code for `id`. A concurrent first opening may win the race: then its code is the one.
async fn issue(tx: &mut TenantTx, id: Uuid, by: Option<Uuid>) -> Result<store::Code, AppError> {
    for _ in 0..3 {
        if store::insert(tx, id, &code::new_code(), by).await? {
            break;
        }
        if by.is_none() && store::current(tx, id).await?.is_some() {
            break;
        }
    }
    store::current(tx, id).await?.ok_or(AppError::NotFound)
}
