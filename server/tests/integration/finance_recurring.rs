//! Finance, part 2: recurring rules with dated versions. Day 31 in February, the weekend and bank-holiday shift,
//! an edit from a date that leaves earlier and paid occurrences alone, ending a rule removing only future unpaid
//! occurrences, and a second booking run that books nothing.

use app::finance::{
    ledger,
    recurring::{self, HORIZON_MONTHS},
    recurring_types::{Frequency, PreviewChange, Schedule, VersionTerms},
    rollups, store,
    types::{AccountKind, EntryKind},
};
use app::platform::tenancy::TenantTx;
use chrono::NaiveDate;
use server::test_support::{TestDatabase, create_tenant};
use sqlx::PgPool;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Books {
    tenant: Uuid,
    bank: Uuid,
    rent: Uuid,
}

async fn books(pool: &PgPool) -> Books {
    let tenant = create_tenant(pool, "alfa").await;
    let mut tx = TenantTx::begin(pool, tenant).await.unwrap();
    let account = store::NewAccount {
        name: "Banco",
        kind: AccountKind::Bank,
        opening_balance_cents: 0,
        opening_date: day(2026, 1, 1),
        card_days: None,
    };
    let bank = store::insert_account(tx.conn(), tenant, &account).await.unwrap();
    let rent =
        store::insert_category(tx.conn(), tenant, None, "Aluguel", EntryKind::Expense, Some("ocupacao")).await.unwrap();
    tx.commit().await.unwrap();
    Books { tenant, bank, rent }
}

fn monthly(books: &Books, reais: i64, day: u8, business_days: bool) -> VersionTerms {
    VersionTerms {
        amount_cents: reais * 100,
        category_id: books.rent,
        account_id: books.bank,
        schedule: Schedule { frequency: Frequency::Monthly, day, business_days },
    }
}

/// (scheduled date, due date, amount in reais, paid, version)
async fn occurrences(tx: &mut TenantTx) -> Vec<(NaiveDate, NaiveDate, i64, bool, Option<Uuid>)> {
    sqlx::query_as(
        "select competence_date, due_date, amount_cents / 100, paid_on is not null, recurring_version_id
           from finance_transactions where source = 'recurring' order by competence_date",
    )
    .fetch_all(tx.conn())
    .await
    .unwrap()
}

/// Bank holidays are computed for any year: in 2029 (after any hand-kept list) Carnaval, Sexta-feira Santa and
/// Corpus Christi still move a due date to the next business day.
#[tokio::test]
async fn movable_holidays_of_any_year_move_due_dates() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let books = books(&pool).await;
    let today = day(2029, 1, 15);
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    for (name, reais, on) in [("Aluguel", 7_500, 13), ("Energia", 900, 30), ("Água", 300, 31)] {
        let terms = monthly(&books, reais, on, true);
        recurring::create(&mut tx, None, name, EntryKind::Expense, day(2029, 1, 1), &terms, today).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    let rows = occurrences(&mut tx).await;
    let due_of = |scheduled: NaiveDate, reais: i64| {
        rows.iter().find(|row| row.0 == scheduled && row.2 == reais).map(|row| row.1)
    };
    // Tuesday 13/02/2029 is Carnaval → Wednesday 14/02.
    assert_eq!(due_of(day(2029, 2, 13), 7_500), Some(day(2029, 2, 14)));
    // Friday 30/03/2029 is Sexta-feira Santa → Monday 02/04.
    assert_eq!(due_of(day(2029, 3, 30), 900), Some(day(2029, 4, 2)));
    // Thursday 31/05/2029 is Corpus Christi → Friday 01/06.
    assert_eq!(due_of(day(2029, 5, 31), 300), Some(day(2029, 6, 1)));
    // An ordinary Tuesday stays.
    assert_eq!(due_of(day(2029, 3, 13), 7_500), Some(day(2029, 3, 13)));
}

