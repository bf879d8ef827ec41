//! A year of believable books for each demo tenant, so finance pages look alive on the first `make run`: a school
//! (tuition, salaries, rent, utilities, taxes) or a financing company (commissions, payroll, marketing), a bank
//! account, petty cash, a credit card holding the small purchases, each of its invoices paid by a transfer of its
//! real total on its due date (so the card owes about one invoice), and last-but-one month closed.
//!
//! Written in a handful of statements (one batch insert for the whole year) because it runs at every test's seed.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate, Utc};
use uuid::Uuid;

use super::{
    cards,
    fields::month_of,
    store::{self, NewAccount},
    types::{AccountKind, EntryKind},
};
use crate::platform::tenancy::TenantTx;

/// Where a line's entries are booked: the bank, or the credit card (small purchases only).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    Bank,
    Card,
}

/// (name, kind, DRE line, monthly amount in reais, entries per month, counterpart, account)
type Line = (&'static str, EntryKind, &'static str, i64, u32, &'static str, Via);

const SCHOOL: &[Line] = &[
    ("Mensalidades", EntryKind::Income, "receita_bruta", 1_450, 32, "Alunos", Via::Bank),
    ("Taxas de matrícula", EntryKind::Income, "receita_bruta", 250, 3, "Alunos", Via::Bank),
    ("Salários", EntryKind::Expense, "pessoal", 9_800, 3, "Folha de pagamento", Via::Bank),
    ("Aluguel", EntryKind::Expense, "ocupacao", 7_500, 1, "Imobiliária Centro", Via::Bank),
    ("Energia e água", EntryKind::Expense, "ocupacao", 1_350, 2, "Concessionárias", Via::Bank),
    ("Impostos (Simples Nacional)", EntryKind::Expense, "impostos", 3_900, 1, "Receita Federal", Via::Bank),
    ("Material e software", EntryKind::Expense, "administrativas", 420, 2, "Papelaria Norte", Via::Card),
    ("Copa e limpeza", EntryKind::Expense, "administrativas", 160, 4, "Mercado do Bairro", Via::Card),
];

const FINANCING: &[Line] = &[
    ("Comissões de financiamento", EntryKind::Income, "receita_bruta", 3_200, 9, "Banco parceiro", Via::Bank),
    ("Folha de pagamento", EntryKind::Expense, "pessoal", 6_400, 2, "Folha de pagamento", Via::Bank),
    ("Marketing digital", EntryKind::Expense, "comerciais", 1_100, 3, "Agência Vale", Via::Bank),
    ("Aluguel", EntryKind::Expense, "ocupacao", 3_800, 1, "Imobiliária Centro", Via::Bank),
    ("Impostos", EntryKind::Expense, "impostos", 1_900, 1, "Receita Federal", Via::Bank),
    ("Software e assinaturas", EntryKind::Expense, "administrativas", 290, 3, "Fornecedores online", Via::Card),
];

/// The demo card closes on the 5th and is due on the 12th.
const CARD_DAYS: (i16, i16) = (5, 12);

/// A repeatable wobble (±15 %) so months differ without a random generator.
fn wobble(reais: i64, seed: u32) -> i64 {
    let spread = i64::from(seed.wrapping_mul(2_654_435_761) % 31) - 15;
    (reais * 100 * (100 + spread)) / 100
}

pub async fn seed(tx: &mut TenantTx, slug: &str) -> Result<(), sqlx::Error> {
    let (lines, finance_staff) = match slug {
        "famath" => (SCHOOL, None),
        _ => (FINANCING, Some("financeiro@")),
    };
    let tenant_id = tx.tenant_id();
    if let Some(prefix) = finance_staff {
        sqlx::query("update users set finance_access = true where role = 'staff' and starts_with(email, $1)")
            .bind(prefix)
            .execute(tx.conn())
            .await?;
    }
    let today = Utc::now().date_naive();
    let this_month = month_of(today);
    let first = this_month.checked_sub_months(Months::new(11)).unwrap_or(this_month);
    let account = |name, kind, card_days| NewAccount {
        name,
        kind,
        opening_balance_cents: match kind {
            AccountKind::Bank => 4_500_000,
            AccountKind::Cash => 50_000,
            AccountKind::CreditCard => 0,
        },
        opening_date: first,
        card_days,
    };
    let bank =
        store::insert_account(tx.conn(), tenant_id, &account("Banco do Brasil", AccountKind::Bank, None)).await?;
    let cash = store::insert_account(tx.conn(), tenant_id, &account("Caixa", AccountKind::Cash, None)).await?;
    let card =
        store::insert_account(tx.conn(), tenant_id, &account("Cartão Visa", AccountKind::CreditCard, Some(CARD_DAYS)))
            .await?;
    let income_root = store::insert_category(tx.conn(), tenant_id, None, "Receitas", EntryKind::Income, None).await?;
    let expense_root = store::insert_category(tx.conn(), tenant_id, None, "Despesas", EntryKind::Expense, None).await?;

    let mut rows = Rows::default();
    // What the card's purchases add up to, per invoice (its closing date).
    let mut invoices: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for (index, (name, kind, dre_line, reais, per_month, counterpart, via)) in lines.iter().enumerate() {
        let root = if *kind == EntryKind::Income { income_root } else { expense_root };
        let category = store::insert_category(tx.conn(), tenant_id, Some(root), name, *kind, Some(dre_line)).await?;
        let account = match via {
            Via::Card => card,
            Via::Bank => bank,
        };
        for month_index in 0..12u32 {
            let month = first.checked_add_months(Months::new(month_index)).unwrap_or(first);
            for entry in 0..*per_month {
                let day = 1 + (entry * 7 + u32::try_from(index).unwrap_or(0) * 3) % 27;
                let date = month.with_day(day).unwrap_or(month);
                let seed = month_index * 97 + entry * 13 + u32::try_from(index).unwrap_or(0);
                // Taxes of a month are due on the 20th of the next (the DAS); everything else on its day. What is
                // due after today is still to be paid; nobody has bought it on the card yet.
                let due = if *dre_line == "impostos" { tax_due(date) } else { date };
                let paid_on = (due <= today).then_some(due);
                if *via == Via::Card && paid_on.is_none() {
                    continue;
                }
                let amount = wobble(*reais, seed);
                if *via == Via::Card {
                    *invoices.entry(cards::invoice_closing(date, card_closing_day())).or_default() += amount;
                }
                let description =
                    if *per_month > 1 { format!("{name} {}/{}", entry + 1, per_month) } else { (*name).into() };
                rows.push(account, category, kind.code(), amount, (date, due), paid_on, description, counterpart);
            }
        }
    }
    sqlx::query(
        "insert into finance_transactions (tenant_id, account_id, category_id, kind, amount_cents, competence_date,
                                           due_date, paid_on, description, counterpart)
         select $1, * from unnest($2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::date[], $7::date[], $8::date[],
                                  $9::text[], $10::text[])",
    )
    .bind(tenant_id)
    .bind(&rows.account)
    .bind(&rows.category)
    .bind(&rows.kind)
    .bind(&rows.amount)
    .bind(&rows.date)
    .bind(&rows.due)
    .bind(&rows.paid_on)
    .bind(&rows.description)
    .bind(&rows.counterpart)
    .execute(tx.conn())
    .await?;

    // Transfers, never results: each card invoice paid from the bank on its due date with its real total, and
    // petty cash topped up every month.
    let mut transfers = Transfers::default();
    for (closing, total) in invoices {
        let due = cards::invoice_due(closing, card_closing_day(), card_due_day());
        if due <= today {
            let description = format!("Pagamento da fatura {}", closing.format("%m/%Y"));
            transfers.push(bank, card, total, due, description, Some(closing));
        }
    }
    for month_index in 0..12u32 {
        let month = first.checked_add_months(Months::new(month_index)).unwrap_or(first);
        if let Some(date) = month.with_day(12).filter(|date| *date <= today) {
            transfers.push(bank, cash, 30_000, date, "Reforço do caixa".into(), None);
        }
    }
    sqlx::query(
        "insert into finance_transfers (tenant_id, from_account_id, to_account_id, amount_cents, transfer_date,
                                        description, invoice_closing)
         select $1, * from unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::date[], $6::text[], $7::date[])",
    )
    .bind(tenant_id)
    .bind(&transfers.from)
    .bind(&transfers.to)
    .bind(&transfers.amount)
    .bind(&transfers.date)
    .bind(&transfers.description)
    .bind(&transfers.invoice_closing)
    .execute(tx.conn())
    .await?;
    // The accountant has the month before last.
    if let Some(closed) = this_month.checked_sub_months(Months::new(2)) {
        sqlx::query("insert into finance_closed_months (tenant_id, month) values ($1, $2)")
            .bind(tenant_id)
            .bind(closed)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The 20th of the month after `date`.
fn tax_due(date: NaiveDate) -> NaiveDate {
    date.with_day(20).and_then(|day| day.checked_add_months(Months::new(1))).unwrap_or(date)
}

fn card_closing_day() -> u32 {
    u32::try_from(CARD_DAYS.0).unwrap_or(1)
}

fn card_due_day() -> u32 {
    u32::try_from(CARD_DAYS.1).unwrap_or(1)
}

/// Transfers as columns, for one batch insert.
#[derive(Default)]
struct Transfers {
    from: Vec<Uuid>,
    to: Vec<Uuid>,
    amount: Vec<i64>,
    date: Vec<NaiveDate>,
    description: Vec<String>,
    invoice_closing: Vec<Option<NaiveDate>>,
}

impl Transfers {
    fn push(
        &mut self,
        from: Uuid,
        to: Uuid,
        amount: i64,
        date: NaiveDate,
        description: String,
        invoice: Option<NaiveDate>,
    ) {
        self.from.push(from);
        self.to.push(to);
        self.amount.push(amount);
        self.date.push(date);
        self.description.push(description);
        self.invoice_closing.push(invoice);
    }
}

#[derive(Default)]
struct Rows {
    account: Vec<Uuid>,
    category: Vec<Uuid>,
    kind: Vec<&'static str>,
    amount: Vec<i64>,
    date: Vec<NaiveDate>,
    due: Vec<NaiveDate>,
    paid_on: Vec<Option<NaiveDate>>,
    description: Vec<String>,
    counterpart: Vec<&'static str>,
}

impl Rows {
    #[allow(clippy::too_many_arguments, reason = "one row's columns, pushed side by side")]
    fn push(
        &mut self,
        account: Uuid,
        category: Uuid,
        kind: &'static str,
        amount: i64,
        (date, due): (NaiveDate, NaiveDate),
        paid_on: Option<NaiveDate>,
        description: String,
        counterpart: &'static str,
    ) {
        self.account.push(account);
        self.category.push(category);
        self.kind.push(kind);
        self.amount.push(amount);
        self.date.push(date);
        self.due.push(due);
        self.paid_on.push(paid_on);
        self.description.push(description);
        self.counterpart.push(counterpart);
    }
}
