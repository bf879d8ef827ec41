//! The ledger service: the one place transactions and transfers are written, by finance's own pages and by other
//! modules (`record`). Every write checks closed months, is audited, and moves rollups and balances in the same
//! transaction (the database's triggers do the moving, so nothing can write around them).

use std::collections::{BTreeSet, HashMap, HashSet};

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
    let mut recorded = record_batch(tx, std::slice::from_ref(&sourced)).await?;
    recorded.pop().ok_or(AppError::NotFound)
}

/// Books many entries from other modules (a statement import, a month of tuition) in the caller's transaction, each
/// by `record`'s rules, with one insert: the rollup triggers then run once for the whole batch and move each
/// (category, month, basis) once by its summed delta. Answers one `Recorded` per entry, in order; an entry booked
/// before, or repeating an earlier entry of the batch, gets that booking back (`created: false`).
pub async fn record_batch(tx: &mut TenantTx, batch: &[SourcedEntry]) -> Result<Vec<Recorded>, AppError> {
    let mut booked = find_sourced(tx, batch).await?;
    let closed: BTreeSet<NaiveDate> = store::closed_months(tx.conn()).await?.into_iter().collect();
    let mut fresh: Vec<NewRow> = Vec::new();
    let mut planned = HashSet::new();
    for sourced in batch {
        let key = source_key(sourced);
        if booked.contains_key(&key) || !planned.insert(key.clone()) {
            continue;
        }
        let mut entry = sourced.entry.clone();
        let open_day = first_open_day(&closed, entry.competence_date);
        let moved_from = (open_day != entry.competence_date).then_some(entry.competence_date);
        entry.competence_date = open_day;
        entry.paid_on = entry.paid_on.map(|paid_on| first_open_day(&closed, paid_on));
        fresh.push(NewRow { key, entry, moved_from });
    }
    check_entries(tx, &fresh.iter().map(|row| &row.entry).collect::<Vec<_>>()).await?;
    let inserted = insert_sourced(tx, &fresh).await?;
    // A row a concurrent transaction booked between the look-up and the insert was skipped by the insert (on
    // conflict do nothing, after waiting for that transaction): its booking is found now.
    if inserted.len() < fresh.len() {
        booked = find_sourced(tx, batch).await?;
    }
    let mut created: HashMap<SourceKey, (Uuid, Option<NaiveDate>)> = HashMap::new();
    let mut audits = Vec::with_capacity(inserted.len());
    for NewRow { key, entry, moved_from } in fresh {
        let Some(id) = inserted.get(&key).copied() else { continue };
        let details = serde_json::json!({
            "source": key.0, "source_id": key.1, "kind": key.2,
            "amount_cents": entry.amount_cents, "moved_from": moved_from,
        });
        audits.push((id.to_string(), details));
        created.insert(key, (id, moved_from));
    }
    audit::record_many(tx, None, "finance.transaction_recorded", audits).await?;
    let mut answers = Vec::with_capacity(batch.len());
    for sourced in batch {
        let key = source_key(sourced);
        let answer = match created.remove(&key) {
            Some((id, moved_from)) => {
                booked.insert(key, id);
                Recorded { id, created: true, moved_from }
            }
            None => Recorded { id: *booked.get(&key).ok_or(AppError::NotFound)?, created: false, moved_from: None },
        };
        answers.push(answer);
    }
    Ok(answers)
}

/// (source, source id, kind) as stored: what makes a booking from another module unique.
type SourceKey = (String, String, String);

fn source_key(sourced: &SourcedEntry) -> SourceKey {
    (sourced.source.code().to_owned(), sourced.source_id.clone(), sourced.source_kind.code().to_owned())
}

/// A row of a batch to insert: its source, the entry as it will be stored, and its date before a closed month
/// moved it.
struct NewRow {
    key: SourceKey,
    entry: Entry,
    moved_from: Option<NaiveDate>,
}

/// The bookings already made for the batch's sources.
async fn find_sourced(tx: &mut TenantTx, batch: &[SourcedEntry]) -> Result<HashMap<SourceKey, Uuid>, sqlx::Error> {
    let keys: Vec<SourceKey> = batch.iter().map(source_key).collect();
    let rows: Vec<(String, String, String, Uuid)> = sqlx::query_as(
        "select t.source, t.source_id, t.source_kind, t.id
           from finance_transactions t
           join unnest($1::text[], $2::text[], $3::text[]) k(source, source_id, source_kind)
             on t.source = k.source and t.source_id = k.source_id and t.source_kind = k.source_kind",
    )
    .bind(keys.iter().map(|key| key.0.as_str()).collect::<Vec<_>>())
    .bind(keys.iter().map(|key| key.1.as_str()).collect::<Vec<_>>())
    .bind(keys.iter().map(|key| key.2.as_str()).collect::<Vec<_>>())
    .fetch_all(tx.conn())
    .await?;
    Ok(rows.into_iter().map(|(source, id, kind, row)| ((source, id, kind), row)).collect())
}

