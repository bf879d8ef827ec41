//! The real `LanguageModel`: `POST {base_url}/chat/completions` on any OpenAI-compatible server, through the
//! shared `OutboundClient` (dependency `llm`: timeouts, a circuit breaker, metrics).
//!
//! Retries: a completion is not idempotent in cost (the provider bills the tokens whether or not we read the
//! answer), so calls go out as `Idempotency::Unsafe` and are sent again only when they certainly never arrived:
//! the connection could not be made, once. A timeout, a reset mid-request, a 5xx or 429 is `Unavailable` at
//! once, for the caller's fallback; enough of them open the breaker, and while it is open calls fail fast
//! without reaching the provider.

use std::time::Duration;

use app::platform::integrations::language_model::{
    ChatCompletion, ChatRequest, CompletionFuture, LanguageModel, LlmError,
};
use http::StatusCode;

use super::{LlmSettings, wire};
use crate::integrations::outbound::{
    BreakerSettings, CircuitState, Idempotency, OutboundClient, OutboundError, OutboundSettings, RetrySettings,
};

/// The name of this dependency in metrics, logs and errors.
pub const DEPENDENCY: &str = "llm";

/// Pause before the one retry after a failed connection.
const CONNECT_RETRY_DELAY: Duration = Duration::from_millis(200);

pub struct LlmClient {
    outbound: OutboundClient,
    endpoint: String,
    settings: LlmSettings,
}

impl std::fmt::Debug for LlmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmClient").field("endpoint", &self.endpoint).field("model", &self.settings.model).finish()
    }
}

impl LlmClient {
    /// With the outbound kit's default breaker (opens after 5 failures in 30 s, probes again after 30 s).
    pub fn new(settings: LlmSettings) -> Result<Self, LlmError> {
        Self::with_breaker(settings, BreakerSettings::default())
    }

    pub fn with_breaker(settings: LlmSettings, breaker: BreakerSettings) -> Result<Self, LlmError> {
        let outbound = OutboundClient::new(
            DEPENDENCY,
            OutboundSettings {
                connect_timeout: settings.timeout.min(Duration::from_secs(5)),
                timeout: settings.timeout,
                // The kit retries only `Safe` calls; ours are `Unsafe`. One attempt per `send`.
                retry: RetrySettings { max_attempts: 1, ..RetrySettings::default() },
                breaker,
            },
        )
        .map_err(|error| LlmError::Unexpected(error.to_string()))?;
        let endpoint = format!("{}/chat/completions", settings.base_url.trim_end_matches('/'));
        Ok(Self { outbound, endpoint, settings })
    }

    /// False while the breaker is open: a caller can take its fallback without trying.
    pub fn is_available(&self) -> bool {
        self.outbound.is_available()
    }

    pub fn circuit_state(&self) -> CircuitState {
        self.outbound.circuit_state()
    }

    async fn send(&self, request: ChatRequest) -> Result<ChatCompletion, LlmError> {
        let model = request.model.clone().unwrap_or_else(|| self.settings.model.clone());
        let body = wire::request_body(&request, &self.settings.model);
        let mut retried = false;
        let response = loop {
            let mut builder = self.outbound.post(&self.endpoint).json(&body);
            if let Some(key) = &self.settings.api_key {
                builder = builder.bearer_auth(key);
            }
            match self.outbound.send(builder, Idempotency::Unsafe).await {
                Ok(response) => break response,
                Err(OutboundError::Connect { .. }) if !retried => {
                    retried = true;
                    tracing::debug!(endpoint = %self.endpoint, "language model: connection failed, retrying once");
                    tokio::time::sleep(CONNECT_RETRY_DELAY).await;
                }
                Err(error) => return Err(outbound_error(error, self.settings.timeout)),
            }
        };
        let bytes = response.bytes().await.map_err(|error| LlmError::Unavailable {
            reason: format!("reading the answer: {}", error.without_url()),
        })?;
        tracing::debug!(endpoint = %self.endpoint, %model, bytes = bytes.len(), "language model answered");
        wire::parse_response(&bytes, &model)
    }
}

impl LanguageModel for LlmClient {
    fn complete(&self, request: ChatRequest) -> CompletionFuture<'_> {
        Box::pin(self.send(request))
    }

    fn default_model(&self) -> &str {
        &self.settings.model
    }
}

/// No completion: the reason, never the request (it holds the prompt) nor the URL.
fn outbound_error(error: OutboundError, timeout: Duration) -> LlmError {
    match error {
        OutboundError::Status { status, body_excerpt, .. } => status_error(status, body_excerpt.as_bytes()),
        OutboundError::Timeout { .. } => {
            LlmError::Unavailable { reason: format!("no answer within {} ms", timeout.as_millis()) }
        }
        other => LlmError::Unavailable { reason: other.to_string() },
    }
}

/// An HTTP error answer. Overload and rate limits (5xx, 429, 408) are "try later"; other 4xx mean the request
/// itself is wrong (bad key, unknown model) and will not get better by waiting.
fn status_error(status: StatusCode, body: &[u8]) -> LlmError {
    let message = format!("HTTP {}: {}", status.as_u16(), wire::error_message(body));
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::REQUEST_TIMEOUT {
        LlmError::Unavailable { reason: message }
    } else {
        LlmError::Rejected { message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_split_into_try_later_and_fix_the_request() {
        let body = br#"{"error":{"message":"Rate limit reached"}}"#;
        assert_eq!(
            status_error(StatusCode::TOO_MANY_REQUESTS, body),
            LlmError::Unavailable { reason: "HTTP 429: Rate limit reached".into() }
        );
        assert!(matches!(status_error(StatusCode::BAD_GATEWAY, b""), LlmError::Unavailable { .. }));
        assert_eq!(
            status_error(StatusCode::UNAUTHORIZED, br#"{"error":{"message":"Invalid API key"}}"#),
            LlmError::Rejected { message: "HTTP 401: Invalid API key".into() }
        );
    }
}
