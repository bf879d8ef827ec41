//! Webhook intake benchmark (figures go in the issue note; no timing asserts anywhere): Asaas deliveries posted
//! over loopback HTTP to the real router, each checked, stored and given its job in one transaction before the
//! 200 (persist-then-ack). Reports requests per second and latency percentiles at a fixed concurrency.
//!
//! `cargo bench -p server --features test-support --bench webhooks` (uses the private test cluster).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark binary")]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use app::platform::tenancy::TenantTx;
use serde_json::json;
use server::{
    test_support::{TestServer, create_tenant},
    webhooks,
};
use tokio::sync::Mutex;

const REQUESTS: usize = 10_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(bench());
}

async fn bench() {
    let concurrency: usize = std::env::var("BENCH_CONCURRENCY").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
    let server = TestServer::start().await;
    let tenant = create_tenant(&server.pool, "bench").await;
    let hooks = webhooks::provision_tenant(&server.pool, tenant, &server.url, None, "$aact_bench", &[]).await.unwrap();
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    let (url, token) = (hooks.asaas_webhook_url.clone(), hooks.asaas_auth_token.clone());
    let post = move |index: usize| {
        let body = json!({
            "id": format!("evt_bench_{index}"), "event": "PAYMENT_RECEIVED", "dateCreated": "2026-11-21 10:00:00",
            "payment": {"object": "payment", "id": format!("pay_{}", index % 500), "customer": "cus_1",
                        "status": "RECEIVED", "value": 150.5, "billingType": "PIX", "dueDate": "2026-12-01"}
        });
        client.post(&url).header("asaas-access-token", &token).json(&body).send()
    };
    // Warm-up: connections, prepared statements.
    for index in 0..200 {
        assert_eq!(post(REQUESTS + index).await.unwrap().status(), 200);
    }

    let next = Arc::new(Mutex::new(0usize));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(REQUESTS)));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (next, latencies, post) = (next.clone(), latencies.clone(), post.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let index = {
                    let mut next = next.lock().await;
                    if *next >= REQUESTS {
                        break;
                    }
                    *next += 1;
                    *next
                };
                let sent = Instant::now();
                let response = post(index).await.unwrap();
                assert_eq!(response.status(), 200);
                latencies.lock().await.push(sent.elapsed());
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    let mut latencies = latencies.lock().await.clone();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "webhook intake: {REQUESTS} deliveries in {:.2} s = {:.0} req/s at concurrency {concurrency}; \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0)),
    );
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    let (events, jobs): (i64, i64) =
        sqlx::query_as("select (select count(*) from webhook_events), (select count(*) from jobs)")
            .fetch_one(tx.conn())
            .await
            .unwrap();
    println!("stored {events} events and {jobs} jobs (one each per delivery, warm-up included)");
}