#[tokio::test]
async fn day_31_becomes_the_last_day_of_february_and_weekends_and_holidays_move_to_the_next_business_day() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let books = books(&pool).await;
    let today = day(2026, 1, 15);
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    recurring::create(
        &mut tx,
        None,
        "Aluguel",
        EntryKind::Expense,
        day(2026, 1, 1),
        &monthly(&books, 7_500, 31, true),
        today,
    )
    .await
    .unwrap();
    recurring::create(
        &mut tx,
        None,
        "Energia",
        EntryKind::Expense,
        day(2026, 1, 1),
        &monthly(&books, 900, 21, true),
        today,
    )
    .await
    .unwrap();
    recurring::create(
        &mut tx,
        None,
        "Água",
        EntryKind::Expense,
        day(2026, 1, 1),
        &monthly(&books, 300, 31, false),
        today,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    let rows = occurrences(&mut tx).await;
    let due_of = |scheduled: NaiveDate, reais: i64| {
        rows.iter().find(|row| row.0 == scheduled && row.2 == reais).map(|row| row.1).unwrap_or_else(|| {
            panic!("no occurrence of R$ {reais} scheduled on {scheduled}: {rows:?}");
        })
    };
    // 31/01/2026 is a Saturday → Monday 02/02; 28/02/2026 (day 31 in February) a Saturday → Monday 02/03.
    assert_eq!(due_of(day(2026, 1, 31), 7_500), day(2026, 2, 2));
    assert_eq!(due_of(day(2026, 2, 28), 7_500), day(2026, 3, 2));
    assert_eq!(due_of(day(2026, 3, 31), 7_500), day(2026, 3, 31), "a Tuesday stays");
    assert_eq!(due_of(day(2026, 4, 30), 7_500), day(2026, 4, 30));
    // 21/04/2026 is Tiradentes (a Tuesday): the next business day is the 22nd.
    assert_eq!(due_of(day(2026, 4, 21), 900), day(2026, 4, 22));
    // 21/03/2026 is a Saturday → Monday 23/03.
    assert_eq!(due_of(day(2026, 3, 21), 900), day(2026, 3, 23));
    // Without the shift a Saturday stays a Saturday; February still ends on the 28th.
    assert_eq!(due_of(day(2026, 2, 28), 300), day(2026, 2, 28));
    // Booked up to the horizon (13 months ahead: 15/02/2027), every one pending.
    let horizon = today.checked_add_months(chrono::Months::new(HORIZON_MONTHS)).unwrap();
    let rent: Vec<_> = rows.iter().filter(|row| row.2 == 7_500).collect();
    assert_eq!(rent.len(), 13, "January 2026 to January 2027");
    assert!(rows.iter().all(|row| row.0 <= horizon && !row.3));
    assert!(rows.iter().all(|row| row.4.is_some()), "every occurrence points to its version");
    // A second run (the next day's job) books nothing new.
    assert_eq!(recurring::materialize(&mut tx, today).await.unwrap(), 0);
    assert_eq!(rollups::stored(&mut tx).await.unwrap(), rollups::recomputed(&mut tx).await.unwrap());
}

