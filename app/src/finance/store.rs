//! SQL for the ledger. Every function runs on a `TenantTx` connection: row-level security scopes it to the tenant.
//! Rollups and balances are moved by the database's triggers in the same statement (see the migration).

use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use super::types::{Account, AccountKind, Category, EntryKind, Status, Totals, Transaction, TransactionFilter};

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: Uuid,
    name: String,
    kind: String,
    opening_balance_cents: i64,
    opening_date: NaiveDate,
    closing_day: Option<i16>,
    due_day: Option<i16>,
    movement_cents: i64,
}

impl AccountRow {
    fn wire(self) -> Account {
        Account {
            id: self.id,
            kind: AccountKind::from_code(&self.kind).unwrap_or(AccountKind::Bank),
            balance_cents: self.opening_balance_cents + self.movement_cents,
            name: self.name,
            opening_balance_cents: self.opening_balance_cents,
            opening_date: self.opening_date,
            closing_day: self.closing_day,
            due_day: self.due_day,
        }
    }
}

const ACCOUNT_COLUMNS: &str =
    "id, name, kind, opening_balance_cents, opening_date, closing_day, due_day, movement_cents";

pub async fn accounts(conn: &mut PgConnection) -> Result<Vec<Account>, sqlx::Error> {
    let rows: Vec<AccountRow> =
        sqlx::query_as(&format!("select {ACCOUNT_COLUMNS} from finance_accounts order by kind, name"))
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(AccountRow::wire).collect())
}

pub async fn account(conn: &mut PgConnection, id: Uuid) -> Result<Option<Account>, sqlx::Error> {
    let row: Option<AccountRow> =
        sqlx::query_as(&format!("select {ACCOUNT_COLUMNS} from finance_accounts where id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(AccountRow::wire))
}

pub struct NewAccount<'a> {
    pub name: &'a str,
    pub kind: AccountKind,
    pub opening_balance_cents: i64,
    pub opening_date: NaiveDate,
    /// (closing day, due day) of a credit card.
    pub card_days: Option<(i16, i16)>,
}

pub async fn insert_account(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    account: &NewAccount<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into finance_accounts (tenant_id, name, kind, opening_balance_cents, opening_date, closing_day, due_day)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(tenant_id)
    .bind(account.name.trim())
    .bind(account.kind.code())
    .bind(account.opening_balance_cents)
    .bind(account.opening_date)
    .bind(account.card_days.map(|days| days.0))
    .bind(account.card_days.map(|days| days.1))
    .fetch_one(conn)
    .await
}

pub async fn count_accounts(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from finance_accounts").fetch_one(conn).await
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    kind: String,
    dre_line: Option<String>,
}

pub async fn categories(conn: &mut PgConnection) -> Result<Vec<Category>, sqlx::Error> {
    let rows: Vec<CategoryRow> =
        sqlx::query_as("select id, parent_id, name, kind, dre_line from finance_categories order by kind desc, name")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|row| Category {
            id: row.id,
            parent_id: row.parent_id,
            kind: EntryKind::from_code(&row.kind).unwrap_or(EntryKind::Expense),
            name: row.name,
            dre_line: row.dre_line,
        })
        .collect())
}

pub async fn category_kind(conn: &mut PgConnection, id: Uuid) -> Result<Option<EntryKind>, sqlx::Error> {
    let kind: Option<String> =
        sqlx::query_scalar("select kind from finance_categories where id = $1").bind(id).fetch_optional(conn).await?;
    Ok(kind.as_deref().and_then(EntryKind::from_code))
}

pub async fn insert_category(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    parent_id: Option<Uuid>,
    name: &str,
    kind: EntryKind,
    dre_line: Option<&str>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into finance_categories (tenant_id, parent_id, name, kind, dre_line) values ($1, $2, $3, $4, $5)
         returning id",
    )
    .bind(tenant_id)
    .bind(parent_id)
    .bind(name)
    .bind(kind.code())
    .bind(dre_line)
    .fetch_one(conn)
    .await
}

