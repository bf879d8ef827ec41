//! The client: timeouts, retries of idempotent calls, the breaker and the metrics around every attempt.

use std::time::Instant;

use reqwest::{Request, RequestBuilder, Response, redirect};

use super::{
    breaker::{Breaker, CircuitState},
    error::{OutboundError, counts_as_failure},
    retry,
    settings::{OutboundSettings, RetrySettings},
};

/// Whether sending a request twice can do harm. Only `Safe` calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads (GET), and writes the provider deduplicates (a POST with its idempotency key).
    Safe,
    /// Anything else: a retried "create charge" or "send message" could charge or message twice.
    Unsafe,
}

/// A reqwest client for one dependency, with its breaker. Clones share the breaker and the connection pool.
#[derive(Debug, Clone)]
pub struct OutboundClient {
    dependency: &'static str,
    http: reqwest::Client,
    retry: RetrySettings,
    breaker: Breaker,
}

/// How much of an error body is kept: enough for a provider's explanation, not a whole HTML error page.
const BODY_EXCERPT_CHARS: usize = 1024;

impl OutboundClient {
    /// `dependency` names the service in metrics and errors (`asaas`, `zapi`, `llm`).
    pub fn new(dependency: &'static str, settings: OutboundSettings) -> Result<Self, OutboundError> {
        Self::build(dependency, settings, |builder| builder)
    }

    /// Like `new`, with a last say on the reqwest client (the guarded client's resolver and no proxy).
    pub(super) fn build(
        dependency: &'static str,
        settings: OutboundSettings,
        customize: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> Result<Self, OutboundError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .user_agent(concat!("Atrium/", env!("CARGO_PKG_VERSION")))
            // APIs do not redirect; following one would send our credential headers (`access_token`, which reqwest
            // does not know to strip) to wherever the redirect points.
            .redirect(redirect::Policy::none());
        let http = customize(builder)
            .build()
            .map_err(|error| OutboundError::Transport { dependency, message: error.without_url().to_string() })?;
        Ok(Self { dependency, http, retry: settings.retry, breaker: Breaker::new(dependency, settings.breaker, gauge) })
    }

    pub fn dependency(&self) -> &'static str {
        self.dependency
    }

    /// The underlying client, to build requests for `send` (`client.http().get(url).query(…)`).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn get(&self, url: &str) -> RequestBuilder {
        self.http.get(url)
    }

    pub fn post(&self, url: &str) -> RequestBuilder {
        self.http.post(url)
    }

    pub fn put(&self, url: &str) -> RequestBuilder {
        self.http.put(url)
    }

    /// Whether a call made now would reach the dependency (false while the breaker is open): lets a caller pick a
    /// fallback (rules instead of the LLM) without trying.
    pub fn is_available(&self) -> bool {
        self.breaker.is_available()
    }

    pub fn circuit_state(&self) -> CircuitState {
        self.breaker.state()
    }

    /// Sends the request through the breaker; retries `Safe` requests on connect errors, timeouts, 5xx and 429.
    /// A 2xx comes back as the response; anything else as an error (`Status` carries a body excerpt).
    pub async fn send(&self, request: RequestBuilder, idempotency: Idempotency) -> Result<Response, OutboundError> {
        let request = request.build().map_err(|error| self.transport(&error))?;
        // A streaming body cannot be replayed, so such a request gets one attempt whatever it claims.
        let attempts = match idempotency {
            Idempotency::Safe if request.try_clone().is_some() => self.retry.max_attempts.max(1),
            _ => 1,
        };
        let mut pending = Some(request);
        let mut attempt = 1;
        loop {
            let current =
                if attempt < attempts { pending.as_ref().and_then(Request::try_clone) } else { pending.take() };
            let Some(current) = current else {
                return Err(OutboundError::Transport { dependency: self.dependency, message: "request lost".into() });
            };
            let (error, retry_after) = match self.attempt(current).await {
                Ok(response) => return Ok(response),
                Err(failed) => failed,
            };
            if attempt >= attempts || !error.is_transient() || matches!(error, OutboundError::Unavailable { .. }) {
                return Err(error);
            }
            let Some(pause) = retry::delay(&self.retry, attempt, retry_after) else {
                return Err(error);
            };
            tracing::info!(dependency = self.dependency, attempt, error = %error, "retrying an idempotent call");
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    }

    /// One attempt: through the breaker, timed and counted. On failure also returns the server's `Retry-After`.
    async fn attempt(&self, request: Request) -> Result<Response, (OutboundError, Option<std::time::Duration>)> {
        let dependency = self.dependency;
        let Some(permit) = self.breaker.try_acquire() else {
            count(dependency, "rejected_open");
            return Err((OutboundError::Unavailable { dependency }, None));
        };
        let started = Instant::now();
        let result = self.http.execute(request).await;
        metrics::histogram!("outbound_call_duration_seconds", "dependency" => dependency)
            .record(started.elapsed().as_secs_f64());
        match result {
            Ok(response) if response.status().is_success() => {
                permit.success();
                count(dependency, "success");
                Ok(response)
            }
            Ok(response) => {
                let status = response.status();
                if counts_as_failure(status) {
                    permit.failure();
                } else {
                    // A 4xx: the dependency is up and refused our input.
                    permit.success();
                }
                count(dependency, "http_error");
                let retry_after = retry::retry_after(response.headers());
                let body_excerpt = excerpt(response).await;
                tracing::warn!(dependency, status = status.as_u16(), "outbound call answered with an error");
                Err((OutboundError::Status { dependency, status, body_excerpt }, retry_after))
            }
            Err(error) if refused_address(&error) => {
                // Our own resolver refused the host's addresses: the dependency did not fail, the breaker is not
                // told (the dropped permit frees a probe slot).
                drop(permit);
                count(dependency, "refused");
                let reason = super::guard::NonPublicAddress::REASON;
                tracing::warn!(dependency, reason, "outbound call refused");
                Err((OutboundError::Refused { dependency, reason }, None))
            }
            Err(error) => {
                permit.failure();
                let (outcome, error) = if error.is_timeout() {
                    ("timeout", OutboundError::Timeout { dependency })
                } else if error.is_connect() {
                    ("connect_error", OutboundError::Connect { dependency, message: describe(&error) })
                } else {
                    ("transport_error", self.transport(&error))
                };
                count(dependency, outcome);
                tracing::warn!(dependency, outcome, error = %error, "outbound call failed");
                Err((error, None))
            }
        }
    }

    fn transport(&self, error: &reqwest::Error) -> OutboundError {
        OutboundError::Transport { dependency: self.dependency, message: describe(error) }
    }
}

/// The error without its URL (Z-API carries its token in the path), with its causes ("connection refused").
fn describe(error: &reqwest::Error) -> String {
    let mut text = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    // reqwest's own message names the URL; its sources (hyper, io) do not.
    text.push_str(if error.is_connect() { "connect" } else { "request" });
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Whether the guarded resolver refused every address of the host (somewhere in the error's causes).
fn refused_address(error: &reqwest::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<super::guard::NonPublicAddress>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The start of an error body, read only as far as needed.
async fn excerpt(mut response: Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < BODY_EXCERPT_CHARS * 4 {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    String::from_utf8_lossy(&bytes).chars().take(BODY_EXCERPT_CHARS).collect()
}

fn count(dependency: &'static str, outcome: &'static str) {
    metrics::counter!("outbound_calls_total", "dependency" => dependency, "outcome" => outcome).increment(1);
}

fn gauge(dependency: &'static str, state: CircuitState) {
    metrics::gauge!("outbound_circuit_state", "dependency" => dependency).set(state.gauge_value());
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
