//! The ledger service: the one place transactions and transfers are written, by finance's own pages and by other
//! modules (`record`). Every write checks closed months, is audited, and moves rollups and balances in the same
//! transaction (the database's triggers do the moving, so nothing can write around them).

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    fields::month_of,
    store,
    types::{EntryKind, Source},
};
use crate::i18n::Locale;
use crate::platform::{
    AppError, audit,
    context::request_locale,
    plans::{self, Limit},
    tenancy::TenantTx,
};

/// A transaction to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub account_id: Uuid,
    pub category_id: Uuid,
    pub kind: EntryKind,
    pub amount_cents: i64,
    pub competence_date: NaiveDate,
    pub due_date: NaiveDate,
    /// `Some` when paid.
    pub paid_on: Option<NaiveDate>,
    pub description: String,
    pub counterpart: Option<String>,
    pub external_id: Option<String>,
    pub batch_id: Option<Uuid>,
}

/// A charge or its reversal (a refund): both may exist for the same (source, source id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    Charge,
    Reversal,
}

impl SourceKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Charge => "charge",
            Self::Reversal => "reversal",
        }
    }
}

/// An entry from another module: what it is and what caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedEntry {
    pub entry: Entry,
    pub source: Source,
    pub source_id: String,
    pub source_kind: SourceKind,
}

/// What `record` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub id: Uuid,
    /// False when the same (source, source id, kind) was booked before: nothing new was written.
    pub created: bool,
    /// Set when the entry's month was closed and it landed on the first open day instead (the original date).
    pub moved_from: Option<NaiveDate>,
}

/// Books an entry caused by another module (a paid tuition, a won deal) in the caller's transaction. Idempotent by
/// (source, source id, kind): a retried job gets the first booking back. Never refused by a plan limit. When its
/// month is closed it lands on the first open day and says so (`moved_from`).
pub async fn record(tx: &mut TenantTx, sourced: SourcedEntry) -> Result<Recorded, AppError> {
    if let Some(id) = find_sourced(tx, &sourced).await? {
        return Ok(Recorded { id, created: false, moved_from: None });
    }
    let mut entry = sourced.entry.clone();
    let mut moved_from = None;
    let open_day = store::first_open_day(tx.conn(), entry.competence_date).await?;
    if open_day != entry.competence_date {
        moved_from = Some(entry.competence_date);
        entry.competence_date = open_day;
    }
    if let Some(paid_on) = entry.paid_on {
        entry.paid_on = Some(store::first_open_day(tx.conn(), paid_on).await?);
    }
    check_entry(tx, &entry).await?;
    // Two retries racing: the unique constraint lets one in; the other finds it (the savepoint keeps the caller's
    // transaction usable).
    let inserted: Result<Uuid, sqlx::Error> = {
        sqlx::query("savepoint finance_record").execute(tx.conn()).await?;
        insert_row(tx, &entry, Some(&sourced)).await
    };
    let id = match inserted {
        Ok(id) => {
            sqlx::query("release savepoint finance_record").execute(tx.conn()).await?;
            id
        }
        Err(error) if is_constraint(&error, "finance_transactions_source_key") => {
            sqlx::query("rollback to savepoint finance_record").execute(tx.conn()).await?;
            let id = find_sourced(tx, &sourced).await?.ok_or(AppError::NotFound)?;
            return Ok(Recorded { id, created: false, moved_from: None });
        }
        Err(error) => return Err(AppError::from(error)),
    };
    let details = serde_json::json!({
        "source": sourced.source.code(), "source_id": sourced.source_id, "kind": sourced.source_kind.code(),
        "amount_cents": entry.amount_cents, "moved_from": moved_from,
    });
    audit::record(tx, None, "finance.transaction_recorded", &id.to_string(), details).await?;
    Ok(Recorded { id, created: true, moved_from })
}

async fn find_sourced(tx: &mut TenantTx, sourced: &SourcedEntry) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("select id from finance_transactions where source = $1 and source_id = $2 and source_kind = $3")
        .bind(sourced.source.code())
        .bind(&sourced.source_id)
        .bind(sourced.source_kind.code())
        .fetch_optional(tx.conn())
        .await
}

fn is_constraint(error: &sqlx::Error, name: &str) -> bool {
    error.as_database_error().and_then(|db| db.constraint()) == Some(name)
}

