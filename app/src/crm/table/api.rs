//! The leads table's server function: what the page renders on the server, and fetches when the browser comes
//! to it by client-side navigation (from the board).

use leptos::prelude::*;

use super::query::LeadTableQuery;
use super::types::LeadTable;
use crate::platform::AppError;

/// One page of the tenant's leads for `query`, with the counts per stage and the filters' options. Owner, staff
/// and consultants (CRM on): a consultant sees every lead's shared fields, and the phone and e-mail of their own.
/// One transaction, three statements: counts (with the pipelines), people, rows.
#[server(endpoint = "crm/leads/table")]
pub async fn load_lead_table(#[server(default)] query: LeadTableQuery) -> Result<LeadTable, AppError> {
    use super::{query::PAGE_SIZE, store};
    use crate::crm::{api::require_crm, leads::Actor, store as crm_store};
    let mut access = require_crm().await?;
    let actor = Actor::of(&access.viewer);
    let (pipelines, stages) = store::stage_counts(access.tx.conn(), &query, actor).await?;
    let total: i64 = stages
        .iter()
        .filter(|stage| query.stage.is_none_or(|chosen| chosen == stage.id))
        .map(|stage| stage.count)
        .sum();
    let pages = if total == 0 { 0 } else { (total - 1) / PAGE_SIZE + 1 };
    // A page past the end (the list shrank, a hand-edited address) shows the last one.
    let query = LeadTableQuery { page: query.page.min(pages.max(1)), ..query };
    let people = crm_store::people(access.tx.conn()).await?;
    let rows = if total == 0 { Vec::new() } else { store::rows(access.tx.conn(), &query, actor).await? };
    access.tx.commit().await?;
    Ok(LeadTable { query, rows, total, pages, pipelines, stages, people })
}
