//! Generated books for the finance benchmarks (the ledger's and the DRE's): a tenant with a bank account, petty cash,
//! a credit card, a category tree whose leaves feed the DRE lines, and any number of transactions spread over
//! `MONTHS` months, written with `insert … select generate_series` in large statements.
//!
//! The rows go in as the runtime role, under row-level security, so the ledger's statement-level triggers keep the
//! rollups and balances exactly as they do for every ledger write (`finance_apply`, one grouped upsert per
//! statement); `verify` then compares them with a recomputation from the rows.

use app::{
    finance::{
        rollups, store,
        types::{AccountKind, EntryKind},
    },
    platform::tenancy::TenantTx,
};
use chrono::{Months, NaiveDate};
use sqlx::PgPool;
use uuid::Uuid;

/// The generated months: `FIRST_MONTH` and the `MONTHS - 1` after it.
pub const MONTHS: u32 = 24;

pub fn first_month() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
}

/// Rows per insert statement: large enough that trigger and round-trip costs vanish, small enough that the
/// triggers' transition arrays stay modest.
const CHUNK: i64 = 100_000;

/// (name, kind, DRE line, share of the rows in thousandths, typical amount in cents)
const CATEGORIES: &[(&str, EntryKind, &str, i64, i64)] = &[
    ("Mensalidades", EntryKind::Income, "receita_bruta", 450, 145_000),
    ("Serviços avulsos", EntryKind::Income, "receita_bruta", 60, 30_000),
    ("Rendimentos", EntryKind::Income, "resultado_financeiro", 10, 5_000),
    ("Impostos sobre vendas", EntryKind::Expense, "impostos", 40, 40_000),
    ("Material didático", EntryKind::Expense, "custos", 60, 20_000),
    ("Salários", EntryKind::Expense, "pessoal", 120, 300_000),
    ("Aluguel", EntryKind::Expense, "administrativas", 20, 750_000),
    ("Energia e água", EntryKind::Expense, "administrativas", 50, 13_500),
    ("Marketing", EntryKind::Expense, "comerciais", 90, 11_000),
    ("Tarifas bancárias", EntryKind::Expense, "resultado_financeiro", 80, 1_500),
    ("IRPJ e CSLL", EntryKind::Expense, "ir_csll", 20, 90_000),
];

/// What `generate` made: the ids a benchmark writes against.
#[derive(Debug, Clone)]
pub struct GeneratedBooks {
    pub tenant: Uuid,
    pub bank: Uuid,
    pub cash: Uuid,
    pub card: Uuid,
    /// (id, kind, DRE line) of each leaf category.
    pub categories: Vec<(Uuid, EntryKind, &'static str)>,
}

/// Opens the books of `tenant` and writes `rows` transactions into them: four in five paid (within 20 days of
/// their competence date), the rest pending; amounts and dates vary deterministically with the row number.
pub async fn generate(pool: &PgPool, tenant: Uuid, rows: i64) -> Result<GeneratedBooks, sqlx::Error> {
    let mut tx = TenantTx::begin(pool, tenant).await?;
    let opening_date = first_month();
    let mut accounts = Vec::new();
    for (name, kind, card_days) in [
        ("Banco", AccountKind::Bank, None),
        ("Caixa", AccountKind::Cash, None),
        ("Cartão", AccountKind::CreditCard, Some((5, 12))),
    ] {
        let account = store::NewAccount { name, kind, opening_balance_cents: 1_000_000, opening_date, card_days };
        accounts.push(store::insert_account(tx.conn(), tenant, &account).await?);
    }
    // Row n takes the category whose share covers slot n mod 1000 (a table of 1,000 slots joined by number).
    let (mut categories, mut slot_ids, mut slot_kinds, mut slot_amounts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for kind in [EntryKind::Income, EntryKind::Expense] {
        let root_name = if kind == EntryKind::Income { "Receitas" } else { "Despesas" };
        let root = store::insert_category(tx.conn(), tenant, None, root_name, kind, None).await?;
        for (name, _, line, share, amount) in CATEGORIES.iter().filter(|category| category.1 == kind) {
            let id = store::insert_category(tx.conn(), tenant, Some(root), name, kind, Some(line)).await?;
            categories.push((id, kind, *line));
            for _ in 0..*share {
                slot_ids.push(id);
                slot_kinds.push(kind.code());
                slot_amounts.push(*amount);
            }
        }
    }
    tx.commit().await?;
    let last_day = opening_date.checked_add_months(Months::new(MONTHS)).unwrap_or(opening_date);
    let days = (last_day - opening_date).num_days().max(1);
    let mut start = 0;
    while start < rows {
        let end = (start + CHUNK).min(rows);
        let mut tx = TenantTx::begin(pool, tenant).await?;
        sqlx::query(
            "insert into finance_transactions (tenant_id, account_id, category_id, kind, amount_cents,
                                               competence_date, due_date, paid_on, description, counterpart)
             select current_tenant_id(),
                    case when c.kind = 'expense' and n % 7 = 0 then $5::uuid when n % 11 = 0 then $4::uuid else $3::uuid end,
                    c.id, c.kind, greatest(100, c.amount * (70 + (n * 7919) % 61) / 100),
                    d.day, d.day, case when n % 5 <> 0 then d.day + (n % 20)::int end,
                    'Lançamento ' || n, 'Contraparte ' || (n % 997)
               from generate_series($1::bigint, $2::bigint - 1) n
               cross join lateral (select $6::date + ((n * 104729) % $7::bigint)::int as day) d
               join unnest($8::uuid[], $9::text[], $10::int8[]) with ordinality c(id, kind, amount, slot)
                 on c.slot = n % 1000 + 1",
        )
        .bind(start)
        .bind(end)
        .bind(accounts[0])
        .bind(accounts[1])
        .bind(accounts[2])
        .bind(opening_date)
        .bind(days)
        .bind(&slot_ids)
        .bind(&slot_kinds)
        .bind(&slot_amounts)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        start = end;
    }
    Ok(GeneratedBooks { tenant, bank: accounts[0], cash: accounts[1], card: accounts[2], categories })
}

/// Whether the tenant's stored rollups and balances equal a recomputation from its rows.
pub async fn verify(pool: &PgPool, tenant: Uuid) -> Result<bool, sqlx::Error> {
    let mut tx = TenantTx::begin(pool, tenant).await?;
    let rollups_exact = rollups::stored(&mut tx).await? == rollups::recomputed(&mut tx).await?;
    let balances_exact = rollups::balances(&mut tx).await?.iter().all(|(_, kept, computed)| kept == computed);
    tx.commit().await?;
    Ok(rollups_exact && balances_exact)
}
