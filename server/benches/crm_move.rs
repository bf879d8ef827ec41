//! CRM board move bench (issue 14; figures for the note, no asserts on timing): a server in a child process (this
//! binary re-run with `serve`), N sockets signed in as the owner and watching the real-estate board, and M card
//! moves through the real server function (`POST /api/crm/leads/move`: version check, new position, timeline,
//! `changed` published in the same transaction, commit) at 4 per second after 2 warm-up moves, one card going back
//! and forth between the first two stages. Reports, per move, the time from sending the request until the LAST
//! watcher had the event (every watcher notified), p50/p99; the same over every single delivery; and the request's
//! own round trip.
//!
//! `CRM_WATCHERS=1000 cargo bench -p server --features test-support --bench crm_move` (uses the private test
//! cluster).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark binary")]

mod support;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use app::platform::{
    live::{Event, ServerMessage, Topic},
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
const MOVES: usize = 100;

fn main() {
    let child = std::env::args().nth(1).is_some_and(|arg| arg == "serve");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    if child {
        runtime.block_on(serve());
    } else {
        runtime.block_on(load());
    }
}

/// The board, the card that moves and the two stages it goes between.
struct Scene {
    board: Uuid,
    lead: Uuid,
    stages: [Uuid; 2],
    version: i64,
}

async fn scene(database: &str) -> Scene {
    let pool = sqlx::PgPool::connect(database).await.unwrap();
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&pool).await.unwrap();
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let board: Uuid = sqlx::query_scalar("select id from crm_pipelines where product = 'real_estate'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    let stages: Vec<Uuid> = sqlx::query_scalar(
        "select id from crm_stages where pipeline_id = $1 and outcome is null and not archived order by position limit 2",
    )
    .bind(board)
    .fetch_all(tx.conn())
    .await
    .unwrap();
    let (lead, version): (Uuid, i64) =
        sqlx::query_as("select id, version from crm_leads where stage_id = $1 order by position limit 1")
            .bind(stages[0])
            .fetch_one(tx.conn())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    Scene { board, lead, stages: [stages[0], stages[1]], version }
}

async fn load() {
    let limit = raise_fd_limit();
    let n: usize = std::env::var("CRM_WATCHERS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    println!("crm move bench: N = {n} watchers, {MOVES} moves at 4/s after {WARM_UP} warm-up; fd limit {limit}");
    let (mut child, url, database) = spawn_server();
    let mut scene = scene(&database).await;
    let session = sign_in(&url, "dona@famath.example").await;
    let before = rss_kib(child.id());

    // Every delivery: (the card's version the event names, when it arrived).
    let deliveries = Arc::new(Mutex::new(Vec::<(i64, u128)>::with_capacity(n * (MOVES + WARM_UP))));
    let topic = Topic::Board(scene.board).to_string();
    let mut readers = Vec::with_capacity(n);
    for _ in 0..n {
        let mut socket = watch(&url, &session, &topic).await;
        let deliveries = deliveries.clone();
        let lead = scene.lead;
        readers.push(tokio::spawn(async move {
            let mut mine = Vec::with_capacity(MOVES + WARM_UP);
            while mine.len() < MOVES + WARM_UP {
                let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::from_secs(90), socket.next()).await else {
                    break;
                };
                if let Message::Text(text) = frame
                    && let Ok(ServerMessage::Event { event: Event::Changed { id, version }, .. }) =
                        serde_json::from_str(&text)
                    && id == lead
                {
                    mine.push((version, now_micros()));
                }
            }
            deliveries.lock().unwrap().extend(mine);
            socket
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!("server RSS: {before} KiB before, {} KiB with {n} watchers", rss_kib(child.id()));

    // The moves, one at a time: sent at → the version it produced.
    let client = reqwest::Client::new();
    let mut sent_at = HashMap::<i64, u128>::new();
    let mut round_trips = Vec::with_capacity(MOVES);
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    for index in 0..WARM_UP + MOVES {
        tick.tick().await;
        let to = scene.stages[(index + 1) % 2];
        let form =
            [("id", scene.lead.to_string()), ("stage_id", to.to_string()), ("version", scene.version.to_string())];
        let started = now_micros();
        let response = client
            .post(format!("{url}/api/crm/leads/move"))
            .header("origin", &url)
            .header("cookie", format!("atrium_session={session}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "move refused: {}", response.status());
        let card: serde_json::Value = response.json().await.unwrap();
        let ended = now_micros();
        scene.version = card["version"].as_i64().expect("the moved card's version");
        if index >= WARM_UP {
            sent_at.insert(scene.version, started);
            round_trips.push((ended - started) as f64 / 1000.0);
        }
    }
    let mut sockets = Vec::with_capacity(n);
    for reader in readers {
        sockets.push(reader.await.unwrap());
    }

    let deliveries = Arc::try_unwrap(deliveries).unwrap().into_inner().unwrap();
    let mut every = Vec::with_capacity(deliveries.len());
    let mut last_per_move = HashMap::<i64, f64>::new();
    for (version, arrived) in deliveries {
        let Some(started) = sent_at.get(&version) else { continue };
        let latency = arrived.saturating_sub(*started) as f64 / 1000.0;
        every.push(latency);
        let last = last_per_move.entry(version).or_insert(0.0);
        *last = last.max(latency);
    }
    let mut last: Vec<f64> = last_per_move.into_values().collect();
    for figures in [&mut every, &mut last, &mut round_trips] {
        figures.sort_by(f64::total_cmp);
    }
    println!(
        "move → every watcher notified: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (over {} moves)",
        quantile(&last, 0.50),
        quantile(&last, 0.99),
        last.last().copied().unwrap_or(f64::NAN),
        last.len()
    );
    println!(
        "single deliveries: {} of {} ({} missing); p50 {:.1} ms, p99 {:.1} ms",
        every.len(),
        n * MOVES,
        (n * MOVES).saturating_sub(every.len()),
        quantile(&every, 0.50),
        quantile(&every, 0.99)
    );
    println!(
        "the move request's round trip: p50 {:.1} ms, p99 {:.1} ms",
        quantile(&round_trips, 0.50),
        quantile(&round_trips, 0.99)
    );
    drop(sockets);
    child.kill().unwrap();
    let _ = child.wait();
}
