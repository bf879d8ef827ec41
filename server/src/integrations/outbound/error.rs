//! What can go wrong calling a dependency. Messages never carry URLs (Z-API puts its token in the path) nor
//! request headers (API keys); a response body appears only as a short excerpt.

use reqwest::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    /// The circuit breaker is open: the dependency failed recently and was not called. Try again later.
    #[error("{dependency} is unavailable (circuit open)")]
    Unavailable { dependency: &'static str },
    #[error("{dependency} did not answer in time")]
    Timeout { dependency: &'static str },
    #[error("could not connect to {dependency}: {message}")]
    Connect { dependency: &'static str, message: String },
    /// A non-2xx answer. `body_excerpt` is the start of the body (providers explain 4xx there).
    #[error("{dependency} answered {status}: {body_excerpt}")]
    Status { dependency: &'static str, status: StatusCode, body_excerpt: String },
    /// We refused to connect: the host resolves only to addresses we never call (a guarded client's resolver).
    #[error("refused to connect to {dependency}: {reason}")]
    Refused { dependency: &'static str, reason: &'static str },
    /// Anything else between us and the answer: a request that could not be built, a connection dropped mid-way.
    #[error("calling {dependency} failed: {message}")]
    Transport { dependency: &'static str, message: String },
}

impl OutboundError {
    /// Whether the dependency is (probably) down or overloaded rather than refusing this request: the caller may
    /// retry later. A 4xx other than 429 is not transient: the same request would be refused again.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unavailable { .. } | Self::Timeout { .. } | Self::Connect { .. } | Self::Transport { .. } => true,
            Self::Refused { .. } => false,
            Self::Status { status, .. } => counts_as_failure(*status),
        }
    }

    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Answers that mean the dependency is in trouble (they count against the breaker and may be retried).
pub(crate) fn counts_as_failure(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS
}
