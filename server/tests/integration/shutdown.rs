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
async fn the_grace_period_bounds_how_long_shutdown_waits_and_then_cuts_the_request_off() {
    let config = Config::from_lookup(|name| (name == "ATRIUM_SHUTDOWN_GRACE_SECS").then(|| "1".into())).unwrap();
    // The handler says when it has started, so the stop surely finds the request in flight.
    let started = std::sync::Arc::new(tokio::sync::Notify::new());
    let handler_started = started.clone();
    let mut server = TestServer::start_with(config, move |router| {
        router.route(
            "/stuck",
            get(move || async move {
                handler_started.notify_one();
                tokio::time::sleep(Duration::from_secs(60)).await;
                "never"
            }),
        )
    })
    .await;
    let url = format!("{}/stuck", server.url);
    let stuck = tokio::spawn(async move { reqwest::get(url).await });
    tokio::time::timeout(Duration::from_secs(10), started.notified()).await.expect("the stuck request arrived");

    let stopping = Instant::now();
    server.request_stop();
    tokio::time::timeout(Duration::from_secs(10), server.stop())
        .await
        .expect("shutdown waits no longer than the grace period")
        .unwrap();
    assert!(stopping.elapsed() >= Duration::from_millis(900), "the request got its grace period");
    // The client is not left hanging on a connection nobody serves any more.
    let answer = tokio::time::timeout(Duration::from_secs(5), stuck)
        .await
        .expect("the stuck request is cut off when the grace period ends")
        .unwrap();
    assert!(answer.is_err(), "the stuck request cannot have finished: {answer:?}");
}