#[derive(sqlx::FromRow)]
struct TransactionRow {
    id: Uuid,
    account_id: Uuid,
    account: String,
    category_id: Uuid,
    category: String,
    kind: String,
    amount_cents: i64,
    competence_date: NaiveDate,
    due_date: NaiveDate,
    paid_on: Option<NaiveDate>,
    description: String,
    counterpart: Option<String>,
    source: Option<String>,
}

impl TransactionRow {
    fn wire(self) -> Transaction {
        Transaction {
            id: self.id,
            account_id: self.account_id,
            account: self.account,
            category_id: self.category_id,
            category: self.category,
            kind: EntryKind::from_code(&self.kind).unwrap_or(EntryKind::Expense),
            amount_cents: self.amount_cents,
            competence_date: self.competence_date,
            due_date: self.due_date,
            paid_on: self.paid_on,
            description: self.description,
            counterpart: self.counterpart,
            source: self.source,
        }
    }
}

/// Appends the filter's conditions to `query` (which ends in a `where` clause) — only those that are set, each with
/// its value bound, so the planner sees plain conditions it can serve from an index: a month filter is an index
/// range on (tenant, competence date), not `($1 is null or …)` scanning every row of the tenant.
fn push_filter(query: &mut QueryBuilder<'_, Postgres>, filter: &TransactionFilter) {
    if let Some(from) = filter.from {
        query.push(" and t.competence_date >= ").push_bind(from);
    }
    if let Some(to) = filter.to {
        query.push(" and t.competence_date <= ").push_bind(to);
    }
    if let Some(account) = filter.account_id {
        query.push(" and t.account_id = ").push_bind(account);
    }
    if let Some(category) = filter.category_id {
        // The category or any of its children.
        query
            .push(" and t.category_id in (select k.id from finance_categories k where k.id = ")
            .push_bind(category)
            .push(" or k.parent_id = ")
            .push_bind(category)
            .push(")");
    }
    match filter.status {
        Some(Status::Paid) => query.push(" and t.paid_on is not null"),
        Some(Status::Pending) => query.push(" and t.paid_on is null"),
        None => query,
    };
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
        query
            .push(" and position(lower(")
            .push_bind(text.to_string())
            .push(") in lower(t.description || ' ' || coalesce(t.counterpart, ''))) > 0");
    }
}

/// The newest `limit` transactions the filter matches.
pub async fn transactions(
    conn: &mut PgConnection,
    filter: &TransactionFilter,
    limit: i64,
) -> Result<Vec<Transaction>, sqlx::Error> {
    let mut query = QueryBuilder::new(
        "select t.id, t.account_id, a.name as account, t.category_id, c.name as category, t.kind, t.amount_cents,
                t.competence_date, t.due_date, t.paid_on, t.description, t.counterpart, t.source
           from finance_transactions t
           join finance_accounts a on a.tenant_id = t.tenant_id and a.id = t.account_id
           join finance_categories c on c.tenant_id = t.tenant_id and c.id = t.category_id
          where true",
    );
    push_filter(&mut query, filter);
    query.push(" order by t.competence_date desc, t.id desc limit ").push_bind(limit);
    let rows: Vec<TransactionRow> = query.build_query_as().fetch_all(conn).await?;
    Ok(rows.into_iter().map(TransactionRow::wire).collect())
}

/// Totals of everything the filter matches (for a month alone, an index-only scan of
/// `finance_transactions_competence_sum_idx`).
pub async fn totals(conn: &mut PgConnection, filter: &TransactionFilter) -> Result<Totals, sqlx::Error> {
    let mut query = QueryBuilder::new(
        "select coalesce(sum(t.amount_cents) filter (where t.kind = 'income'), 0)::bigint,
                coalesce(sum(t.amount_cents) filter (where t.kind = 'expense'), 0)::bigint,
                count(*)
           from finance_transactions t
          where true",
    );
    push_filter(&mut query, filter);
    let (income_cents, expense_cents, count): (i64, i64, i64) = query.build_query_as().fetch_one(conn).await?;
    Ok(Totals { income_cents, expense_cents, count })
}

