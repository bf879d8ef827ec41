//! Finance, part 2: the cash-flow forecast. Pending entries on their due dates (overdue ones today), recurring
//! occurrences, a card invoice still owed, a receivable from another module through the hook, per account and in
//! total, and the first negative day named with the entries that cause it; the actual balance of the last 30 days
//! next to it.

use app::finance::{
    forecast::{self, BoxFuture, Receivable, ReceivablesSource},
    ledger::{self, Entry},
    recurring,
    recurring_types::{Frequency, Schedule, VersionTerms},
    store,
    types::{AccountKind, EntryKind},
};
use app::platform::{AppError, tenancy::TenantTx};
use chrono::NaiveDate;
use server::test_support::{TestDatabase, create_tenant};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// What enrollment would answer: one pending charge.
struct Tuition {
    account: Uuid,
}

impl ReceivablesSource for Tuition {
    fn open<'a>(&'a self, _tx: &'a mut TenantTx, until: NaiveDate) -> BoxFuture<'a, Result<Vec<Receivable>, AppError>> {
        Box::pin(async move {
            Ok([Receivable {
                date: day(2026, 4, 10),
                amount_cents: 20_000,
                description: "Mensalidade pendente".into(),
                account_id: Some(self.account),
            }]
            .into_iter()
            .filter(|receivable| receivable.date <= until)
            .collect())
        })
    }
}

fn entry(account: Uuid, category: Uuid, kind: EntryKind, reais: i64, date: NaiveDate, paid: bool) -> Entry {
    Entry {
        account_id: account,
        category_id: category,
        kind,
        amount_cents: reais * 100,
        competence_date: date,
        due_date: date,
        paid_on: paid.then_some(date),
        description: format!("{} {date}", kind.code()),
        counterpart: None,
        external_id: None,
        batch_id: None,
    }
}

#[tokio::test]
async fn the_forecast_adds_pending_recurring_invoices_and_receivables_and_names_the_first_negative_day() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "alfa").await;
    let today = day(2026, 3, 15);
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let account = |name, kind, opening, card_days| store::NewAccount {
        name,
        kind,
        opening_balance_cents: opening,
        opening_date: day(2026, 1, 1),
        card_days,
    };
    let bank =
        store::insert_account(tx.conn(), tenant, &account("Banco", AccountKind::Bank, 100_000, None)).await.unwrap();
    let card = store::insert_account(tx.conn(), tenant, &account("Visa", AccountKind::CreditCard, 0, Some((5, 12))))
        .await
        .unwrap();
    let income = store::insert_category(tx.conn(), tenant, None, "Vendas", EntryKind::Income, Some("receita_bruta"))
        .await
        .unwrap();
    let expense =
        store::insert_category(tx.conn(), tenant, None, "Aluguel", EntryKind::Expense, Some("ocupacao")).await.unwrap();
    ledger::create(&mut tx, None, &entry(bank, income, EntryKind::Income, 500, day(2026, 3, 20), false)).await.unwrap();
    ledger::create(&mut tx, None, &entry(bank, expense, EntryKind::Expense, 50, day(2026, 3, 1), false)).await.unwrap();
    // A card purchase in the invoice closing on 05/03, due 12/03 and not paid: owed today.
    ledger::create(&mut tx, None, &entry(card, expense, EntryKind::Expense, 300, day(2026, 3, 2), true)).await.unwrap();
    let rent = VersionTerms {
        amount_cents: 80_000,
        category_id: expense,
        account_id: bank,
        schedule: Schedule { frequency: Frequency::Monthly, day: 25, business_days: false },
    };
    recurring::create(&mut tx, None, "Aluguel", EntryKind::Expense, day(2026, 3, 1), &rent, today).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let tuition = Tuition { account: bank };
    let forecast = forecast::project(&mut tx, today, 3, &[&tuition]).await.unwrap();
    assert_eq!(forecast.start_cents, 100_000, "banks and cash only: the card's debt is its invoice");
    let timeline: Vec<(NaiveDate, i64)> = forecast.days.iter().map(|day| (day.date, day.balance_cents / 100)).collect();
    assert_eq!(
        timeline,
        [
            (day(2026, 3, 15), 650), // the overdue 50 and the card's 300 invoice, today
            (day(2026, 3, 20), 1_150),
            (day(2026, 3, 25), 350),
            (day(2026, 4, 10), 550), // the receivable from the hook
            (day(2026, 4, 25), -250),
            (day(2026, 5, 25), -1_050),
        ]
    );
    let warning = forecast.first_negative.as_ref().expect("a negative balance is announced");
    assert_eq!((warning.date, warning.balance_cents), (day(2026, 4, 25), -25_000));
    assert_eq!(warning.entries.len(), 1);
    assert_eq!((warning.entries[0].description.as_str(), warning.entries[0].amount_cents), ("Aluguel", -80_000));
    let bank_projection = forecast.accounts.iter().find(|account| account.name == "Banco").unwrap();
    assert_eq!(
        (bank_projection.today_cents, bank_projection.end_cents, bank_projection.lowest_on),
        (100_000, -75_000, day(2026, 5, 25))
    );

    // Six months reach three more rents; without the hook the receivable is gone.
    let longer = forecast::project(&mut tx, today, 6, &[]).await.unwrap();
    assert_eq!(longer.days.last().map(|day| (day.date, day.balance_cents / 100)), Some((day(2026, 8, 25), -3_650)));
}

