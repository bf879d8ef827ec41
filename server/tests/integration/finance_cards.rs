//! Credit-card invoices: which invoice a purchase falls into, and paying one as a transfer that moves balances but
//! never results.

use app::finance::{
    cards,
    ledger::{self, Entry},
    rollups, store,
    types::{AccountKind, EntryKind, InvoiceStatus, TransactionFilter},
};
use app::platform::{AppError, tenancy::TenantTx};
use chrono::NaiveDate;
use server::test_support::{TestDatabase, create_tenant};
use uuid::Uuid;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Books {
    bank: Uuid,
    card: Uuid,
    category: Uuid,
}

/// A bank and a card closing on `closing_day`, due on the 10th.
async fn books(tx: &mut TenantTx, closing_day: i16) -> Books {
    let tenant = tx.tenant_id();
    let account = |name, kind, card_days| store::NewAccount {
        name,
        kind,
        opening_balance_cents: 1_000_000,
        opening_date: date(2026, 1, 1),
        card_days,
    };
    let bank = store::insert_account(tx.conn(), tenant, &account("Banco", AccountKind::Bank, None)).await.unwrap();
    let card_days = Some((closing_day, 10));
    let card =
        store::insert_account(tx.conn(), tenant, &account("Cartão", AccountKind::CreditCard, card_days)).await.unwrap();
    let category =
        store::insert_category(tx.conn(), tenant, None, "Material", EntryKind::Expense, Some("administrativas"))
            .await
            .unwrap();
    Books { bank, card, category }
}

async fn purchase(tx: &mut TenantTx, books: &Books, on: NaiveDate, cents: i64) {
    let entry = Entry {
        account_id: books.card,
        category_id: books.category,
        kind: EntryKind::Expense,
        amount_cents: cents,
        competence_date: on,
        due_date: on,
        paid_on: Some(on),
        description: format!("Compra {on}"),
        counterpart: None,
        external_id: None,
        batch_id: None,
    };
    ledger::create(tx, None, &entry).await.unwrap();
}

async fn invoice_totals(tx: &mut TenantTx, books: &Books) -> Vec<(NaiveDate, NaiveDate, i64, InvoiceStatus)> {
    let card = store::account(tx.conn(), books.card).await.unwrap().unwrap();
    cards::invoices(tx.conn(), &card, date(2026, 1, 1), date(2026, 6, 1))
        .await
        .unwrap()
        .into_iter()
        .map(|invoice| (invoice.closing_date, invoice.due_date, invoice.total_cents, invoice.status))
        .collect()
}

#[tokio::test]
async fn closing_day_31_closes_february_on_its_last_day_and_a_purchase_on_the_closing_day_is_in_that_invoice() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "cartao").await;
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let books = books(&mut tx, 31).await;
    purchase(&mut tx, &books, date(2026, 2, 27), 1_000).await;
    purchase(&mut tx, &books, date(2026, 2, 28), 2_000).await; // February's closing day
    purchase(&mut tx, &books, date(2026, 3, 1), 4_000).await;
    purchase(&mut tx, &books, date(2026, 3, 31), 8_000).await; // March's closing day
    purchase(&mut tx, &books, date(2026, 4, 1), 16_000).await;
    assert_eq!(
        invoice_totals(&mut tx, &books).await,
        vec![
            (date(2026, 4, 30), date(2026, 5, 10), 16_000, InvoiceStatus::Closed),
            (date(2026, 3, 31), date(2026, 4, 10), 12_000, InvoiceStatus::Closed),
            (date(2026, 2, 28), date(2026, 3, 10), 3_000, InvoiceStatus::Closed),
        ]
    );
}

#[tokio::test]
async fn a_purchase_after_the_closing_day_falls_into_the_next_invoice() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "cartao5").await;
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let books = books(&mut tx, 5).await;
    purchase(&mut tx, &books, date(2026, 3, 5), 1_000).await;
    purchase(&mut tx, &books, date(2026, 3, 6), 2_000).await;
    let totals = invoice_totals(&mut tx, &books).await;
    assert_eq!(
        totals,
        vec![
            (date(2026, 4, 5), date(2026, 4, 10), 2_000, InvoiceStatus::Closed),
            (date(2026, 3, 5), date(2026, 3, 10), 1_000, InvoiceStatus::Closed),
        ]
    );
}

