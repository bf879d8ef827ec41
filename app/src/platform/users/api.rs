//! Server functions for the owner's people page. Every one requires the owner role.

use leptos::prelude::*;
use uuid::Uuid;

use super::types::{InviteForm, UserSummary};
use crate::platform::{AppError, auth::Role};

#[cfg(feature = "ssr")]
const NOT_YOURSELF: crate::i18n::Text = crate::i18n::Text::new(
    "Você não pode mudar seu próprio acesso. Peça a outro proprietário.",
    "You cannot change your own access. Ask another owner.",
);
#[cfg(feature = "ssr")]
const LAST_OWNER: crate::i18n::Text = crate::i18n::Text::new(
    "A instituição precisa de pelo menos um proprietário ativo.",
    "The organization needs at least one active owner.",
);

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    let mut access = crate::platform::auth::require(&[Role::Owner]).await?;
    let users = super::store::list(access.tx.conn()).await?;
    access.tx.commit().await?;
    Ok(users)
}

/// Counts for the guided home: how many active people the tenant has.
#[server(endpoint = "users/count")]
pub async fn count_users() -> Result<i64, AppError> {
    let mut access = crate::platform::auth::require(Role::BACKOFFICE).await?;
    let count = super::store::count(access.tx.conn()).await?;
    access.tx.commit().await?;
    Ok(count)
}

/// Creates the person without a password; a job e-mails them a link to choose one (valid 7 days), so the owner
/// never waits on (or sees a failure of) the mail server.
/// Invites a person (see `invite::invite`: the plan's people limit is checked in the same transaction).
#[server(endpoint = "users/invite")]
pub async fn invite_user(form: InviteForm) -> Result<UserSummary, AppError> {
    let mut access = crate::platform::auth::require(&[Role::Owner]).await?;
    let inviter = super::invite::Inviter { user_id: access.viewer.user_id, name: &access.viewer.name };
    let created = super::invite::invite(&mut access.tx, &inviter, &form).await?;
    access.tx.commit().await?;
    Ok(created)
}

#[server(endpoint = "users/role")]
pub async fn change_role(user_id: Uuid, role: Role) -> Result<UserSummary, AppError> {
    update_access(user_id, Some(role), None).await
}

#[server(endpoint = "users/active")]
pub async fn set_active(user_id: Uuid, active: bool) -> Result<UserSummary, AppError> {
    update_access(user_id, None, Some(active)).await
}

/// One path for both changes, so the guards (not yourself, keep an owner) and the audit cannot drift apart.
#[cfg(feature = "ssr")]
async fn update_access(user_id: Uuid, role: Option<Role>, active: Option<bool>) -> Result<UserSummary, AppError> {
    use crate::platform::{audit, auth};
    let mut access = auth::require(&[Role::Owner]).await?;
    if user_id == access.viewer.user_id {
        return Err(AppError::conflict(NOT_YOURSELF));
    }
    // One change of people's access per tenant at a time: two owners demoting each other at once would each
    // count the other as the remaining owner. The second waits here and then sees the first one's change.
    // The same lock guards the plan's people limit (a reactivation or a student made staff takes a seat).
    let plan = crate::platform::plans::lock(&mut access.tx).await?;
    // Whoever changed access before us may have demoted or deactivated this very owner: check again under the lock.
    let me = auth::store::find_by_id(access.tx.conn(), access.viewer.user_id).await?;
    if !me.is_some_and(|me| me.active && me.role() == Role::Owner) {
        return Err(AppError::Forbidden);
    }
    let before = super::store::find(access.tx.conn(), user_id).await?.ok_or(AppError::NotFound)?;
    let new_role = role.unwrap_or(before.role);
    let new_active = active.unwrap_or(before.active);
    let loses_owner = before.role == Role::Owner && before.active && (new_role != Role::Owner || !new_active);
    if loses_owner && super::store::other_active_owners(access.tx.conn(), user_id).await? == 0 {
        return Err(AppError::conflict(LAST_OWNER));
    }
    let counts = super::invite::counts_as_people;
    if new_active && counts(new_role) && !(before.active && counts(before.role)) {
        super::invite::ensure_room(&mut access.tx, plan, new_role).await?;
    }
    super::store::update(access.tx.conn(), user_id, new_role, new_active).await?;
    if new_active != before.active {
        auth::store::void_links(access.tx.conn(), user_id).await?;
    }
    let actor = Some(access.viewer.user_id);
    if new_role != before.role {
        let details = serde_json::json!({ "from": before.role.code(), "to": new_role.code() });
        audit::record(&mut access.tx, actor, "user.role_changed", &before.email, details).await?;
    }
    if new_active != before.active {
        let action = if new_active { "user.reactivated" } else { "user.deactivated" };
        audit::record(&mut access.tx, actor, action, &before.email, serde_json::json!({})).await?;
    }
    let after = super::store::find(access.tx.conn(), user_id).await?.ok_or(AppError::NotFound)?;
    access.tx.commit().await?;
    // Every process hears of it through the database; this one forgets at once, so the very next request sees it.
    crate::platform::context::server_context()?.directory.forget(crate::platform::directory::Change::Person(user_id));
    Ok(after)
}
