//! Live-channel load bench (figures for the issue note; no asserts on timing): a server in a child process (this
//! binary re-run with `serve`, release-built by `cargo bench`), N sockets signed in as one person and watching one
//! board, M events published through the normal path (`platform::live::publish` in a tenant transaction, at 4 per
//! second after 2 warm-up events). Reports delivery latency p50/p99/max over every delivery, deliveries missing
//! (a slow-client cut-off counts as a failure), and the server's RSS per connection (after N connected minus before,
//! over N). Raises its own file-descriptor limit (N sockets on each side exceed the default 1,024).
//!
//! `LIVE_N=1000 cargo bench -p server --features test-support --bench live` (uses the private test cluster).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark binary")]

mod support;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use app::platform::{
    live::{Event, ServerMessage, Topic, publish},
    tenancy::TenantTx,
};
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use support::{now_micros, quantile, raise_fd_limit, rss_kib, serve, sign_in, spawn_server, watch};

/// The server's own allocator (`server/src/main.rs`), so the child serves as the real binary would.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WARM_UP: usize = 2;
const EVENTS: usize = 20;
const BOARD: Uuid = Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0001);

fn main() {
    let child = std::env::args().nth(1).is_some_and(|arg| arg == "serve");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    if child {
        runtime.block_on(serve());
    } else {
        runtime.block_on(load());
    }
}

async fn load() {
    let limit = raise_fd_limit();
    let n: usize = std::env::var("LIVE_N").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    println!("live bench: N = {n} sockets, {EVENTS} events at 4/s after {WARM_UP} warm-up; fd limit raised to {limit}");
    let (mut child, url, database) = spawn_server();
    let pool = sqlx::PgPool::connect(&database).await.unwrap();
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&pool).await.unwrap();

    let session = sign_in(&url, "consultora@famath.example").await;
    let before = rss_kib(child.id());
    let latencies = Arc::new(Mutex::new(Vec::<(usize, f64)>::with_capacity(n * EVENTS)));
    let mut readers = Vec::with_capacity(n);
    let topic = Topic::Board(BOARD).to_string();
    for _ in 0..n {
        let mut socket = watch(&url, &session, &topic).await;
        let latencies = latencies.clone();
        readers.push(tokio::spawn(async move {
            let mut mine = Vec::with_capacity(EVENTS);
            let mut events = 0;
            // One deadline for the whole run, not a timer per message: this client shares the two cores with the
            // server, and arming and clearing 10,000 timers per event was a good part of its own work.
            let reading = async {
                while events < WARM_UP + EVENTS {
                    let Some(Ok(frame)) = socket.next().await else { break };
                    if let Message::Text(text) = frame
                        && let Ok(ServerMessage::Event { event: Event::Demo { text }, .. }) =
                            serde_json::from_str(&text)
                    {
                        events += 1;
                        if events > WARM_UP {
                            let latency = now_micros().saturating_sub(text.parse().unwrap_or(0)) as f64 / 1000.0;
                            mine.push((events - WARM_UP - 1, latency));
                        }
                    }
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(120), reading).await;
            latencies.lock().unwrap().extend(mine);
            // Kept open until every reader is done: closing 10,000 sockets while the last event is still being
            // delivered to the others made the last event's fan-out twice as slow as the rest (a bench artifact).
            socket
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(child.id());
    println!(
        "server RSS: {before} KiB before, {after} KiB with {n} sockets: {:.2} KiB per connection",
        (after.saturating_sub(before)) as f64 / n as f64
    );

    let mut tick = tokio::time::interval(Duration::from_millis(250));
    for _ in 0..WARM_UP + EVENTS {
        tick.tick().await;
        let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
        publish(&mut tx, Topic::Board(BOARD), &Event::Demo { text: now_micros().to_string() }).await.unwrap();
        tx.commit().await.unwrap();
    }
    let mut sockets = Vec::with_capacity(n);
    for reader in readers {
        sockets.push(reader.await.unwrap());
    }
    let latencies = Arc::try_unwrap(latencies).unwrap().into_inner().unwrap();
    // Per event: when its last delivery arrived (how long one fan-out to every watcher took).
    let mut slowest = [0.0_f64; EVENTS];
    for (event, latency) in &latencies {
        slowest[*event] = slowest[*event].max(*latency);
    }
    let slowest: Vec<String> = slowest.iter().map(|ms| format!("{ms:.0}")).collect();
    println!("last delivery of each event (ms): {}", slowest.join(" "));
    let mut latencies: Vec<f64> = latencies.into_iter().map(|(_, latency)| latency).collect();
    latencies.sort_by(f64::total_cmp);
    let expected = n * EVENTS;
    println!(
        "deliveries: {} of {expected} ({} missing); latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        expected - latencies.len(),
        quantile(&latencies, 0.50),
        quantile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
    );
    drop(sockets);
    child.kill().unwrap();
    let _ = child.wait();
}
