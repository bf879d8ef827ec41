//! Finance, part 1: who may open the books, and the ledger's rollups and balances staying exact.

use app::finance::{
    ledger::{self, Entry},
    rollups, store,
    types::{AccountKind, EntryKind},
};
use app::platform::tenancy::TenantTx;
use chrono::NaiveDate;
use reqwest::StatusCode;
use server::{
    database::seed,
    test_support::{TestDatabase, TestServer, create_tenant},
};
use sqlx::PgPool;
use uuid::Uuid;

use crate::browser::{Browser, DEMO_PASSWORD};

pub async fn seeded() -> TestServer {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    server
}

/// A transaction on the books of the demo tenant `slug`.
pub async fn demo_books(server: &TestServer, slug: &str) -> TenantTx {
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = $1").bind(slug).fetch_one(&server.pool).await.unwrap();
    TenantTx::begin(&server.pool, tenant).await.unwrap()
}

async fn signed_in(server: &TestServer, tenant: &str, email: &str) -> Browser {
    let mut browser = Browser::new(server);
    let (status, body) = browser.sign_in(tenant, email, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{email}: {body}");
    browser
}

const NIL: &str = "00000000-0000-0000-0000-000000000000";

/// Every finance server function, with arguments good enough to pass deserialization.
fn every_finance_call() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        ("finance/accounts", vec![]),
        (
            "finance/accounts/create",
            vec![
                ("form[name]", "Caixa"),
                ("form[kind]", "cash"),
                ("form[opening_balance]", "0"),
                ("form[opening_date]", "2026-01-01"),
            ],
        ),
        ("finance/categories", vec![]),
        ("finance/transactions", vec![]),
        (
            "finance/transactions/create",
            vec![
                ("form[kind]", "income"),
                ("form[description]", "x"),
                ("form[amount]", "1"),
                ("form[competence_date]", "2026-01-01"),
                ("form[account_id]", NIL),
                ("form[category_id]", NIL),
                ("form[status]", "paid"),
            ],
        ),
        (
            "finance/transactions/update",
            vec![
                ("id", NIL),
                ("form[kind]", "income"),
                ("form[description]", "x"),
                ("form[amount]", "1"),
                ("form[competence_date]", "2026-01-01"),
                ("form[account_id]", NIL),
                ("form[category_id]", NIL),
                ("form[status]", "paid"),
            ],
        ),
        ("finance/transactions/delete", vec![("id", NIL)]),
        ("finance/transactions/paid", vec![("id", NIL), ("paid_on", "")]),
        (
            "finance/transfers/create",
            vec![
                ("form[from_account_id]", NIL),
                ("form[to_account_id]", NIL),
                ("form[amount]", "1"),
                ("form[date]", "2026-01-01"),
            ],
        ),
        ("finance/cards/invoices", vec![]),
        ("finance/summary", vec![]),
        (
            "finance/cards/pay",
            vec![("account_id", NIL), ("closing", "2026-01-05"), ("from_account_id", NIL), ("date", "")],
        ),
        ("finance/people", vec![]),
        ("finance/people/access", vec![("user_id", NIL), ("granted", "true")]),
        ("finance/months/closed", vec![]),
        ("finance/months/set", vec![("month", "2026-01"), ("closed", "true")]),
        ("finance/dre", vec![("query[period]", "month"), ("query[basis]", "cash")]),
        ("finance/dre/line", vec![("category_id", NIL), ("line", "custos")]),
        ("finance/recurring", vec![]),
        ("finance/recurring/end", vec![("rule_id", NIL), ("from", "2026-01-01")]),
    ]
}

async fn user_id(server: &TestServer, email: &str) -> String {
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let id: Uuid =
        sqlx::query_scalar("select id from users where email = $1").bind(email).fetch_one(&admin).await.unwrap();
    id.to_string()
}

