//! Students of enrollment: sign-up (a student account with its profile, and the verification e-mail as a job),
//! e-mail verification by link, and the rule that nothing is submitted before the e-mail is verified.

use uuid::Uuid;

use super::store::students as store;
use crate::i18n::Text;
use crate::platform::{
    AppError, audit,
    auth::{self, LinkPurpose, PasswordLinkMail, Role},
    fields::{Cpf, Email, PersonName, Phone},
    jobs,
    tenancy::TenantTx,
};

pub const LINK_INVALID: Text = Text::new(
    "Este link de confirmação não vale mais: ele já foi usado ou expirou. Entre e peça um novo.",
    "This confirmation link is no longer valid: it was used or has expired. Sign in and ask for a new one.",
);
pub const EMAIL_NOT_VERIFIED: Text = Text::new(
    "Confirme seu e-mail antes de enviar a inscrição: abra o link que enviamos (ou peça outro).",
    "Confirm your e-mail before submitting: open the link we sent you (or ask for another).",
);

/// A student as the sign-up form gave them, checked field by field.
pub struct NewStudent<'a> {
    pub name: &'a PersonName,
    pub cpf: &'a Cpf,
    pub email: &'a Email,
    pub phone: &'a Phone,
    pub password_hash: &'a str,
}

/// Creates the student's account and profile in `tx` and enqueues the verification e-mail (sent once `tx`
/// commits). A CPF or an e-mail already registered in the tenant is a field error.
pub async fn sign_up(tx: &mut TenantTx, student: &NewStudent<'_>) -> Result<Uuid, AppError> {
    let tenant_id = tx.tenant_id();
    let account = auth::store::NewAccount {
        name: student.name.as_str(),
        email: student.email.as_str(),
        role: Role::Student,
        password_hash: Some(student.password_hash),
    };
    let user_id = auth::store::insert(tx.conn(), tenant_id, &account)
        .await
        .map_err(|error| AppError::from_db("student account", error))?;
    store::insert_profile(tx, user_id, student.cpf.digits(), student.phone.e164())
        .await
        .map_err(|error| AppError::from_db("student profile", error))?;
    send_verification(tx, user_id).await?;
    audit::record(tx, Some(user_id), "enrollment.student.signed_up", student.email.as_str(), serde_json::json!({}))
        .await?;
    Ok(user_id)
}

/// Enqueues a fresh verification link for `user_id` (the job makes the link; see `auth::link_mail`).
pub async fn send_verification(tx: &mut TenantTx, user_id: Uuid) -> Result<(), AppError> {
    let job = PasswordLinkMail { user_id, purpose: LinkPurpose::VerifyEmail, invited_by: None };
    jobs::enqueue(tx, &job, jobs::EnqueueOptions::default()).await?;
    Ok(())
}

/// Follows a verification link: uses it up and marks the student's e-mail verified. A link used, expired, of
/// another purpose or of another tenant (invisible under its RLS) is refused alike.
pub async fn verify_email(tx: &mut TenantTx, token: &str) -> Result<Uuid, AppError> {
    let link = auth::store::find_usable_token(tx.conn(), &auth::hash_token(token), &[LinkPurpose::VerifyEmail])
        .await?
        .ok_or_else(|| AppError::conflict(LINK_INVALID))?;
    auth::store::use_up_token(tx.conn(), link.id).await?;
    if !store::mark_email_verified(tx, link.user_id).await? {
        return Err(AppError::conflict(LINK_INVALID));
    }
    audit::record(tx, Some(link.user_id), "enrollment.student.email_verified", &link.email, serde_json::json!({}))
        .await?;
    Ok(link.user_id)
}

pub async fn email_verified(tx: &mut TenantTx, user_id: Uuid) -> Result<bool, AppError> {
    Ok(store::email_verified(tx, user_id).await?)
}

/// Refuses what needs a verified e-mail (submitting an application) until the student verified it.
pub async fn require_verified(tx: &mut TenantTx, user_id: Uuid) -> Result<(), AppError> {
    if email_verified(tx, user_id).await? { Ok(()) } else { Err(AppError::conflict(EMAIL_NOT_VERIFIED)) }
}