#[tokio::test]
async fn paying_an_invoice_moves_balances_but_never_results_and_cannot_be_paid_twice() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "fatura").await;
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let books = books(&mut tx, 5).await;
    purchase(&mut tx, &books, date(2026, 2, 10), 30_000).await;
    purchase(&mut tx, &books, date(2026, 3, 1), 12_345).await;
    let everything = TransactionFilter::default();
    let totals_before = store::totals(tx.conn(), &everything).await.unwrap();
    let rollups_before = rollups::stored(&mut tx).await.unwrap();
    let balance = |accounts: &[app::finance::types::Account], id| {
        accounts.iter().find(|account| account.id == id).unwrap().balance_cents
    };
    let before = store::accounts(tx.conn()).await.unwrap();

    let closing = date(2026, 3, 5);
    ledger::pay_invoice(&mut tx, None, books.card, closing, books.bank, date(2026, 3, 10)).await.unwrap();

    let after = store::accounts(tx.conn()).await.unwrap();
    assert_eq!(balance(&after, books.bank), balance(&before, books.bank) - 42_345, "the bank pays the invoice");
    assert_eq!(balance(&after, books.card), balance(&before, books.card) + 42_345, "the card is settled");
    assert_eq!(balance(&after, books.card), 1_000_000, "back to its opening balance");
    assert_eq!(store::totals(tx.conn(), &everything).await.unwrap(), totals_before, "no income, no expense");
    assert_eq!(rollups::stored(&mut tx).await.unwrap(), rollups_before, "results unchanged");
    let card = store::account(tx.conn(), books.card).await.unwrap().unwrap();
    let invoice = cards::invoice(tx.conn(), &card, closing).await.unwrap().unwrap();
    assert_eq!((invoice.paid_cents, invoice.status), (42_345, InvoiceStatus::Paid));

    let again = ledger::pay_invoice(&mut tx, None, books.card, closing, books.bank, date(2026, 3, 11)).await;
    assert!(matches!(again, Err(AppError::Conflict { .. })), "{again:?}");
    let not_a_card = ledger::pay_invoice(&mut tx, None, books.bank, closing, books.bank, date(2026, 3, 11)).await;
    assert!(matches!(not_a_card, Err(AppError::Validation { .. })), "{not_a_card:?}");
}

#[tokio::test]
async fn the_demo_cards_hold_small_purchases_and_owe_only_the_invoices_not_yet_due() {
    let server = crate::finance::seeded().await;
    let today = chrono::Utc::now().date_naive();
    for slug in ["famath", "credvale"] {
        let mut tx = crate::finance::demo_books(&server, slug).await;
        let accounts = store::accounts(tx.conn()).await.unwrap();
        let card = accounts.iter().find(|account| account.kind == AccountKind::CreditCard).unwrap();
        let largest: i64 =
            sqlx::query_scalar("select coalesce(max(amount_cents), 0) from finance_transactions where account_id = $1")
                .bind(card.id)
                .fetch_one(tx.conn())
                .await
                .unwrap();
        assert!(largest > 0 && largest < 100_000, "{slug}: small purchases only on the card, the largest is {largest}");
        let invoices = cards::invoices(tx.conn(), card, card.opening_date, today).await.unwrap();
        assert!(invoices.len() >= 11, "{slug}: a year of invoices");
        let mut owed = 0;
        for invoice in &invoices {
            if invoice.due_date <= today {
                assert_eq!(invoice.status, InvoiceStatus::Paid, "{slug}: {invoice:?}");
                assert_eq!(invoice.paid_cents, invoice.total_cents, "{slug}: paid with its real total");
            } else {
                owed += invoice.total_cents;
            }
        }
        assert_eq!(card.balance_cents, -owed, "{slug}: the card owes what is not yet due");
        let largest_invoice = invoices.iter().map(|invoice| invoice.total_cents).max().unwrap();
        assert!(owed <= 2 * largest_invoice, "{slug}: about one invoice owed ({owed})");
    }
    server.stop().await.unwrap();
}
