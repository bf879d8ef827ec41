//! The DRE's server functions: the statement, the transactions behind a cell, and the owner's category → line
//! mapping. Finance access first (`require_finance`), the mapping for the owner only.

use leptos::prelude::*;
use uuid::Uuid;

use super::dre_types::{CategoryLine, DreCell, DreCellDetail, DreQuery, DreReport};
use crate::platform::AppError;

/// The statement and, for the mapping editor, the categories with their lines (empty unless the viewer is the
/// owner, who alone may change them).
#[server(endpoint = "finance/dre")]
pub async fn load_dre(query: DreQuery) -> Result<(DreReport, Vec<CategoryLine>), AppError> {
    let mut access = super::access::require_finance().await?;
    let today = chrono::Utc::now().date_naive();
    let report = super::dre::report(&mut access.tx, access.viewer.tenant.plan, today, &query).await?;
    let lines = if access.viewer.role == crate::platform::auth::Role::Owner {
        super::dre::category_lines(&mut access.tx).await?
    } else {
        Vec::new()
    };
    access.tx.commit().await?;
    Ok((report, lines))
}

#[server(endpoint = "finance/dre/cell")]
pub async fn load_dre_cell(cell: DreCell) -> Result<DreCellDetail, AppError> {
    let mut access = super::access::require_finance().await?;
    let today = chrono::Utc::now().date_naive();
    let detail = super::dre::cell(&mut access.tx, access.viewer.tenant.plan, today, &cell).await?;
    access.tx.commit().await?;
    Ok(detail)
}

/// Points a category at a DRE line (`line` is its code). Owner only; audited.
#[server(endpoint = "finance/dre/line")]
pub async fn set_category_line(category_id: Uuid, line: String) -> Result<(), AppError> {
    let mut access = super::access::require_finance_owner().await?;
    let line = super::dre_types::DreLine::from_code(&line).ok_or_else(|| AppError::invalid("line", LINE_UNKNOWN))?;
    super::dre::set_line(&mut access.tx, Some(access.viewer.user_id), category_id, line).await?;
    access.tx.commit().await?;
    Ok(())
}

#[cfg(feature = "ssr")]
const LINE_UNKNOWN: crate::i18n::Text = crate::i18n::Text::new("Escolha uma linha do DRE.", "Choose a DRE line.");
