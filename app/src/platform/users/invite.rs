//! Inviting a person: one function the server function and the tests share, so the plan's people limit is
//! checked in the very transaction that adds the person.

use uuid::Uuid;

use super::types::{InviteForm, UserSummary};
use crate::platform::{
    AppError, audit,
    auth::{self, LinkPurpose, PasswordLinkMail, Role},
    fields::{Email, PersonName},
    jobs, plans,
    tenancy::{Plan, TenantTx},
};

/// Who sends the invitation (named in the e-mail, recorded in the audit log).
pub struct Inviter<'a> {
    pub user_id: Uuid,
    pub name: &'a str,
}

/// Creates the person without a password and queues the e-mail with the link to choose one (valid 7 days), so the
/// owner never waits on (or sees a failure of) the mail server. Refused with `LimitReached` when the plan's people
/// are full; the count runs under the tenant's row lock, so two invitations racing for the last seat cannot both
/// be sent (the second waits, then counts the first).
pub async fn invite(tx: &mut TenantTx, inviter: &Inviter<'_>, form: &InviteForm) -> Result<UserSummary, AppError> {
    let name = PersonName::parse(&form.name).map_err(|message| AppError::invalid("name", message))?;
    let email = Email::parse(&form.email).map_err(|message| AppError::invalid("email", message))?;
    let plan = plans::lock(tx).await?;
    ensure_room(tx, plan, form.role).await?;
    let account =
        auth::store::NewAccount { name: name.as_str(), email: email.as_str(), role: form.role, password_hash: None };
    let tenant_id = tx.tenant_id();
    let user_id = auth::store::insert(tx.conn(), tenant_id, &account).await?;
    let mail = PasswordLinkMail { user_id, purpose: LinkPurpose::Invite, invited_by: Some(inviter.name.to_string()) };
    jobs::enqueue(tx, &mail, jobs::EnqueueOptions::default()).await?;
    let details = serde_json::json!({ "role": form.role.code(), "name": name.as_str() });
    audit::record(tx, Some(inviter.user_id), "user.invited", email.as_str(), details).await?;
    super::store::find(tx.conn(), user_id).await?.ok_or(AppError::NotFound)
}

/// Students never count against the plan's people (they are a school's customers, not its team).
pub fn counts_as_people(role: Role) -> bool {
    role != Role::Student
}

/// Refuses with `LimitReached` when one more person in `role` would not fit `plan`. Call it after `plans::lock`,
/// in the transaction that adds the person (an invitation, a reactivation, a student made staff).
pub async fn ensure_room(tx: &mut TenantTx, plan: Plan, role: Role) -> Result<(), AppError> {
    if !counts_as_people(role) {
        return Ok(());
    }
    let used = plans::count_people(tx.conn()).await?;
    plans::ensure(plan, plans::Limit::People, used)
}