#[tokio::test]
async fn every_finance_function_refuses_people_without_finance_access() {
    let server = seeded().await;
    for email in ["secretaria@famath.example", "consultora@famath.example", "joao@famath.example"] {
        let mut browser = signed_in(&server, "famath", email).await;
        for (endpoint, form) in every_finance_call() {
            let (status, body) = browser.call(endpoint, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{email} → {endpoint}: {body}");
        }
        assert_eq!(browser.viewer("famath").await["finance"], false, "{email}");
    }

    // The owner grants the secretary finance: from the next request on she is in, and it is audited.
    let mut owner = signed_in(&server, "famath", "dona@famath.example").await;
    let (status, _) = owner.call("finance/accounts", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let secretary_id = user_id(&server, "secretaria@famath.example").await;
    let (status, body) = owner.call("finance/people/access", &[("user_id", &secretary_id), ("granted", "true")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut secretary = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (status, body) = secretary.call("finance/accounts", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(secretary.viewer("famath").await["finance"], true);
    // Staff with finance still cannot grant it: that stays with the owner.
    let (status, _) = secretary.call("finance/people", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A consultant can never be granted it.
    let consultant_id = user_id(&server, "consultora@famath.example").await;
    let (status, _) = owner.call("finance/people/access", &[("user_id", &consultant_id), ("granted", "true")]).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Withdrawn: refused again at once.
    let (status, _) = owner.call("finance/people/access", &[("user_id", &secretary_id), ("granted", "false")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = secretary.call("finance/transactions", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'finance.access%' order by at, id")
            .fetch_all(&admin)
            .await
            .unwrap();
    assert_eq!(actions, ["finance.access_granted", "finance.access_revoked"]);
    server.stop().await.unwrap();
}

/// A deterministic pseudo-random sequence (xorshift64*): the same seed replays the same run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn date(&mut self) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i64::try_from(self.below(400)).unwrap())
    }
}

struct Books {
    tenant: Uuid,
    accounts: Vec<Uuid>,
    /// (id, kind)
    categories: Vec<(Uuid, EntryKind)>,
}

async fn open_books(pool: &PgPool, slug: &str) -> Books {
    let tenant = create_tenant(pool, slug).await;
    let mut tx = TenantTx::begin(pool, tenant).await.unwrap();
    let mut accounts = Vec::new();
    for (name, kind) in
        [("Banco", AccountKind::Bank), ("Caixa", AccountKind::Cash), ("Cartão", AccountKind::CreditCard)]
    {
        let card_days = (kind == AccountKind::CreditCard).then_some((5, 12));
        let account = store::NewAccount {
            name,
            kind,
            opening_balance_cents: 100_000,
            opening_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            card_days,
        };
        accounts.push(store::insert_account(tx.conn(), tenant, &account).await.unwrap());
    }
    let mut categories = Vec::new();
    for (name, kind) in
        [("Mensalidades", EntryKind::Income), ("Salários", EntryKind::Expense), ("Aluguel", EntryKind::Expense)]
    {
        let id = store::insert_category(tx.conn(), tenant, None, name, kind, Some("x")).await.unwrap();
        categories.push((id, kind));
    }
    tx.commit().await.unwrap();
    Books { tenant, accounts, categories }
}

fn random_entry(dice: &mut Dice, books: &Books) -> Entry {
    let (category_id, kind) = books.categories[dice.below(books.categories.len())];
    let competence_date = dice.date();
    Entry {
        account_id: books.accounts[dice.below(books.accounts.len())],
        category_id,
        kind,
        amount_cents: i64::try_from(dice.below(1_000_000)).unwrap() + 1,
        competence_date,
        due_date: competence_date,
        paid_on: (dice.below(2) == 0).then(|| dice.date()),
        description: format!("lançamento {}", dice.below(1000)),
        counterpart: None,
        external_id: None,
        batch_id: None,
    }
}

async fn assert_rollups_exact(pool: &PgPool, books: &Books, after: &str) {
    let mut tx = TenantTx::begin(pool, books.tenant).await.unwrap();
    assert_eq!(rollups::stored(&mut tx).await.unwrap(), rollups::recomputed(&mut tx).await.unwrap(), "{after}");
    for (account, kept, computed) in rollups::balances(&mut tx).await.unwrap() {
        assert_eq!(kept, computed, "balance of {account} after {after}");
    }
}

#[tokio::test]
async fn random_ledger_changes_leave_rollups_and_balances_equal_to_a_recomputation() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let books = open_books(&pool, "alfa").await;
    // A second tenant's books move at the same time: its rows must never leak into the first one's rollups.
    let other = open_books(&pool, "beta").await;
    let seed = std::env::var("FINANCE_SEED").ok().and_then(|seed| seed.parse().ok()).unwrap_or(0x5eed_f1a7_u64);
    let mut dice = Dice(seed);
    let mut transactions: Vec<Uuid> = Vec::new();
    let mut transfers: Vec<Uuid> = Vec::new();
    for step in 0..250 {
        let target = if step % 5 == 4 { &other } else { &books };
        let mut tx = TenantTx::begin(&pool, target.tenant).await.unwrap();
        // Several changes per transaction, as a page's save or a batch would make them.
        let mut done = Vec::new();
        for _ in 0..=dice.below(3) {
            let mut mine: Vec<Uuid> = Vec::new();
            for id in &transactions {
                if store::transaction(tx.conn(), *id).await.unwrap().is_some() {
                    mine.push(*id);
                }
            }
            let operation = if mine.is_empty() { 0 } else { dice.below(6) };
            match operation {
                0 | 1 => {
                    let entry = random_entry(&mut dice, target);
                    transactions.push(ledger::create(&mut tx, None, &entry).await.unwrap());
                    done.push("create");
                }
                2 => {
                    let id = mine[dice.below(mine.len())];
                    ledger::update(&mut tx, None, id, &random_entry(&mut dice, target)).await.unwrap();
                    done.push("edit");
                }
                3 => {
                    let id = mine[dice.below(mine.len())];
                    ledger::delete(&mut tx, None, id).await.unwrap();
                    transactions.retain(|other| *other != id);
                    done.push("delete");
                }
                4 => {
                    let id = mine[dice.below(mine.len())];
                    let paid_on = (dice.below(2) == 0).then(|| dice.date());
                    ledger::set_paid(&mut tx, None, id, paid_on).await.unwrap();
                    done.push("status");
                }
                _ => {
                    let from = dice.below(target.accounts.len());
                    let to = (from + 1 + dice.below(target.accounts.len() - 1)) % target.accounts.len();
                    let transfer = ledger::Transfer {
                        from_account_id: target.accounts[from],
                        to_account_id: target.accounts[to],
                        amount_cents: i64::try_from(dice.below(50_000)).unwrap() + 1,
                        date: dice.date(),
                        description: "transferência".into(),
                        invoice_closing: None,
                    };
                    transfers.push(ledger::transfer(&mut tx, None, &transfer).await.unwrap());
                    done.push("transfer");
                }
            }
        }
        // Some transactions roll back: their rollup changes must vanish with them.
        if dice.below(10) == 0 {
            drop(tx);
            done.push("rollback");
        } else {
            tx.commit().await.unwrap();
        }
        assert_rollups_exact(&pool, target, &format!("step {step} {done:?} (seed {seed})")).await;
    }
    assert!(transactions.len() > 20 && !transfers.is_empty(), "the run exercised the ledger");

    // The check can fail: a rollup nudged behind the triggers' back is caught.
    let admin = sqlx::PgPool::connect(&database.superuser_url).await.unwrap();
    sqlx::query("update finance_rollups set amount_cents = amount_cents + 1 where tenant_id = $1 and entries > 0")
        .bind(books.tenant)
        .execute(&admin)
        .await
        .unwrap();
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    assert_ne!(rollups::stored(&mut tx).await.unwrap(), rollups::recomputed(&mut tx).await.unwrap());
}

#[tokio::test]
async fn record_books_once_per_source_and_kind_and_lands_on_the_first_open_day_of_a_closed_month() {
    use app::finance::{
        ledger::{SourceKind, SourcedEntry},
        types::Source,
    };
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let books = open_books(&pool, "alfa").await;
    let march = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let (income, _) = books.categories[0];
    let entry = Entry {
        account_id: books.accounts[0],
        category_id: income,
        kind: EntryKind::Income,
        amount_cents: 145_000,
        competence_date: march,
        due_date: march,
        paid_on: Some(march),
        description: "Mensalidade março".into(),
        counterpart: Some("João".into()),
        external_id: None,
        batch_id: None,
    };
    let charge = SourcedEntry {
        entry: entry.clone(),
        source: Source::Enrollment,
        source_id: "pay_123".into(),
        source_kind: SourceKind::Charge,
    };
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    let first = ledger::record(&mut tx, charge.clone()).await.unwrap();
    assert!(first.created && first.moved_from.is_none());
    tx.commit().await.unwrap();

    // A retried job: the same booking comes back, nothing new is written.
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    let again = ledger::record(&mut tx, charge.clone()).await.unwrap();
    assert_eq!((again.id, again.created), (first.id, false));
    // A refund of the same charge still books.
    let refund = SourcedEntry {
        entry: Entry { kind: EntryKind::Expense, category_id: books.categories[1].0, ..entry.clone() },
        source_kind: SourceKind::Reversal,
        ..charge.clone()
    };
    let reversal = ledger::record(&mut tx, refund).await.unwrap();
    assert!(reversal.created && reversal.id != first.id);
    tx.commit().await.unwrap();

    // March and April closed: a person's entry in March is refused with the month named; a module's lands on 1 May.
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    ledger::close_month(&mut tx, None, march).await.unwrap();
    ledger::close_month(&mut tx, None, NaiveDate::from_ymd_opt(2026, 4, 20).unwrap()).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    match ledger::create(&mut tx, None, &entry).await {
        Err(app::platform::AppError::Conflict { message }) => assert!(message.contains("03/2026"), "{message}"),
        other => panic!("a closed month must refuse: {other:?}"),
    }
    match ledger::delete(&mut tx, None, first.id).await {
        Err(app::platform::AppError::Conflict { .. }) => {}
        other => panic!("a closed month must refuse a delete: {other:?}"),
    }
    let late = SourcedEntry { source_id: "pay_456".into(), ..charge.clone() };
    let landed = ledger::record(&mut tx, late).await.unwrap();
    assert_eq!(landed.moved_from, Some(march));
    let row = store::transaction(tx.conn(), landed.id).await.unwrap().unwrap();
    assert_eq!(row.competence_date, NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
    assert_eq!(row.paid_on, NaiveDate::from_ymd_opt(2026, 5, 1));
    tx.commit().await.unwrap();

    // Reopened, March takes edits again.
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    ledger::reopen_month(&mut tx, None, march).await.unwrap();
    ledger::delete(&mut tx, None, first.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_rollups_exact(&pool, &books, "record, close, reopen").await;
}

#[tokio::test]
async fn the_demo_tenants_have_a_year_of_books_whose_rollups_are_exact() {
    let server = seeded().await;
    for slug in ["famath", "credvale"] {
        let mut tx = demo_books(&server, slug).await;
        let months: i64 =
            sqlx::query_scalar("select count(distinct date_trunc('month', competence_date)) from finance_transactions")
                .fetch_one(tx.conn())
                .await
                .unwrap();
        assert_eq!(months, 12, "{slug}");
        let closed: i64 =
            sqlx::query_scalar("select count(*) from finance_closed_months").fetch_one(tx.conn()).await.unwrap();
        assert_eq!(closed, 1, "{slug}");
        assert_eq!(rollups::stored(&mut tx).await.unwrap(), rollups::recomputed(&mut tx).await.unwrap());
        let accounts = store::accounts(tx.conn()).await.unwrap();
        assert!(accounts.iter().any(|account| account.kind == AccountKind::CreditCard), "{slug}");
    }
    // CredVale's finance person has finance; Famath's enrollment secretary does not.
    let mut finance = signed_in(&server, "credvale", "financeiro@credvale.example").await;
    let (status, body) = finance.call("finance/transactions", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["totals"]["count"].as_i64().unwrap() > 100, "{body}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn two_accounts_racing_for_the_plans_last_slot_let_exactly_one_in() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "alfa").await; // starter: 3 finance accounts
    let account = |name| store::NewAccount {
        name,
        kind: AccountKind::Bank,
        opening_balance_cents: 0,
        opening_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        card_days: None,
    };
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    for name in ["Banco 1", "Banco 2"] {
        ledger::open_account(&mut tx, None, &account(name)).await.unwrap();
    }
    tx.commit().await.unwrap();

    // Both transactions are open and past their own reads before either commits.
    let racer = |name: &'static str| {
        let pool = pool.clone();
        async move {
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            let outcome = ledger::open_account(&mut tx, None, &account(name)).await;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            if outcome.is_ok() {
                tx.commit().await.unwrap();
            }
            outcome
        }
    };
    let (first, second) = tokio::join!(racer("Banco 3"), racer("Banco 4"));
    let refused: Vec<_> = [&first, &second].into_iter().filter_map(|outcome| outcome.as_ref().err()).collect();
    assert_eq!(refused.len(), 1, "exactly one of two racing writes fits: {first:?} {second:?}");
    match refused[0] {
        app::platform::AppError::LimitReached { message } => {
            assert!(message.contains("Essencial") && message.contains("Profissional"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    assert_eq!(store::count_accounts(tx.conn()).await.unwrap(), 3);
}

#[tokio::test]
async fn the_finance_home_shows_the_real_balances_month_result_and_payables_and_the_owner_closes_a_month() {
    let server = seeded().await;
    let mut owner = signed_in(&server, "famath", "dona@famath.example").await;
    let (status, summary) = owner.call("finance/summary", &[]).await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    let months = summary["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(summary["can_close"], true);

    // This month's figures are the transaction list's totals for the month.
    let month = months[0]["month"].as_str().unwrap();
    let first = NaiveDate::parse_from_str(month, "%Y-%m-%d").unwrap();
    let last = first.checked_add_months(chrono::Months::new(1)).unwrap().pred_opt().unwrap();
    let (from, to) = (first.to_string(), last.to_string());
    let (_, list) = owner.call("finance/transactions", &[("filter[from]", &from), ("filter[to]", &to)]).await;
    assert_eq!(months[0]["income_cents"], list["totals"]["income_cents"], "{list}");
    assert_eq!(months[0]["expense_cents"], list["totals"]["expense_cents"]);
    assert!(months[0]["income_cents"].as_i64().unwrap() > 0);

    // Banks and cash are the accounts' balances; the card's debt is payable.
    let (_, accounts) = owner.call("finance/accounts", &[]).await;
    let balance = |kind: &str| -> i64 {
        accounts
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == kind)
            .map(|a| a["balance_cents"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(summary["cash_cents"].as_i64().unwrap(), balance("bank") + balance("cash"));
    assert!(summary["cash_cents"].as_i64().unwrap() > 0, "the demo school is in the black");
    assert!(summary["payable_cents"].as_i64().unwrap() > -balance("credit_card"), "this month's tax is still due");
    assert!(-balance("credit_card") > 0, "the demo card owes its open invoice");

    // The demo closed the month before last; the owner closes last month and the home says so.
    assert_eq!(months[2]["closed"], true);
    assert_eq!(months[1]["closed"], false);
    let last_month = &months[1]["month"].as_str().unwrap()[..7];
    let (status, body) = owner.call("finance/months/set", &[("month", last_month), ("closed", "true")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, summary) = owner.call("finance/summary", &[]).await;
    assert_eq!(summary["months"][1]["closed"], true);

    // Finance staff see the figures but may not close months.
    let mut finance = signed_in(&server, "credvale", "financeiro@credvale.example").await;
    let (status, summary) = finance.call("finance/summary", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(summary["can_close"], false);
    let (status, _) = finance.call("finance/months/set", &[("month", last_month), ("closed", "true")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.stop().await.unwrap();
}

/// A booking's answer with its id replaced by the index of the first answer that had the same id, so the answers
/// of two tenants (whose ids differ) compare.
fn answer_shapes(answers: &[ledger::Recorded]) -> Vec<(bool, Option<NaiveDate>, usize)> {
    answers
        .iter()
        .map(|answer| {
            let first = answers.iter().position(|other| other.id == answer.id).unwrap();
            (answer.created, answer.moved_from, first)
        })
        .collect()
}

/// The tenant's stored rollups and balances with ids replaced by their position in `books`.
async fn books_shape(pool: &PgPool, books: &Books) -> (Vec<(usize, NaiveDate, String, i64, i64)>, Vec<(usize, i64)>) {
    let mut tx = TenantTx::begin(pool, books.tenant).await.unwrap();
    assert_eq!(rollups::stored(&mut tx).await.unwrap(), rollups::recomputed(&mut tx).await.unwrap());
    let category = |id: Uuid| books.categories.iter().position(|(category, _)| *category == id).unwrap();
    let mut stored: Vec<_> = rollups::stored(&mut tx)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (category(row.category_id), row.month, row.basis, row.amount_cents, row.entries))
        .collect();
    stored.sort();
    let account = |id: Uuid| books.accounts.iter().position(|account| *account == id).unwrap();
    let mut balances = Vec::new();
    for (id, kept, computed) in rollups::balances(&mut tx).await.unwrap() {
        assert_eq!(kept, computed, "balance of {id}");
        balances.push((account(id), kept));
    }
    balances.sort();
    (stored, balances)
}

#[tokio::test]
async fn record_batch_books_what_one_record_per_entry_books_with_the_same_rollups_balances_and_audit() {
    use app::finance::{
        ledger::{SourceKind, SourcedEntry},
        types::Source,
    };
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let one_by_one = open_books(&pool, "alfa").await;
    let batched = open_books(&pool, "beta").await;
    // March is closed in both: its entries land on 1 April.
    for books in [&one_by_one, &batched] {
        let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
        ledger::close_month(&mut tx, None, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()).await.unwrap();
        tx.commit().await.unwrap();
    }
    let mut dice = Dice(0xba7c_4ed5);
    let mut entries = Vec::new();
    for index in 0..400 {
        let entry = random_entry(&mut dice, &one_by_one);
        // Every tenth repeats an earlier source (booked once); some are refunds of a charge.
        let source_id = if index % 10 == 9 { format!("c{}", dice.below(index)) } else { format!("c{index}") };
        let source_kind = if dice.below(8) == 0 { SourceKind::Reversal } else { SourceKind::Charge };
        entries.push(SourcedEntry { entry, source: Source::Import, source_id, source_kind });
    }
    // The same entries in the other tenant's books (its accounts and categories at the same positions).
    let translated: Vec<SourcedEntry> = entries
        .iter()
        .map(|sourced| {
            let mut sourced = sourced.clone();
            let account = one_by_one.accounts.iter().position(|id| *id == sourced.entry.account_id).unwrap();
            let category = one_by_one.categories.iter().position(|(id, _)| *id == sourced.entry.category_id).unwrap();
            sourced.entry.account_id = batched.accounts[account];
            sourced.entry.category_id = batched.categories[category].0;
            sourced
        })
        .collect();

    let mut singles = Vec::new();
    for sourced in &entries {
        let mut tx = TenantTx::begin(&pool, one_by_one.tenant).await.unwrap();
        singles.push(ledger::record(&mut tx, sourced.clone()).await.unwrap());
        tx.commit().await.unwrap();
    }
    // The batched tenant had the first 100 booked one by one before (a retried import): the batch books the rest.
    let mut before = Vec::new();
    let mut tx = TenantTx::begin(&pool, batched.tenant).await.unwrap();
    for sourced in &translated[..100] {
        before.push(ledger::record(&mut tx, sourced.clone()).await.unwrap());
    }
    tx.commit().await.unwrap();
    let mut tx = TenantTx::begin(&pool, batched.tenant).await.unwrap();
    let batch = ledger::record_batch(&mut tx, &translated).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(batch.len(), translated.len());
    assert!(batch[..100].iter().zip(&before).all(|(again, first)| !again.created && again.id == first.id));
    let mut combined = before.clone();
    combined.extend_from_slice(&batch[100..]);
    assert_eq!(answer_shapes(&combined), answer_shapes(&singles));
    assert!(singles.iter().any(|answer| answer.moved_from.is_some()), "some entries fell in the closed month");
    assert!(singles.iter().any(|answer| !answer.created), "some sources repeated");

    assert_eq!(books_shape(&pool, &batched).await, books_shape(&pool, &one_by_one).await);
    let mut audits = Vec::new();
    for books in [&one_by_one, &batched] {
        let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
        let count: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'finance.transaction_recorded'")
                .fetch_one(tx.conn())
                .await
                .unwrap();
        audits.push(count);
    }
    assert_eq!(audits[0], audits[1]);
    assert_eq!(audits[0], i64::try_from(singles.iter().filter(|answer| answer.created).count()).unwrap());

    // The whole batch again (a retried job): nothing new, the same bookings back.
    let mut tx = TenantTx::begin(&pool, batched.tenant).await.unwrap();
    let retried = ledger::record_batch(&mut tx, &translated).await.unwrap();
    tx.commit().await.unwrap();
    assert!(retried.iter().zip(&combined).all(|(again, first)| !again.created && again.id == first.id));
    assert_eq!(books_shape(&pool, &batched).await, books_shape(&pool, &one_by_one).await);
}