/// The first day on or after `date` whose month is not in `closed` (first days of closed months).
fn first_open_day(closed: &BTreeSet<NaiveDate>, date: NaiveDate) -> NaiveDate {
    let mut month = month_of(date);
    if !closed.contains(&month) {
        return date;
    }
    while closed.contains(&month) {
        match month.checked_add_months(chrono::Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    month
}

/// Inserts the batch's new rows in one statement (so the rollup triggers run once); a row whose source was booked
/// meanwhile is skipped. Answers the new ids by source.
async fn insert_sourced(tx: &mut TenantTx, rows: &[NewRow]) -> Result<HashMap<SourceKey, Uuid>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let entries = || rows.iter().map(|row| &row.entry);
    let inserted: Vec<(String, String, String, Uuid)> = sqlx::query_as(
        "insert into finance_transactions (tenant_id, account_id, category_id, kind, amount_cents, competence_date,
             due_date, paid_on, description, counterpart, external_id, batch_id, source, source_id, source_kind)
         select $1, r.* from unnest($2::uuid[], $3::uuid[], $4::text[], $5::int8[], $6::date[], $7::date[],
                                    $8::date[], $9::text[], $10::text[], $11::text[], $12::uuid[], $13::text[],
                                    $14::text[], $15::text[]) r
         on conflict on constraint finance_transactions_source_key do nothing
         returning source, source_id, source_kind, id",
    )
    .bind(tx.tenant_id())
    .bind(entries().map(|entry| entry.account_id).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.category_id).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.kind.code()).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.amount_cents).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.competence_date).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.due_date).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.paid_on).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.description.trim()).collect::<Vec<_>>())
    .bind(entries().map(|entry| counterpart(entry)).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.external_id.as_deref()).collect::<Vec<_>>())
    .bind(entries().map(|entry| entry.batch_id).collect::<Vec<_>>())
    .bind(rows.iter().map(|row| row.key.0.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|row| row.key.1.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|row| row.key.2.as_str()).collect::<Vec<_>>())
    .fetch_all(tx.conn())
    .await?;
    Ok(inserted.into_iter().map(|(source, id, kind, row)| ((source, id, kind), row)).collect())
}

/// The counterpart as stored: trimmed, and none when blank.
fn counterpart(entry: &Entry) -> Option<&str> {
    entry.counterpart.as_deref().map(str::trim).filter(|text| !text.is_empty())
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
    let id = insert_row(tx, entry).await?;
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
    check_entries(tx, &[entry]).await
}

/// `check_entry` for many entries, with one look-up of their accounts and one of their categories.
async fn check_entries(tx: &mut TenantTx, entries: &[&Entry]) -> Result<(), AppError> {
    for entry in entries {
        let description = entry.description.trim();
        if description.is_empty() || description.chars().count() > 200 {
            return Err(AppError::invalid("description", DESCRIPTION_REQUIRED));
        }
        if entry.amount_cents <= 0 {
            return Err(AppError::invalid("amount", super::fields::AMOUNT_POSITIVE));
        }
    }
    let account_ids: Vec<Uuid> = entries.iter().map(|entry| entry.account_id).collect();
    let accounts: HashSet<Uuid> = sqlx::query_scalar("select id from finance_accounts where id = any($1)")
        .bind(&account_ids)
        .fetch_all(tx.conn())
        .await?
        .into_iter()
        .collect();
    let category_ids: Vec<Uuid> = entries.iter().map(|entry| entry.category_id).collect();
    let categories: HashMap<Uuid, String> =
        sqlx::query_as("select id, kind from finance_categories where id = any($1)")
            .bind(&category_ids)
            .fetch_all(tx.conn())
            .await?
            .into_iter()
            .collect();
    for entry in entries {
        if !accounts.contains(&entry.account_id) {
            return Err(AppError::invalid("account_id", NO_ACCOUNT));
        }
        match categories.get(&entry.category_id).and_then(|kind| EntryKind::from_code(kind)) {
            None => return Err(AppError::invalid("category_id", NO_CATEGORY)),
            Some(kind) if kind != entry.kind => return Err(AppError::invalid("category_id", WRONG_CATEGORY)),
            Some(_) => {}
        }
    }
    Ok(())
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

/// Inserts a row typed by a person (no source).
async fn insert_row(tx: &mut TenantTx, entry: &Entry) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into finance_transactions (tenant_id, account_id, category_id, kind, amount_cents, competence_date,
             due_date, paid_on, description, counterpart, external_id, batch_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
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
    .bind(counterpart(entry))
    .bind(entry.external_id.as_deref())
    .bind(entry.batch_id)
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
