//! Job queue benchmark on the machine it runs on (no timing asserts anywhere; figures go in the issue note):
//! no-op jobs per second through the real worker, and enqueue-to-start latency p50/p99 at a steady enqueue rate.
//!
//! `cargo bench -p server --features test-support --bench jobs` (uses the private test cluster, like the tests).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark binary")]

use std::time::{Duration, Instant};

use app::platform::{
    jobs::{EnqueueOptions, Job, enqueue},
    tenancy::TenantTx,
};
use serde::{Deserialize, Serialize};
use server::{
    jobs::{JobContext, JobError, JobHandler, JobSettings, Registry, Worker, WorkerSettings},
    test_support::{TestDatabase, create_tenant},
};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Serialize, Deserialize)]
struct Noop {}

impl Job for Noop {
    const KIND: &'static str = "bench.noop";
}

/// `batch`: how many no-op jobs of one tenant may share a transaction (1 = each its own).
struct NoopHandler {
    batch: usize,
}

impl JobHandler for NoopHandler {
    type Job = Noop;

    fn settings(&self) -> JobSettings {
        JobSettings { batch: self.batch, ..JobSettings::default() }
    }

    async fn run(&self, _job: Noop, _context: &mut JobContext) -> Result<(), JobError> {
        Ok(())
    }
}

const THROUGHPUT_JOBS: i64 = 20_000;
const LATENCY_JOBS: usize = 2_000;
const LATENCY_RATE_PER_SEC: u64 = 500;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(bench());
}

async fn bench() {
    for batch in [1, 32] {
        bench_with(batch).await;
    }
}

async fn bench_with(batch: usize) {
    println!("-- no-op jobs, up to {batch} per transaction");
    let database = TestDatabase::create().await;
    let connections: u32 = std::env::var("BENCH_POOL").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let concurrency: usize = std::env::var("BENCH_CONCURRENCY").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
    let pool = server::database::runtime_pool(&database.app_url, connections).await.expect("pool");
    let tenants = [create_tenant(&pool, "bench-a").await, create_tenant(&pool, "bench-b").await];
    let settings = WorkerSettings { concurrency, batch: 64, ..WorkerSettings::default() };

    // 1. Throughput: a backlog of no-op jobs across two tenants, drained by one worker.
    for tenant_id in tenants {
        let mut tx = TenantTx::begin(&pool, tenant_id).await.unwrap();
        sqlx::query(
            "insert into jobs (tenant_id, kind, payload) select current_tenant_id(), 'bench.noop', '{}'
               from generate_series(1, $1)",
        )
        .bind(THROUGHPUT_JOBS / 2)
        .execute(tx.conn())
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let started = Instant::now();
    let worker = Worker::new(pool.clone(), Registry::new().register(NoopHandler { batch }), settings).spawn();
    while done(&pool, &tenants).await < THROUGHPUT_JOBS {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    println!(
        "throughput: {THROUGHPUT_JOBS} no-op jobs in {:.2} s = {:.0} jobs/s (concurrency {concurrency}, pool {connections})",
        elapsed.as_secs_f64(),
        THROUGHPUT_JOBS as f64 / elapsed.as_secs_f64()
    );

    // 2. Latency: jobs enqueued one by one (each its own committed transaction) at a steady rate while the worker
    //    idles between them; enqueue-to-start is the claim time minus the enqueue time, both PostgreSQL clocks.
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / LATENCY_RATE_PER_SEC));
    let mut ids = Vec::with_capacity(LATENCY_JOBS);
    for index in 0..LATENCY_JOBS {
        tick.tick().await;
        let tenant_id = tenants[index % 2];
        let mut tx = TenantTx::begin(&pool, tenant_id).await.unwrap();
        ids.push(enqueue(&mut tx, &Noop {}, EnqueueOptions::default()).await.unwrap().id());
        tx.commit().await.unwrap();
    }
    while done(&pool, &tenants).await < THROUGHPUT_JOBS + LATENCY_JOBS as i64 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.shutdown().await;
    let mut waits = Vec::with_capacity(LATENCY_JOBS);
    for tenant_id in tenants {
        let mut tx = TenantTx::begin(&pool, tenant_id).await.unwrap();
        let rows: Vec<f64> = sqlx::query_scalar(
            "select extract(epoch from started_at - created_at)::float8 * 1000 from jobs where id = any($1)",
        )
        .bind(&ids)
        .fetch_all(tx.conn())
        .await
        .unwrap();
        waits.extend(rows);
    }
    waits.sort_by(f64::total_cmp);
    let at = |q: f64| waits[((waits.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "enqueue-to-start at {LATENCY_RATE_PER_SEC} jobs/s: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} jobs)",
        at(0.5),
        at(0.99),
        at(1.0),
        waits.len()
    );
}

async fn done(pool: &PgPool, tenants: &[Uuid]) -> i64 {
    let mut total = 0;
    for tenant_id in tenants {
        let mut tx = TenantTx::begin(pool, *tenant_id).await.unwrap();
        let count: i64 =
            sqlx::query_scalar("select count(*) from jobs where state = 'done'").fetch_one(tx.conn()).await.unwrap();
        tx.commit().await.unwrap();
        total += count;
    }
    total
}
