//! Ledger benchmark on the machine it runs on (figures go in the issue note; no timing asserts anywhere). Two
//! tenants get 1,000,000 generated transactions each (`test_support::ledger::generate`, rollups kept by the
//! ledger's own triggers), then, for the first tenant, as the runtime role under row-level security:
//! - bookings through the real ledger service (`finance::ledger::record`, one per transaction, and
//!   `record_batch`, 1,000 per transaction), rollups and balances maintained, in rows per second;
//! - the transactions page's list and totals for one month (p50 / p99);
//! - the rollups and balances of both tenants compared with a recomputation from their rows.
//!
//! `cargo bench -p server --features test-support --bench ledger` (uses the private test cluster, like the tests);
//! `LEDGER_ROWS=100000` generates fewer rows per tenant.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark binary")]

use std::time::{Duration, Instant};

use app::{
    finance::{
        api::LIST_LIMIT,
        ledger::{self, Entry, SourceKind, SourcedEntry},
        store,
        types::{Source, TransactionFilter},
    },
    platform::tenancy::TenantTx,
};
use chrono::{Days, NaiveDate};
use server::test_support::{
    TestDatabase, create_tenant,
    ledger::{self as books, GeneratedBooks},
};
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

const SINGLE_ROWS: usize = 2_000;
const BATCHES: usize = 20;
const BATCH_ROWS: usize = 1_000;
const PAGE_RUNS: usize = 200;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(bench());
}

async fn bench() {
    let rows: i64 = std::env::var("LEDGER_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let database = TestDatabase::create().await;
    let pool = server::database::runtime_pool(&database.app_url, 4).await.expect("pool");
    let mut generated = Vec::new();
    let started = Instant::now();
    for slug in ["ledger-a", "ledger-b"] {
        let tenant = create_tenant(&pool, slug).await;
        generated.push(books::generate(&pool, tenant, rows).await.unwrap());
    }
    let elapsed = started.elapsed();
    println!(
        "generated {rows} transactions for each of 2 tenants in {:.1} s ({:.0} rows/s, rollups kept by the triggers)",
        elapsed.as_secs_f64(),
        (2 * rows) as f64 / elapsed.as_secs_f64()
    );
    // Fresh statistics, as autovacuum would leave them after such a load.
    let mut admin = PgConnection::connect(&database.superuser_url).await.unwrap();
    sqlx::query("vacuum analyze").execute(&mut admin).await.unwrap();
    let books = &generated[0];

    let mut serial = 0;
    let started = Instant::now();
    for _ in 0..SINGLE_ROWS {
        let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
        let recorded = ledger::record(&mut tx, booking(books, serial, None)).await.unwrap();
        assert!(recorded.created);
        tx.commit().await.unwrap();
        serial += 1;
    }
    let single = started.elapsed();

    let started = Instant::now();
    for _ in 0..BATCHES {
        let batch_id = Some(Uuid::now_v7());
        let batch: Vec<SourcedEntry> = (serial..serial + BATCH_ROWS).map(|n| booking(books, n, batch_id)).collect();
        let mut tx = TenantTx::begin(&pool, books.tenant).await.unwrap();
        let recorded = ledger::record_batch(&mut tx, &batch).await.unwrap();
        assert!(recorded.iter().all(|answer| answer.created));
        tx.commit().await.unwrap();
        serial += BATCH_ROWS;
    }
    let batched = started.elapsed();

    let (page, matched) = transactions_page(&pool, books.tenant).await;

    let exact = [
        books::verify(&pool, generated[0].tenant).await.unwrap(),
        books::verify(&pool, generated[1].tenant).await.unwrap(),
    ];

    let rate = |count: usize, took: Duration| count as f64 / took.as_secs_f64();
    println!();
    println!("| ledger, tenant with {rows} rows (+ another with {rows}), runtime role, RLS | figure |");
    println!("|---|---|");
    println!(
        "| `ledger::record`, 1 row per transaction ({SINGLE_ROWS} rows) | {:.0} rows/s ({:.2} ms each) |",
        rate(SINGLE_ROWS, single),
        single.as_secs_f64() * 1000.0 / SINGLE_ROWS as f64
    );
    println!(
        "| `ledger::record_batch`, {BATCH_ROWS} rows per transaction ({BATCHES} batches) | {:.0} rows/s ({:.1} ms per batch) |",
        rate(BATCHES * BATCH_ROWS, batched),
        batched.as_secs_f64() * 1000.0 / BATCHES as f64
    );
    println!(
        "| transactions page for one month: list ({LIST_LIMIT} rows) + totals ({matched} rows), {PAGE_RUNS} runs | p50 {:.2} ms, p99 {:.2} ms |",
        page.0, page.1
    );
    println!(
        "| rollups and balances equal a recomputation (both tenants) | {} |",
        if exact == [true, true] { "yes" } else { "NO" }
    );
    assert_eq!(exact, [true, true], "rollups or balances drifted");
}

/// Booking number `n` from an outside source: categories, accounts, dates and amounts vary with `n`.
fn booking(books: &GeneratedBooks, n: usize, batch_id: Option<Uuid>) -> SourcedEntry {
    let (category_id, kind, _) = books.categories[n % books.categories.len()];
    let competence_date = books::first_month() + Days::new((n * 37 % 700) as u64);
    SourcedEntry {
        entry: Entry {
            account_id: if n.is_multiple_of(3) { books.cash } else { books.bank },
            category_id,
            kind,
            amount_cents: 10_000 + (n as i64 * 7_919) % 90_000,
            competence_date,
            due_date: competence_date,
            paid_on: (!n.is_multiple_of(4)).then(|| competence_date + Days::new((n % 9) as u64)),
            description: format!("Importado {n}"),
            counterpart: Some("Banco parceiro".into()),
            external_id: None,
            batch_id,
        },
        source: Source::Import,
        source_id: format!("bench-{n}"),
        source_kind: SourceKind::Charge,
    }
}

/// What the transactions page runs for a month filter (the list's newest rows and the totals of every match), in
/// one tenant transaction per run: (p50, p99) in milliseconds, and how many rows the month holds.
async fn transactions_page(pool: &PgPool, tenant: Uuid) -> ((f64, f64), i64) {
    let filter = TransactionFilter {
        from: NaiveDate::from_ymd_opt(2026, 6, 1),
        to: NaiveDate::from_ymd_opt(2026, 6, 30),
        ..TransactionFilter::default()
    };
    let mut took = Vec::with_capacity(PAGE_RUNS);
    let mut matched = 0;
    for _ in 0..PAGE_RUNS {
        let started = Instant::now();
        let mut tx = TenantTx::begin(pool, tenant).await.unwrap();
        let rows = store::transactions(tx.conn(), &filter, LIST_LIMIT).await.unwrap();
        let totals = store::totals(tx.conn(), &filter).await.unwrap();
        tx.commit().await.unwrap();
        took.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(rows.len() as i64, LIST_LIMIT.min(totals.count));
        matched = totals.count;
    }
    took.sort_by(f64::total_cmp);
    let at = |q: f64| took[((took.len() as f64 - 1.0) * q).round() as usize];
    ((at(0.5), at(0.99)), matched)
}
