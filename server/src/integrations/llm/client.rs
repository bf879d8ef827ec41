//! The real `LanguageModel`: `POST {base_url}/chat/completions` on any OpenAI-compatible server.
//!
//! Retries: a completion is not idempotent in cost (the provider bills the tokens whether or not we read the
//! answer), so a request is sent again only when it certainly never arrived: the connection could not be made.
//! A timeout, a reset mid-request or a 5xx is returned as `Unavailable` at once, for the caller's fallback.

use std::time::Duration;

use app::platform::integrations::language_model::{
    ChatCompletion, ChatRequest, CompletionFuture, LanguageModel, LlmError,
};
use http::StatusCode;

use super::{LlmSettings, wire};

/// Pause before the one retry after a failed connection.
const CONNECT_RETRY_DELAY: Duration = Duration::from_millis(200);

pub struct LlmClient {
    http: reqwest::Client,
    endpoint: String,
    settings: LlmSettings,
}

impl std::fmt::Debug for LlmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmClient").field("endpoint", &self.endpoint).field("model", &self.settings.model).finish()
    }
}

impl LlmClient {
    pub fn new(settings: LlmSettings) -> Result<Self, LlmError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(5)))
            .build()
            .map_err(|error| LlmError::Unexpected(format!("HTTP client: {error}")))?;
        let endpoint = format!("{}/chat/completions", settings.base_url.trim_end_matches('/'));
        Ok(Self { http, endpoint, settings })
    }

    async fn send(&self, request: ChatRequest) -> Result<ChatCompletion, LlmError> {
        let model = request.model.clone().unwrap_or_else(|| self.settings.model.clone());
        let body = wire::request_body(&request, &self.settings.model);
        let mut retried = false;
        let response = loop {
            let mut builder = self.http.post(&self.endpoint).json(&body);
            if let Some(key) = &self.settings.api_key {
                builder = builder.bearer_auth(key);
            }
            match builder.send().await {
                Ok(response) => break response,
                Err(error) if error.is_connect() && !retried => {
                    retried = true;
                    tracing::debug!(endpoint = %self.endpoint, "language model: connection failed, retrying once");
                    tokio::time::sleep(CONNECT_RETRY_DELAY).await;
                }
                Err(error) => return Err(transport_error(error, self.settings.timeout)),
            }
        };
        let status = response.status();
        let bytes = response.bytes().await.map_err(|error| transport_error(error, self.settings.timeout))?;
        tracing::debug!(endpoint = %self.endpoint, %model, status = status.as_u16(), "language model answered");
        if status.is_success() { wire::parse_response(&bytes, &model) } else { Err(status_error(status, &bytes)) }
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

/// No answer at all: the reason, never the request (it holds the prompt).
fn transport_error(error: reqwest::Error, timeout: Duration) -> LlmError {
    let reason = if error.is_timeout() {
        format!("no answer within {} ms", timeout.as_millis())
    } else if error.is_connect() {
        "could not connect".to_string()
    } else {
        format!("transport: {}", error.without_url())
    };
    LlmError::Unavailable { reason }
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
