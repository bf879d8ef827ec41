//! Request bodies are capped in size and in time. Over the size cap the answer is 413 with a message, whether the
//! client declared the length (answered before reading) or streamed it chunked (answered once the cap is crossed).
//! The time allowed is a minimum throughput, not a flat timeout: a grace period plus the time the bytes received
//! so far take at the minimum rate, so a large upload on a slow phone connection keeps going as long as it keeps
//! up, while a client trickling bytes is answered 408 (and its connection closed) once it falls behind, instead
//! of holding an in-flight slot. Handlers, the Leptos server functions included, only ever see a complete body;
//! otherwise they would turn a cut-off body into a 500.

use std::time::Duration;

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{HeaderValue, StatusCode, header};
use http_body_util::BodyExt;
use tokio::time::Instant;

/// How long a body may take: `grace` plus its length at `min_bytes_per_sec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadDeadline {
    pub grace: Duration,
    pub min_bytes_per_sec: u64,
}

impl ReadDeadline {
    /// 10 s, then 8 KiB/s (64 kbit/s: a poor mobile connection still gets a 2 MiB form through in about 4 minutes).
    pub const DEFAULT: Self = Self { grace: Duration::from_secs(10), min_bytes_per_sec: 8 * 1024 };

    /// The instant by which more than `received` bytes must have arrived.
    fn next(&self, started: Instant, received: usize) -> Instant {
        let at_min_rate = Duration::from_secs_f64(received as f64 / self.min_bytes_per_sec as f64);
        started + self.grace + at_min_rate
    }
}

#[derive(Debug, Clone, Copy)]
pub struct BodyRules {
    pub max_bytes: usize,
    pub deadline: ReadDeadline,
    /// Routes (axum templates) with their own, larger cap.
    pub large: &'static [(&'static str, usize)],
}

/// The routes that take uploads, each with its cap: the one place a route gets more than the general limit.
pub const LARGE_BODY_ROUTES: &[(&str, usize)] =
    &[(super::documents::UPLOAD_ROUTE, super::documents::UPLOAD_BODY_MAX_BYTES)];

impl BodyRules {
    /// The cap for a request to `path`: its route's own if it has one, the general one otherwise.
    pub fn cap_for(&self, path: &str) -> usize {
        self.large
            .iter()
            .find(|(template, _)| matches_template(template, path))
            .map_or(self.max_bytes, |(_, cap)| (*cap).max(self.max_bytes))
    }
}

/// Whether `path` fits the route `template`, where a `{name}` segment stands for any one segment.
fn matches_template(template: &str, path: &str) -> bool {
    let (mut template, mut path) = (template.split('/'), path.split('/'));
    loop {
        match (template.next(), path.next()) {
            (None, None) => return true,
            (Some(expected), Some(segment)) => {
                let any = expected.starts_with('{') && expected.ends_with('}') && !segment.is_empty();
                if !any && expected != segment {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

pub async fn limit(State(rules): State<BodyRules>, request: Request, next: Next) -> Response {
    let rules = BodyRules { max_bytes: rules.cap_for(request.uri().path()), ..rules };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > rules.max_bytes as u64) {
        return too_large(rules.max_bytes);
    }
    let (parts, body) = request.into_parts();
    match read(body, rules).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(Refusal::TooLarge) => too_large(rules.max_bytes),
        Err(Refusal::TooSlow { received }) => {
            tracing::info!(received, "request body arrived too slowly; answered 408");
            let mut response = (StatusCode::REQUEST_TIMEOUT, "O envio da requisição está lento demais. Tente de novo.")
                .into_response();
            // The rest of the body is never read: the connection cannot carry another request.
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
        Err(Refusal::Unreadable(error)) => {
            tracing::info!(%error, "request body could not be read");
            (StatusCode::BAD_REQUEST, "Não foi possível ler o corpo da requisição.").into_response()
        }
    }
}

/// A size cap alone, for routes that want a smaller one than the whole app's (the app-wide layer has already
/// enforced the read deadline by then).
pub async fn limit_size(State(max_bytes): State<usize>, request: Request, next: Next) -> Response {
    limit(State(BodyRules { max_bytes, deadline: ReadDeadline::DEFAULT, large: &[] }), request, next).await
}

enum Refusal {
    TooLarge,
    TooSlow { received: usize },
    Unreadable(axum::Error),
}

/// Reads the whole body within the size cap and the throughput deadline.
async fn read(mut body: Body, rules: BodyRules) -> Result<Bytes, Refusal> {
    let started = Instant::now();
    let mut collected = Vec::new();
    loop {
        let deadline = rules.deadline.next(started, collected.len());
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return Err(Refusal::TooSlow { received: collected.len() }),
            Ok(None) => return Ok(Bytes::from(collected)),
            Ok(Some(Err(error))) => return Err(Refusal::Unreadable(error)),
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if collected.len() + data.len() > rules.max_bytes {
                return Err(Refusal::TooLarge);
            }
            collected.extend_from_slice(&data);
        }
    }
}

fn too_large(max_bytes: usize) -> Response {
    let message = format!("A requisição é grande demais: o limite é {} KiB.", max_bytes / 1024);
    (StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_grows_with_what_has_arrived() {
        let rules = ReadDeadline { grace: Duration::from_secs(10), min_bytes_per_sec: 8 * 1024 };
        let started = Instant::now();
        assert_eq!(rules.next(started, 0), started + Duration::from_secs(10));
        // 64 KiB at 8 KiB/s buys 8 more seconds.
        assert_eq!(rules.next(started, 64 * 1024), started + Duration::from_secs(18));
    }

    #[test]
    fn upload_routes_get_their_own_larger_cap_and_nothing_else_does() {
        let rules = BodyRules { max_bytes: 1024, deadline: ReadDeadline::DEFAULT, large: &[("/{a}/up/{b}", 4096)] };
        assert_eq!(rules.cap_for("/famath/up/123"), 4096);
        assert_eq!(rules.cap_for("/famath/up/123/more"), 1024);
        assert_eq!(rules.cap_for("/famath/up"), 1024);
        assert_eq!(rules.cap_for("/famath/down/123"), 1024);
        assert_eq!(rules.cap_for("//up/123"), 1024, "an empty segment is not a tenant");
    }
}