#[tokio::test]
async fn editing_from_a_date_keeps_earlier_and_paid_occurrences_and_ending_removes_only_future_unpaid_ones() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let books = books(&pool).await;
    let today = day(2026, 1, 15);
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    let rule = recurring::create(
        &mut tx,
        None,
        "Aluguel",
        EntryKind::Expense,
        day(2026, 1, 1),
        &monthly(&books, 1_000, 10, false),
        today,
    )
    .await
    .unwrap();
    let id_on = |date: NaiveDate| format!("{rule}:{date}");
    let pay = async |tx: &mut TenantTx, date: NaiveDate| {
        let id: Uuid = sqlx::query_scalar("select id from finance_transactions where source_id = $1")
            .bind(id_on(date))
            .fetch_one(tx.conn())
            .await
            .unwrap();
        ledger::set_paid(tx, None, id, Some(date)).await.unwrap();
    };
    // January paid on time, June paid in advance.
    pay(&mut tx, day(2026, 1, 10)).await;
    pay(&mut tx, day(2026, 6, 10)).await;
    let first_version = occurrences(&mut tx).await[0].4;
    assert_eq!(occurrences(&mut tx).await.len(), 14, "January 2026 to February 2027");

    // The rent goes up from April: the preview says what changes and what stays, and writes nothing.
    let raise = monthly(&books, 1_200, 10, false);
    let preview = recurring::preview(&mut tx, rule, day(2026, 4, 1), &raise, today).await.unwrap();
    let change_on = |date: NaiveDate| preview.iter().find(|row| row.date == date).map(|row| row.change);
    assert_eq!(change_on(day(2026, 3, 10)), Some(PreviewChange::Stays));
    assert_eq!(change_on(day(2026, 4, 10)), Some(PreviewChange::Changes));
    assert_eq!(change_on(day(2026, 6, 10)), Some(PreviewChange::Paid));
    assert_eq!(change_on(day(2026, 7, 10)), Some(PreviewChange::Changes));
    let april = preview.iter().find(|row| row.date == day(2026, 4, 10)).unwrap();
    assert_eq!((april.before.map(|b| b.1), april.after.map(|a| a.1)), (Some(100_000), Some(120_000)));
    assert!(occurrences(&mut tx).await.iter().all(|row| row.2 == 1_000), "a preview changes nothing");

    let second_version = recurring::edit_from(&mut tx, None, rule, day(2026, 4, 1), &raise, today).await.unwrap();
    let rows = occurrences(&mut tx).await;
    assert_eq!(rows.len(), 14, "no occurrence lost, none booked twice (June is still one)");
    for (scheduled, _, reais, paid, version) in &rows {
        let expected = if *scheduled < day(2026, 4, 1) || *scheduled == day(2026, 6, 10) {
            (1_000, first_version)
        } else {
            (1_200, Some(second_version))
        };
        assert_eq!((*reais, *version), expected, "{scheduled} (paid: {paid})");
    }
    assert!(rows.iter().find(|row| row.0 == day(2026, 6, 10)).unwrap().3, "June stays paid");
    let versions = recurring::rule(&mut tx, rule).await.unwrap().unwrap().versions;
    assert_eq!(versions.len(), 2);
    assert_eq!((versions[0].valid_to, versions[1].valid_from), (Some(day(2026, 3, 31)), day(2026, 4, 1)));

    // October paid in advance, then the rule ends from September: only future unpaid occurrences go.
    pay(&mut tx, day(2026, 10, 10)).await;
    recurring::end_from(&mut tx, None, rule, day(2026, 9, 1)).await.unwrap();
    let left: Vec<NaiveDate> = occurrences(&mut tx).await.iter().map(|row| row.0).collect();
    let expected: Vec<NaiveDate> = (1..=8).map(|month| day(2026, month, 10)).chain([day(2026, 10, 10)]).collect();
    assert_eq!(left, expected);
    assert_eq!(recurring::materialize(&mut tx, day(2026, 9, 15)).await.unwrap(), 0, "an ended rule books nothing");
    assert_eq!(rollups::stored(&mut tx).await.unwrap(), rollups::recomputed(&mut tx).await.unwrap());
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_owner_creates_a_rule_edits_it_from_a_date_and_the_page_shows_its_versions() {
    use crate::browser::{Browser, DEMO_PASSWORD};
    use crate::enrollment_documents::fetch;
    let server = crate::finance::seeded().await;
    let mut owner = Browser::new(&server);
    owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    let (status, accounts) = owner.call("finance/accounts", &[]).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let bank =
        accounts.as_array().unwrap().iter().find(|a| a["kind"] == "bank").unwrap()["id"].as_str().unwrap().to_string();
    let (_, categories) = owner.call("finance/categories", &[]).await;
    let rent = categories.as_array().unwrap().iter().find(|c| c["name"] == "Aluguel").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let today = chrono::Utc::now().date_naive();
    let start = today.format("%Y-%m-01").to_string();
    let terms = |from: &str, amount: &str| {
        vec![
            ("form[from]", from.to_string()),
            ("form[amount]", amount.to_string()),
            ("form[category_id]", rent.clone()),
            ("form[account_id]", bank.clone()),
            ("form[frequency]", "monthly".to_string()),
            ("form[day]", "31".to_string()),
            ("form[business_days]", "on".to_string()),
        ]
    };
    let as_form = |pairs: &[(&'static str, String)]| pairs.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let mut create = as_form(&terms(&start, "8.000,00"));
    create.extend([("name", "Aluguel da sede".to_string()), ("kind", "expense".to_string())]);
    let borrowed: Vec<(&str, &str)> = create.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, rule) = owner.call("finance/recurring/create", &borrowed).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{rule}");
    let rule = rule.as_str().unwrap().to_string();

    // From next month, more rent: the preview names changes; saving opens a second version.
    let next = today.checked_add_months(chrono::Months::new(1)).unwrap().format("%Y-%m-01").to_string();
    let mut edit = as_form(&terms(&next, "8.400,00"));
    edit.push(("rule_id", rule.clone()));
    let borrowed: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, preview) = owner.call("finance/recurring/preview", &borrowed).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{preview}");
    let changes: Vec<&str> = preview.as_array().unwrap().iter().filter_map(|row| row["change"].as_str()).collect();
    assert!(changes.contains(&"stays") && changes.contains(&"changes"), "{changes:?}");
    let (status, body) = owner.call("finance/recurring/edit", &borrowed).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");

    let html = fetch(&owner, "/famath/financeiro/recorrentes").await.text().await.unwrap();
    assert!(
        html.contains("Aluguel da sede") && html.contains("R$ 8.400,00") && html.contains("R$ 8.000,00"),
        "both versions show"
    );
    assert!(html.contains("data-testid=\"rule-versions\""));

    // A person without finance access is refused.
    let mut secretary = Browser::new(&server);
    secretary.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let (status, _) = secretary.call("finance/recurring/edit", &borrowed).await;
    assert_eq!(status, reqwest::StatusCode::FORBIDDEN);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_daily_booking_job_is_enqueued_for_each_tenant_with_a_running_rule_and_only_for_those() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let books = books(&pool).await;
    let idle = create_tenant(&pool, "beta").await;
    let today = chrono::Utc::now().date_naive();
    let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
    recurring::create(&mut tx, None, "Aluguel", EntryKind::Expense, today, &monthly(&books, 7_500, 5, true), today)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // Two ticks the same day make one job.
    server::jobs::finance_recurring::enqueue_recurring(pool.clone()).await.unwrap();
    server::jobs::finance_recurring::enqueue_recurring(pool.clone()).await.unwrap();
    let jobs = |tenant: Uuid| {
        let pool = pool.clone();
        async move {
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            let jobs: Vec<String> =
                sqlx::query_scalar("select idempotency_key from jobs where kind = 'finance.recurring'")
                    .fetch_all(tx.conn())
                    .await
                    .unwrap();
            jobs
        }
    };
    assert_eq!(jobs(books.tenant).await, vec![format!("day:{today}")], "the tenant with a running rule");
    assert!(jobs(idle).await.is_empty(), "a tenant without rules gets no job");
}
