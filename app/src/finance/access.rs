//! Who may touch the books: the owner always; staff only when the owner granted them finance; consultants and
//! students never. Every finance server function starts with `require_finance()`; hiding the link is not the
//! protection.

use uuid::Uuid;

use crate::platform::{
    AppError, audit,
    auth::{self, Access, Role, Viewer},
    tenancy::{Module, TenantTx},
};

/// The signed-in person with finance access and a transaction for their tenant; `Forbidden` for anyone else.
pub async fn require_finance() -> Result<Access, AppError> {
    let mut access = auth::require(Role::BACKOFFICE).await?.module(Module::Finance)?;
    confirm(&mut access.tx, &mut access.viewer).await?;
    Ok(access)
}

/// `Forbidden` unless `viewer` may open the books (also for routes outside server functions, like the DRE's CSV).
pub async fn confirm(tx: &mut TenantTx, viewer: &mut Viewer) -> Result<(), AppError> {
    if !viewer.is(Role::BACKOFFICE) || !viewer.tenant.modules.has(Module::Finance) {
        return Err(AppError::Forbidden);
    }
    if viewer.finance {
        return Ok(());
    }
    // Memory may be one notice behind a grant made in another process: the database decides a refusal.
    let granted: Option<bool> = sqlx::query_scalar("select finance_access from users where id = $1 and active")
        .bind(viewer.user_id)
        .fetch_optional(tx.conn())
        .await?;
    if Viewer::finance_for(viewer.role, granted.unwrap_or(false)) {
        viewer.finance = true;
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The owner, with finance on for the tenant: closing months, granting access.
pub async fn require_finance_owner() -> Result<Access, AppError> {
    auth::require(&[Role::Owner]).await?.module(Module::Finance)
}

/// Grants or withdraws finance for a staff member (owners always have it; consultants and students cannot get it).
/// Audited; the person's next request sees it.
pub async fn set_finance_access(access: &mut Access, user_id: Uuid, granted: bool) -> Result<(), AppError> {
    let row: Option<(String, String, bool)> =
        sqlx::query_as("select email, role, finance_access from users where id = $1")
            .bind(user_id)
            .fetch_optional(access.tx.conn())
            .await?;
    let Some((email, role, before)) = row else { return Err(AppError::NotFound) };
    if role != Role::Staff.code() {
        return Err(AppError::conflict(ONLY_STAFF));
    }
    if before == granted {
        return Ok(());
    }
    sqlx::query("update users set finance_access = $2, updated_at = now() where id = $1")
        .bind(user_id)
        .bind(granted)
        .execute(access.tx.conn())
        .await?;
    let action = if granted { "finance.access_granted" } else { "finance.access_revoked" };
    audit::record(&mut access.tx, Some(access.viewer.user_id), action, &email, serde_json::json!({})).await?;
    Ok(())
}

const ONLY_STAFF: crate::i18n::Text = crate::i18n::Text::new(
    "Somente pessoas da equipe recebem acesso ao financeiro (o proprietário já tem).",
    "Only staff members can be given finance access (the owner already has it).",
);
