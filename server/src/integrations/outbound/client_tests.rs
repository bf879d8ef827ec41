//! The retry and breaker rules against a tiny scripted HTTP server on 127.0.0.1.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{Router, extract::State, http::HeaderMap, response::IntoResponse, routing::any};
use reqwest::StatusCode;

use super::*;
use crate::integrations::outbound::BreakerSettings;

/// A scripted answer: status and `Retry-After`.
type Answer = (u16, Option<&'static str>);

#[derive(Clone, Default)]
struct Script {
    /// Answers to give, in order (status, Retry-After); 200 "ok" once exhausted.
    answers: Arc<Mutex<VecDeque<Answer>>>,
    hits: Arc<AtomicUsize>,
    user_agent: Arc<Mutex<Option<String>>>,
    delay: Arc<Mutex<Duration>>,
}

async fn answer(State(script): State<Script>, headers: HeaderMap) -> impl IntoResponse {
    script.hits.fetch_add(1, Ordering::SeqCst);
    *script.user_agent.lock().unwrap() = headers.get("user-agent").and_then(|v| v.to_str().ok()).map(str::to_string);
    let delay = *script.delay.lock().unwrap();
    tokio::time::sleep(delay).await;
    let next = script.answers.lock().unwrap().pop_front();
    let (status, retry_after) = next.unwrap_or((200, None));
    let mut headers = HeaderMap::new();
    if let Some(value) = retry_after {
        headers.insert("retry-after", value.parse().unwrap());
    }
    (StatusCode::from_u16(status).unwrap(), headers, format!("answer {status}"))
}

async fn serve(script: Script) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route("/{*path}", any(answer)).with_state(script);
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn settings(threshold: u32) -> OutboundSettings {
    OutboundSettings {
        connect_timeout: Duration::from_millis(500),
        timeout: Duration::from_millis(300),
        retry: RetrySettings {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(1),
        },
        breaker: BreakerSettings {
            failure_threshold: threshold,
            window: Duration::from_secs(60),
            cooldown: Duration::from_millis(200),
        },
    }
}

fn script(answers: &[Answer]) -> Script {
    let script = Script::default();
    script.answers.lock().unwrap().extend(answers.iter().copied());
    script
}

#[tokio::test]
async fn a_safe_call_is_retried_on_503_then_succeeds() {
    let script = script(&[(503, None), (503, Some("0"))]);
    let base = serve(script.clone()).await;
    let client = OutboundClient::new("test_retry", settings(10)).unwrap();
    let response = client.send(client.get(&format!("{base}/x")), Idempotency::Safe).await.unwrap();
    assert_eq!(response.text().await.unwrap(), "answer 200");
    assert_eq!(script.hits.load(Ordering::SeqCst), 3);
    let agent = script.user_agent.lock().unwrap().clone().unwrap();
    assert_eq!(agent, format!("Atrium/{}", env!("CARGO_PKG_VERSION")));
}

#[tokio::test]
async fn an_unsafe_call_is_never_retried() {
    let script = script(&[(503, None)]);
    let base = serve(script.clone()).await;
    let client = OutboundClient::new("test_unsafe", settings(10)).unwrap();
    let error = client.send(client.post(&format!("{base}/x")).body("{}"), Idempotency::Unsafe).await.unwrap_err();
    match error {
        OutboundError::Status { status, body_excerpt, .. } => {
            assert_eq!(status, 503);
            assert_eq!(body_excerpt, "answer 503");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(script.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn client_errors_are_neither_retried_nor_counted_against_the_breaker() {
    let script = script(&[(400, None), (404, None), (422, None)]);
    let base = serve(script.clone()).await;
    let client = OutboundClient::new("test_4xx", settings(2)).unwrap();
    for _ in 0..3 {
        let error = client.send(client.get(&format!("{base}/x")), Idempotency::Safe).await.unwrap_err();
        assert!(!error.is_transient(), "{error:?}");
    }
    assert_eq!(script.hits.load(Ordering::SeqCst), 3);
    assert_eq!(client.circuit_state(), CircuitState::Closed);
}

#[tokio::test]
async fn a_long_retry_after_ends_the_retries() {
    let script = script(&[(429, Some("60"))]);
    let base = serve(script.clone()).await;
    let client = OutboundClient::new("test_retry_after", settings(10)).unwrap();
    let error = client.send(client.get(&format!("{base}/x")), Idempotency::Safe).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(script.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_breaker_opens_fails_fast_and_recovers_after_the_cooldown() {
    let script = script(&[(500, None), (500, None), (500, None)]);
    let base = serve(script.clone()).await;
    let client = OutboundClient::new("test_breaker", settings(2)).unwrap();
    let url = format!("{base}/x");
    // Two attempts of one safe call fail; the breaker opens and refuses the third attempt.
    let error = client.send(client.get(&url), Idempotency::Safe).await.unwrap_err();
    assert!(matches!(error, OutboundError::Unavailable { dependency: "test_breaker" }), "{error:?}");
    assert_eq!(script.hits.load(Ordering::SeqCst), 2);
    assert!(!client.is_available());
    let error = client.send(client.get(&url), Idempotency::Unsafe).await.unwrap_err();
    assert!(matches!(error, OutboundError::Unavailable { .. }), "{error:?}");
    assert_eq!(script.hits.load(Ordering::SeqCst), 2, "no network while open");

    tokio::time::sleep(Duration::from_millis(250)).await;
    assert!(client.is_available());
    // The probe fails (the third scripted 500): open again.
    client.send(client.get(&url), Idempotency::Unsafe).await.unwrap_err();
    assert_eq!(client.circuit_state(), CircuitState::Open);
    tokio::time::sleep(Duration::from_millis(250)).await;
    client.send(client.get(&url), Idempotency::Safe).await.unwrap();
    assert_eq!(client.circuit_state(), CircuitState::Closed);
    assert_eq!(script.hits.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let script = Script::default();
    *script.delay.lock().unwrap() = Duration::from_secs(2);
    let base = serve(script.clone()).await;
    let mut settings = settings(10);
    settings.retry.max_attempts = 1;
    let client = OutboundClient::new("test_timeout", settings).unwrap();
    let error = client.send(client.get(&format!("{base}/x")), Idempotency::Safe).await.unwrap_err();
    assert!(matches!(error, OutboundError::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error_without_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = OutboundClient::new("test_connect", settings(10)).unwrap();
    let url = format!("http://{addr}/instances/i/token/SECRET/send-text");
    let error = client.send(client.get(&url), Idempotency::Safe).await.unwrap_err();
    assert!(matches!(error, OutboundError::Connect { .. }), "{error:?}");
    assert!(!error.to_string().contains("SECRET"), "{error}");
}