/// Creates a transaction typed by a person; refused in a closed month.
pub async fn create(tx: &mut TenantTx, actor: Option<Uuid>, entry: &Entry) -> Result<Uuid, AppError> {
    check_entry(tx, entry).await?;
    ensure_open(tx, &months_of(entry)).await?;
    // The plan caps what people type per month; entries from other modules count but are never refused.
    let plan = plans::lock(tx).await?;
    let month = month_of(entry.competence_date);
    let used: i64 = sqlx::query_scalar(
        "select count(*) from finance_transactions
          where competence_date >= $1 and competence_date < ($1 + interval '1 month')::date",
    )
    .bind(month)
    .fetch_one(tx.conn())
    .await?;
    plans::ensure(plan, Limit::TransactionsPerMonth, used)?;
    let id = insert_row(tx, entry, None).await?;
    audit::record(tx, actor, "finance.transaction_created", &id.to_string(), summary(entry)).await?;
    Ok(id)
}

/// Replaces a transaction's fields; refused when its old or new months are closed.
pub async fn update(tx: &mut TenantTx, actor: Option<Uuid>, id: Uuid, entry: &Entry) -> Result<(), AppError> {
    let before = store::transaction(tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    check_entry(tx, entry).await?;
    let mut months = months_of(entry);
    months.push(month_of(before.competence_date));
    months.extend(before.paid_on.map(month_of));
    ensure_open(tx, &months).await?;
    sqlx::query(
        "update finance_transactions set account_id = $2, category_id = $3, kind = $4, amount_cents = $5,
                competence_date = $6, due_date = $7, paid_on = $8, description = $9, counterpart = $10,
                updated_at = now()
          where id = $1",
    )
    .bind(id)
    .bind(entry.account_id)
    .bind(entry.category_id)
    .bind(entry.kind.code())
    .bind(entry.amount_cents)
    .bind(entry.competence_date)
    .bind(entry.due_date)
    .bind(entry.paid_on)
    .bind(entry.description.trim())
    .bind(entry.counterpart.as_deref())
    .execute(tx.conn())
    .await?;
    let details = serde_json::json!({ "before": before.amount_cents, "after": summary(entry) });
    audit::record(tx, actor, "finance.transaction_updated", &id.to_string(), details).await?;
    Ok(())
}

/// Marks a transaction paid on `paid_on`, or pending again (`None`).
pub async fn set_paid(
    tx: &mut TenantTx,
    actor: Option<Uuid>,
    id: Uuid,
    paid_on: Option<NaiveDate>,
) -> Result<(), AppError> {
    let before = store::transaction(tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    let mut months = vec![month_of(before.competence_date)];
    months.extend(before.paid_on.map(month_of));
    months.extend(paid_on.map(month_of));
    ensure_open(tx, &months).await?;
    sqlx::query("update finance_transactions set paid_on = $2, updated_at = now() where id = $1")
        .bind(id)
        .bind(paid_on)
        .execute(tx.conn())
        .await?;
    let details = serde_json::json!({ "paid_on": paid_on });
    audit::record(tx, actor, "finance.transaction_status_changed", &id.to_string(), details).await?;
    Ok(())
}

pub async fn delete(tx: &mut TenantTx, actor: Option<Uuid>, id: Uuid) -> Result<(), AppError> {
    let before = store::transaction(tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    let mut months = vec![month_of(before.competence_date)];
    months.extend(before.paid_on.map(month_of));
    ensure_open(tx, &months).await?;
    sqlx::query("delete from finance_transactions where id = $1").bind(id).execute(tx.conn()).await?;
    let details = serde_json::json!({ "amount_cents": before.amount_cents, "description": before.description });
    audit::record(tx, actor, "finance.transaction_deleted", &id.to_string(), details).await?;
    Ok(())
}

/// Money moving between two of the tenant's accounts: balances change, results never do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub from_account_id: Uuid,
    pub to_account_id: Uuid,
    pub amount_cents: i64,
    pub date: NaiveDate,
    pub description: String,
    /// Set when the transfer pays a card's invoice: that invoice's closing date.
    pub invoice_closing: Option<NaiveDate>,
}

pub async fn transfer(tx: &mut TenantTx, actor: Option<Uuid>, transfer: &Transfer) -> Result<Uuid, AppError> {
    if transfer.from_account_id == transfer.to_account_id {
        return Err(AppError::invalid("to_account_id", SAME_ACCOUNT));
    }
    if transfer.amount_cents <= 0 {
        return Err(AppError::invalid("amount", super::fields::AMOUNT_POSITIVE));
    }
    for (field, account) in [("from_account_id", transfer.from_account_id), ("to_account_id", transfer.to_account_id)] {
        if store::account(tx.conn(), account).await?.is_none() {
            return Err(AppError::invalid(field, NO_ACCOUNT));
        }
    }
    ensure_open(tx, &[month_of(transfer.date)]).await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into finance_transfers (tenant_id, from_account_id, to_account_id, amount_cents, transfer_date,
                                        description, invoice_closing)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(tx.tenant_id())
    .bind(transfer.from_account_id)
    .bind(transfer.to_account_id)
    .bind(transfer.amount_cents)
    .bind(transfer.date)
    .bind(transfer.description.trim())
    .bind(transfer.invoice_closing)
    .fetch_one(tx.conn())
    .await?;
    let details = serde_json::json!({
        "from": transfer.from_account_id, "to": transfer.to_account_id, "amount_cents": transfer.amount_cents,
        "invoice_closing": transfer.invoice_closing,
    });
    audit::record(tx, actor, "finance.transfer_created", &id.to_string(), details).await?;
    Ok(id)
}

/// Pays what is left of a card's invoice with a transfer from `from_account_id` on `date` (audited as a transfer).
pub async fn pay_invoice(
    tx: &mut TenantTx,
    actor: Option<Uuid>,
    card_id: Uuid,
    closing: NaiveDate,
    from_account_id: Uuid,
    date: NaiveDate,
) -> Result<Uuid, AppError> {
    let card = store::account(tx.conn(), card_id)
        .await?
        .filter(|card| card.kind == super::types::AccountKind::CreditCard)
        .ok_or_else(|| AppError::invalid("card", NO_CARD))?;
    let invoice = super::cards::invoice(tx.conn(), &card, closing).await?;
    let remaining = invoice.as_ref().map_or(0, super::types::Invoice::remaining_cents);
    if remaining == 0 {
        return Err(AppError::conflict(NOTHING_TO_PAY));
    }
    let payment = Transfer {
        from_account_id,
        to_account_id: card.id,
        amount_cents: remaining,
        date,
        description: format!("Pagamento da fatura {} — {}", closing.format("%m/%Y"), card.name),
        invoice_closing: Some(closing),
    };
    transfer(tx, actor, &payment).await
}

pub async fn delete_transfer(tx: &mut TenantTx, actor: Option<Uuid>, id: Uuid) -> Result<(), AppError> {
    let date: Option<NaiveDate> = sqlx::query_scalar("select transfer_date from finance_transfers where id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    let date = date.ok_or(AppError::NotFound)?;
    ensure_open(tx, &[month_of(date)]).await?;
    sqlx::query("delete from finance_transfers where id = $1").bind(id).execute(tx.conn()).await?;
    audit::record(tx, actor, "finance.transfer_deleted", &id.to_string(), serde_json::json!({})).await?;
    Ok(())
}

const SAME_ACCOUNT: crate::i18n::Text =
    crate::i18n::Text::new("Escolha uma conta diferente da de origem.", "Choose an account other than the source.");
const NO_ACCOUNT: crate::i18n::Text = crate::i18n::Text::new("Escolha uma conta.", "Choose an account.");
const NO_CARD: crate::i18n::Text = crate::i18n::Text::new("Escolha um cartão.", "Choose a card.");
const NOTHING_TO_PAY: crate::i18n::Text =
    crate::i18n::Text::new("Esta fatura não tem nada a pagar.", "This invoice has nothing to pay.");
const NO_CATEGORY: crate::i18n::Text = crate::i18n::Text::new("Escolha uma categoria.", "Choose a category.");
const WRONG_CATEGORY: crate::i18n::Text = crate::i18n::Text::new(
    "Esta categoria é do outro tipo (receita / despesa).",
    "This category is of the other kind (income / expense).",
);
const DESCRIPTION_REQUIRED: crate::i18n::Text =
    crate::i18n::Text::new("Descreva o lançamento.", "Describe the transaction.");

/// Field errors a person can fix, before the database sees the row.
async fn check_entry(tx: &mut TenantTx, entry: &Entry) -> Result<(), AppError> {
    let description = entry.description.trim();
    if description.is_empty() || description.chars().count() > 200 {
        return Err(AppError::invalid("description", DESCRIPTION_REQUIRED));
    }
    if entry.amount_cents <= 0 {
        return Err(AppError::invalid("amount", super::fields::AMOUNT_POSITIVE));
    }
    if store::account(tx.conn(), entry.account_id).await?.is_none() {
        return Err(AppError::invalid("account_id", NO_ACCOUNT));
    }
    match store::category_kind(tx.conn(), entry.category_id).await? {
        None => Err(AppError::invalid("category_id", NO_CATEGORY)),
        Some(kind) if kind != entry.kind => Err(AppError::invalid("category_id", WRONG_CATEGORY)),
        Some(_) => Ok(()),
    }
}

fn months_of(entry: &Entry) -> Vec<NaiveDate> {
    let mut months = vec![month_of(entry.competence_date)];
    months.extend(entry.paid_on.map(month_of));
    months
}

/// Refuses a change that touches a closed month, naming it.
pub async fn ensure_open(tx: &mut TenantTx, months: &[NaiveDate]) -> Result<(), AppError> {
    match store::first_closed(tx.conn(), months).await? {
        None => Ok(()),
        Some(month) => Err(AppError::Conflict { message: closed_message(month, request_locale()) }),
    }
}

pub fn closed_message(month: NaiveDate, locale: Locale) -> String {
    let month = month.format("%m/%Y");
    match locale {
        Locale::PtBr => format!(
            "O mês {month} está fechado: nada pode ser lançado, alterado ou excluído nele. Peça ao proprietário para reabri-lo."
        ),
        Locale::En => {
            format!("{month} is closed: nothing can be added, changed or deleted in it. Ask the owner to reopen it.")
        }
    }
}

fn summary(entry: &Entry) -> serde_json::Value {
    serde_json::json!({
        "kind": entry.kind.code(), "amount_cents": entry.amount_cents, "description": entry.description,
        "competence_date": entry.competence_date, "paid_on": entry.paid_on,
    })
}

async fn insert_row(tx: &mut TenantTx, entry: &Entry, sourced: Option<&SourcedEntry>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into finance_transactions (tenant_id, account_id, category_id, kind, amount_cents, competence_date,
             due_date, paid_on, description, counterpart, external_id, batch_id, source, source_id, source_kind)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id",
    )
    .bind(tx.tenant_id())
    .bind(entry.account_id)
    .bind(entry.category_id)
    .bind(entry.kind.code())
    .bind(entry.amount_cents)
    .bind(entry.competence_date)
    .bind(entry.due_date)
    .bind(entry.paid_on)
    .bind(entry.description.trim())
    .bind(entry.counterpart.as_deref().map(str::trim).filter(|text| !text.is_empty()))
    .bind(entry.external_id.as_deref())
    .bind(entry.batch_id)
    .bind(sourced.map(|sourced| sourced.source.code()))
    .bind(sourced.map(|sourced| sourced.source_id.as_str()))
    .bind(sourced.map(|sourced| sourced.source_kind.code()))
    .fetch_one(tx.conn())
    .await
}

/// Closes `month` (any day of it): from now on nothing is created, changed or deleted in it. Owner only (checked
/// by the caller); audited.
pub async fn close_month(tx: &mut TenantTx, actor: Option<Uuid>, month: NaiveDate) -> Result<(), AppError> {
    let month = month_of(month);
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "insert into finance_closed_months (tenant_id, month, closed_by) values ($1, $2, $3) on conflict do nothing",
    )
    .bind(tenant_id)
    .bind(month)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    audit::record(tx, actor, "finance.month_closed", &month.format("%Y-%m").to_string(), serde_json::json!({})).await?;
    Ok(())
}

/// Reopens a closed month; audited.
pub async fn reopen_month(tx: &mut TenantTx, actor: Option<Uuid>, month: NaiveDate) -> Result<(), AppError> {
    let month = month_of(month);
    sqlx::query("delete from finance_closed_months where month = $1").bind(month).execute(tx.conn()).await?;
    audit::record(tx, actor, "finance.month_reopened", &month.format("%Y-%m").to_string(), serde_json::json!({}))
        .await?;
    Ok(())
}

/// Opens an account, within the plan's number of finance accounts (checked under the tenant's row lock, so two
/// racing for the last one cannot both succeed). Audited.
pub async fn open_account(
    tx: &mut TenantTx,
    actor: Option<Uuid>,
    account: &store::NewAccount<'_>,
) -> Result<Uuid, AppError> {
    let plan = plans::lock(tx).await?;
    let used = store::count_accounts(tx.conn()).await?;
    plans::ensure(plan, Limit::FinanceAccounts, used)?;
    let tenant_id = tx.tenant_id();
    let id = store::insert_account(tx.conn(), tenant_id, account).await?;
    let details = serde_json::json!({
        "name": account.name, "kind": account.kind.code(), "opening_balance_cents": account.opening_balance_cents,
    });
    audit::record(tx, actor, "finance.account_created", account.name, details).await?;
    Ok(id)
}
