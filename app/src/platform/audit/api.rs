use leptos::prelude::*;

use super::types::AuditEntry;
use crate::platform::AppError;

/// The latest 200 entries of the owner's tenant.
#[server(endpoint = "audit/latest")]
pub async fn latest_audit_entries() -> Result<Vec<AuditEntry>, AppError> {
    use crate::platform::auth::{Role, require};
    let mut access = require(&[Role::Owner]).await?;
    let entries = super::store::latest(&mut access.tx, 200).await?;
    access.tx.commit().await?;
    Ok(entries)
}
