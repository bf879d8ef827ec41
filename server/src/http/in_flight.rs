//! A global cap on requests in flight. Past it the server answers 503 with `Retry-After` at once, instead of
//! queueing without bound (every queued request holds memory and a socket, and would reach a database pool that
//! is already busy). A request counts from when its head is read until its response head is ready; reading its
//! body is included, which is why slow bodies have a deadline (`body_limit`).
//!
//! Requests asking to upgrade to a WebSocket are not counted: once upgraded a socket lives for hours, and the live
//! channel caps its own sockets.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{HeaderValue, StatusCode, header};
use tokio::sync::Semaphore;

/// Seconds a refused client is asked to wait.
const RETRY_AFTER_SECS: &str = "1";

#[derive(Debug, Clone)]
pub struct InFlight(Arc<Semaphore>);

impl InFlight {
    pub fn new(max: usize) -> Self {
        Self(Arc::new(Semaphore::new(max)))
    }
}

pub async fn cap(State(in_flight): State<InFlight>, request: Request, next: Next) -> Response {
    if is_websocket_upgrade(&request) {
        return next.run(request).await;
    }
    let Ok(_permit) = in_flight.0.clone().try_acquire_owned() else {
        tracing::warn!("too many requests in flight; answered 503");
        metrics::counter!("http_requests_shed_total").increment(1);
        let mut response =
            (StatusCode::SERVICE_UNAVAILABLE, "O servidor está ocupado. Tente de novo em instantes.").into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECS));
        return response;
    };
    next.run(request).await
}

fn is_websocket_upgrade(request: &Request) -> bool {
    request
        .headers()
        .get(header::UPGRADE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("websocket"))
}
