use std::time::{Duration, Instant};

use axum::routing::get;
use server::{config::Config, test_support::TestServer};

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(800)).await;
    "finished"
}

#[tokio::test]
async fn a_stop_signal_lets_in_flight_requests_finish() {
    let config = Config::from_lookup(|_| None).unwrap();
    let mut server = TestServer::start_with(config, |router| router.route("/slow", get(slow))).await;
    let url = format!("{}/slow", server.url);
    let in_flight = tokio::spawn(async move { reqwest::get(url).await });
    tokio::time::sleep(Duration::from_millis(200)).await;

    server.request_stop();
    let response = in_flight.await.unwrap().expect("the in-flight request completes");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "finished");

    // New connections are refused once the server has stopped.
    let url = server.url.clone();
    server.stop().await.unwrap();
    assert!(reqwest::get(format!("{url}/healthz")).await.is_err());
}

#[tokio::test]
async fn the_grace_period_bounds_how_long_shutdown_waits() {
    let config = Config::from_lookup(|name| (name == "ATRIUM_SHUTDOWN_GRACE_SECS").then(|| "0".into())).unwrap();
    let mut server = TestServer::start_with(config, |router| {
        router.route("/stuck", get(|| async { tokio::time::sleep(Duration::from_secs(60)).await }))
    })
    .await;
    let url = format!("{}/stuck", server.url);
    let _stuck = tokio::spawn(async move { reqwest::get(url).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    server.request_stop();
    server.stop().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "shutdown did not wait for a stuck request");
}
