//! What another module needs before it books through `ledger::record` without knowing finance's tables: the
//! category and the account its entries go to, found by name and created on first use (so a tenant that never
//! opened finance still gets its tuition booked, and one that renamed nothing keeps one category per purpose).
//! Created here, not by a person: no plan limit refuses them (the bookings they carry never are refused either).

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    dre_types::DreLine,
    store::{self, NewAccount},
    types::{AccountKind, EntryKind},
};
use crate::platform::{AppError, audit, tenancy::TenantTx};

/// The category named `name` of `kind` (any letter case), created under no parent on the DRE line `line` when the
/// tenant has none. A category staff made with that name is used as it is (its DRE line is theirs to choose).
pub async fn category(tx: &mut TenantTx, name: &str, kind: EntryKind, line: DreLine) -> Result<Uuid, AppError> {
    if let Some(id) = category_named(tx, name, kind).await? {
        return Ok(id);
    }
    sqlx::query(
        "insert into finance_categories (tenant_id, name, kind, dre_line) values ($1, $2, $3, $4)
         on conflict on constraint finance_categories_name_key do nothing",
    )
    .bind(tx.tenant_id())
    .bind(name)
    .bind(kind.code())
    .bind(line.code())
    .execute(tx.conn())
    .await?;
    let id = category_named(tx, name, kind).await?.ok_or(AppError::NotFound)?;
    let details = serde_json::json!({ "name": name, "kind": kind.code(), "dre_line": line.code() });
    audit::record(tx, None, "finance.category_created", &id.to_string(), details).await?;
    Ok(id)
}

async fn category_named(tx: &mut TenantTx, name: &str, kind: EntryKind) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from finance_categories where kind = $1 and lower(name) = lower($2) order by created_at limit 1",
    )
    .bind(kind.code())
    .bind(name)
    .fetch_optional(tx.conn())
    .await
}

/// The account named `name`, opened as a bank account with a zero balance on `opened_on` when missing (the payment
/// provider's balance: money the provider received and has not yet transferred out).
pub async fn account(tx: &mut TenantTx, name: &str, opened_on: NaiveDate) -> Result<Uuid, AppError> {
    if let Some(id) = account_named(tx, name).await? {
        return Ok(id);
    }
    let new = NewAccount {
        name,
        kind: AccountKind::Bank,
        opening_balance_cents: 0,
        opening_date: opened_on,
        card_days: None,
    };
    let tenant_id = tx.tenant_id();
    let id = store::insert_account(tx.conn(), tenant_id, &new).await?;
    let details = serde_json::json!({ "name": name, "kind": AccountKind::Bank.code(), "opening_balance_cents": 0 });
    audit::record(tx, None, "finance.account_created", name, details).await?;
    Ok(id)
}

async fn account_named(tx: &mut TenantTx, name: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("select id from finance_accounts where name = $1").bind(name).fetch_optional(tx.conn()).await
}