pub async fn transaction(conn: &mut PgConnection, id: Uuid) -> Result<Option<Transaction>, sqlx::Error> {
    let row: Option<TransactionRow> = sqlx::query_as(
        "select t.id, t.account_id, a.name as account, t.category_id, c.name as category, t.kind, t.amount_cents,
                t.competence_date, t.due_date, t.paid_on, t.description, t.counterpart, t.source
           from finance_transactions t
           join finance_accounts a on a.tenant_id = t.tenant_id and a.id = t.account_id
           join finance_categories c on c.tenant_id = t.tenant_id and c.id = t.category_id
          where t.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(TransactionRow::wire))
}

/// Whether any of `months` (first days) is closed; answers the first closed one.
pub async fn first_closed(conn: &mut PgConnection, months: &[NaiveDate]) -> Result<Option<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar("select min(month) from finance_closed_months where month = any($1)")
        .bind(months)
        .fetch_one(conn)
        .await
}

/// The closed months (first days), oldest first.
pub async fn closed_months(conn: &mut PgConnection) -> Result<Vec<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar("select month from finance_closed_months order by month").fetch_all(conn).await
}

/// The DRE drill-down's condition: categories feeding one of `$1` (DRE line codes), dated in `$3..=$4` by
/// competence, or by payment when `$2` (cash basis).
const BEHIND: &str = "c.dre_line = any($1)
    and case when $2 then t.paid_on between $3 and $4 else t.competence_date between $3 and $4 end";

/// The newest `limit` transactions behind a DRE cell.
pub async fn transactions_behind(
    conn: &mut PgConnection,
    lines: &[&str],
    cash: bool,
    (from, to): (NaiveDate, NaiveDate),
    limit: i64,
) -> Result<Vec<Transaction>, sqlx::Error> {
    let rows: Vec<TransactionRow> = sqlx::query_as(&format!(
        "select t.id, t.account_id, a.name as account, t.category_id, c.name as category, t.kind, t.amount_cents,
                t.competence_date, t.due_date, t.paid_on, t.description, t.counterpart, t.source
           from finance_transactions t
           join finance_accounts a on a.tenant_id = t.tenant_id and a.id = t.account_id
           join finance_categories c on c.tenant_id = t.tenant_id and c.id = t.category_id
          where {BEHIND}
          order by t.competence_date desc, t.id desc
          limit $5"
    ))
    .bind(lines)
    .bind(cash)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(TransactionRow::wire).collect())
}

/// The signed total (income positive) and count of every transaction behind a DRE cell.
pub async fn total_behind(
    conn: &mut PgConnection,
    lines: &[&str],
    cash: bool,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(&format!(
        "select coalesce(sum(case t.kind when 'income' then t.amount_cents else -t.amount_cents end), 0)::bigint,
                count(*)
           from finance_transactions t
           join finance_categories c on c.tenant_id = t.tenant_id and c.id = t.category_id
          where {BEHIND}"
    ))
    .bind(lines)
    .bind(cash)
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await
}

/// Pending expenses due on or before `until` (overdue ones included), soonest first; at most fifty.
pub async fn transactions_due(conn: &mut PgConnection, until: NaiveDate) -> Result<Vec<Transaction>, sqlx::Error> {
    let rows: Vec<TransactionRow> = sqlx::query_as(
        "select t.id, t.account_id, a.name as account, t.category_id, c.name as category, t.kind, t.amount_cents,
                t.competence_date, t.due_date, t.paid_on, t.description, t.counterpart, t.source
           from finance_transactions t
           join finance_accounts a on a.tenant_id = t.tenant_id and a.id = t.account_id
           join finance_categories c on c.tenant_id = t.tenant_id and c.id = t.category_id
          where t.paid_on is null and t.kind = 'expense' and t.due_date <= $1
          order by t.due_date, t.id
          limit 50",
    )
    .bind(until)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(TransactionRow::wire).collect())
}