#[tokio::test]
async fn the_actual_balance_of_the_last_30_days_walks_back_from_today_through_what_was_paid() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "alfa").await;
    let today = day(2026, 3, 15);
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let account = |name, kind, opening, opened, card_days| store::NewAccount {
        name,
        kind,
        opening_balance_cents: opening,
        opening_date: opened,
        card_days,
    };
    let bank =
        store::insert_account(tx.conn(), tenant, &account("Banco", AccountKind::Bank, 100_000, day(2026, 1, 1), None))
            .await
            .unwrap();
    let cash =
        store::insert_account(tx.conn(), tenant, &account("Caixa", AccountKind::Cash, 1_000, day(2026, 3, 1), None))
            .await
            .unwrap();
    let card = store::insert_account(
        tx.conn(),
        tenant,
        &account("Visa", AccountKind::CreditCard, 0, day(2026, 1, 1), Some((5, 12))),
    )
    .await
    .unwrap();
    let income = store::insert_category(tx.conn(), tenant, None, "Vendas", EntryKind::Income, None).await.unwrap();
    let expense = store::insert_category(tx.conn(), tenant, None, "Aluguel", EntryKind::Expense, None).await.unwrap();
    let book = |account, category, kind, reais, date, paid| entry(account, category, kind, reais, date, paid);
    for booked in [
        book(bank, income, EntryKind::Income, 500, day(2026, 2, 1), true), // before the window
        book(bank, expense, EntryKind::Expense, 100, day(2026, 2, 20), true),
        book(bank, income, EntryKind::Income, 300, day(2026, 3, 10), true),
        book(card, expense, EntryKind::Expense, 200, day(2026, 3, 2), true), // on the card: its invoice moves banks
        book(bank, expense, EntryKind::Expense, 70, day(2026, 3, 11), false), // pending: projected, not actual
    ] {
        ledger::create(&mut tx, None, &booked).await.unwrap();
    }
    let transfer = |from, to, reais: i64, date, invoice_closing| ledger::Transfer {
        from_account_id: from,
        to_account_id: to,
        amount_cents: reais * 100,
        date,
        description: "transferência".into(),
        invoice_closing,
    };
    // Bank to cash leaves the total as it is; bank to the card (150 of the invoice closing on 05/03) lowers it.
    ledger::transfer(&mut tx, None, &transfer(bank, cash, 50, day(2026, 3, 5), None)).await.unwrap();
    let invoice = Some(day(2026, 3, 5));
    ledger::transfer(&mut tx, None, &transfer(bank, card, 150, day(2026, 3, 12), invoice)).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let forecast = forecast::project(&mut tx, today, 3, &[]).await.unwrap();
    assert_eq!(forecast.start_cents, 156_000, "bank 1.500 and cash 60 today");
    assert_eq!((forecast.since, forecast.since_cents), (day(2026, 2, 13), 150_000));
    let actual: Vec<(NaiveDate, i64, i64)> =
        forecast.actual.iter().map(|day| (day.date, day.balance_cents, day.movements)).collect();
    assert_eq!(
        actual,
        [
            (day(2026, 2, 20), 140_000, 1),
            (day(2026, 3, 1), 141_000, 1), // the cash account opens with 10
            (day(2026, 3, 10), 171_000, 1),
            (day(2026, 3, 12), 156_000, 1),
        ]
    );
    assert_eq!(
        forecast.actual.last().map(|day| day.balance_cents),
        Some(forecast.start_cents),
        "it meets the projection"
    );
    assert_eq!(
        forecast.days.first().map(|day| (day.date, day.balance_cents)),
        Some((today, 144_000)),
        "the pending 70 and the invoice's last 50, overdue"
    );
}

#[tokio::test]
async fn the_forecast_page_renders_its_chart_and_table_on_the_server() {
    use crate::browser::{Browser, DEMO_PASSWORD};
    use crate::enrollment_documents::fetch;
    let server = crate::finance::seeded().await;
    let mut owner = Browser::new(&server);
    owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    let html = fetch(&owner, "/famath/financeiro/previsao?meses=6").await.text().await.unwrap();
    for hook in [
        "data-testid=\"forecast-chart\"",
        "<svg",
        "<path d=\"M",
        "data-testid=\"actual-line\"",
        "stroke-dasharray=\"6 4\" data-testid=\"projected-line\"",
        "data-testid=\"legend-actual\"",
        "Realizado",
        "Projetado",
        "data-testid=\"forecast-days\"",
        "forecast-accounts",
    ] {
        assert!(html.contains(hook), "the server-rendered forecast has {hook}");
    }
    // Finance's home as a page without scripts: the KPIs against last month, the 12-month chart, this month's DRE,
    // the bills due in the next seven days.
    let home = fetch(&owner, "/famath/financeiro").await.text().await.unwrap();
    for hook in [
        "data-testid=\"stat-income\"",
        "Mês passado:",
        "data-testid=\"months-chart\"",
        "<rect",
        "data-testid=\"dre-breakdown\"",
        "= Lucro líquido",
        "data-testid=\"due-soon\"",
    ] {
        assert!(home.contains(hook), "the server-rendered home has {hook}");
    }
    let mut secretary = Browser::new(&server);
    secretary.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let (status, _) = secretary.call("finance/forecast", &[("months", "3")]).await;
    assert_eq!(status, reqwest::StatusCode::FORBIDDEN);
    server.stop().await.unwrap();
}
