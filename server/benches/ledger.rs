//! Ledger benchmark on the machine it runs on (figures go in the issue note; no timing asserts anywhere). Two
//! tenants get 1,000,000 generated transactions each (`test_support::ledger::generate`, rollups kept by the
//! ledger's own triggers), then, for the first tenant, as the runtime role under row-level security:
//! - bookings through the real ledger service (`finance::ledger::record`, one per transaction, and
//!   `record_batch`, 1,000 per transaction), rollups and balances maintained, in rows per second;
//! - the transactions page's list and totals for one month (p50 / p99);
//! - issue 13's DRE for 12 months, per basis and period kind, from the rollups and straight from the transactions
//!   (p50 / p99, both checked equal), with the plan of each printed once;
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
const DRE_RUNS: usize = 30;

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
    let dre_lines = dre(&pool, books.tenant).await;

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
    for line in dre_lines {
        println!("{line}");
    }
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
        if took.len() == 5 {
            // PostgreSQL may switch a prepared statement to its generic plan after five runs.
            let (first, _) = percentiles(took.clone());
            println!("transactions page, median of the first 5 runs: {first:.2} ms");
        }
        matched = totals.count;
    }
    (percentiles(took), matched)
}

/// The DRE's accounting basis: which date of a transaction puts it in a period.
#[derive(Clone, Copy)]
enum Basis {
    Competence,
    Cash,
}

impl Basis {
    fn code(self) -> &'static str {
        match self {
            Self::Competence => "competence",
            Self::Cash => "cash",
        }
    }

    /// The transactions' column for this basis (pending rows have no `paid_on`, so they drop out of cash).
    fn column(self) -> &'static str {
        match self {
            Self::Competence => "competence_date",
            Self::Cash => "paid_on",
        }
    }
}

/// DRE rows (line, period, signed cents) from the monthly rollups: $1 basis, [$2, $3) months, $4 period kind
/// (`month`, `quarter`, `year`).
const DRE_FROM_ROLLUPS: &str =
    "select c.dre_line, date_trunc($4, r.month::timestamp)::date as period, sum(r.amount_cents)::bigint
   from finance_rollups r
   join finance_categories c on c.tenant_id = r.tenant_id and c.id = r.category_id
  where r.basis = $1 and r.month >= $2 and r.month < $3
  group by 1, 2 order by 1, 2";

/// The same rows computed straight from the transactions: summed per (day, category) first — in the order of the
/// covering indexes `finance_transactions_{competence,paid}_sum_idx` (migration 20261201006002), so a parallel
/// index-only scan feeds a streaming group aggregate, no heap visit, no hash, no sort — then signed by the
/// category's kind (a transaction's kind is always its category's) and rolled up to the period, so the join and
/// `date_trunc` see a few thousand rows, not 500,000. `$1` is unused but keeps the parameters aligned with
/// `DRE_FROM_ROLLUPS`. Run it unprepared (`dre_query`): see there.
fn dre_from_transactions(basis: Basis) -> String {
    let column = basis.column();
    format!(
        "select c.dre_line, date_trunc($4, d.day::timestamp)::date as period,
                sum(case c.kind when 'income' then d.cents else -d.cents end)::bigint
           from (select t.{column} as day, t.category_id, sum(t.amount_cents) as cents
                   from finance_transactions t
                  where $1::text is not null and t.{column} >= $2 and t.{column} < $3
                  group by 1, 2) d
           join finance_categories c on c.id = d.category_id
          group by 1, 2 order by 1, 2"
    )
}

type DreRows = Vec<(Option<String>, NaiveDate, i64)>;

/// One DRE query, bound for a 12-month range. Not kept as a prepared statement: after five runs PostgreSQL may
/// switch a prepared statement to its generic plan, which cannot see the dates, guesses the range holds 0.5% of the
/// rows (5,000 of 1,000,000), and plans a plain index scan or no parallel workers — 3 s instead of 70 ms when the
/// rows are 500,000 (plans in the report of issue 13). An unnamed statement is planned with its values each time,
/// for a planning cost of well under a millisecond.
fn dre_query<'q>(
    sql: &'q str,
    basis: Basis,
    period: &'q str,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, (Option<String>, NaiveDate, i64), sqlx::postgres::PgArguments> {
    let (from, to) = dre_range();
    sqlx::query_as(sql).bind(basis.code()).bind(from).bind(to).bind(period).persistent(false)
}

/// Twelve months inside the generated range.
fn dre_range() -> (NaiveDate, NaiveDate) {
    let from = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    (from, from + chrono::Months::new(12))
}

/// Times each DRE (basis × period kind × source) over `DRE_RUNS` runs, checks both sources agree, and prints the
/// plan of the monthly DRE of each source once per basis. Answers table rows.
async fn dre(pool: &PgPool, tenant: Uuid) -> Vec<String> {
    let mut lines = Vec::new();
    for basis in [Basis::Competence, Basis::Cash] {
        let straight = dre_from_transactions(basis);
        for (source, sql) in [("rollups", DRE_FROM_ROLLUPS), ("transactions", straight.as_str())] {
            let mut tx = TenantTx::begin(pool, tenant).await.unwrap();
            let explain = format!("explain (analyze, buffers) {sql}");
            let (from, to) = dre_range();
            let plan: Vec<String> = sqlx::query_scalar(&explain)
                .bind(basis.code())
                .bind(from)
                .bind(to)
                .bind("month")
                .fetch_all(tx.conn())
                .await
                .unwrap();
            tx.commit().await.unwrap();
            println!("\n-- DRE by month, {} basis, from {source}:\n{}", basis.code(), plan.join("\n"));
        }
        for period in ["month", "quarter", "year"] {
            let mut results: Vec<DreRows> = Vec::new();
            for (source, sql) in [("rollups", DRE_FROM_ROLLUPS), ("transactions", straight.as_str())] {
                let mut took = Vec::with_capacity(DRE_RUNS);
                let mut rows = Vec::new();
                for _ in 0..DRE_RUNS {
                    let mut tx = TenantTx::begin(pool, tenant).await.unwrap();
                    let started = Instant::now();
                    rows = dre_query(sql, basis, period).fetch_all(tx.conn()).await.unwrap();
                    took.push(started.elapsed().as_secs_f64() * 1000.0);
                    tx.commit().await.unwrap();
                }
                let (p50, p99) = percentiles(took);
                lines.push(format!(
                    "| DRE 12 months by {period}, {} basis, from {source} ({} cells), {DRE_RUNS} runs | p50 {p50:.2} ms, p99 {p99:.2} ms |",
                    basis.code(),
                    rows.len()
                ));
                results.push(rows);
            }
            assert_eq!(results[0], results[1], "the DRE from rollups must equal the one from transactions");
        }
    }
    lines
}

/// (p50, p99) of `samples`.
fn percentiles(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}
