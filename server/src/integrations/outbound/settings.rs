//! Knobs of an outbound client. The defaults suit a request/response API answering in well under a second; a slow
//! dependency (the LLM) raises `timeout`.

use std::time::Duration;

use super::breaker::BreakerSettings;

#[derive(Debug, Clone)]
pub struct OutboundSettings {
    /// Time to open the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Time for the whole call, reading the body included. One attempt, not the sum of retries.
    pub timeout: Duration,
    pub retry: RetrySettings,
    pub breaker: BreakerSettings,
}

impl Default for OutboundSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            timeout: Duration::from_secs(10),
            retry: RetrySettings::default(),
            breaker: BreakerSettings::default(),
        }
    }
}

/// Retries of idempotent calls: capped exponential backoff with jitter, few attempts (a caller waiting on a page
/// should hear "try later" quickly; the job queue retries on a longer scale).
#[derive(Debug, Clone)]
pub struct RetrySettings {
    /// Attempts in all, the first included. 1 disables retries.
    pub max_attempts: u32,
    /// Delay before the first retry; doubles on each further retry, up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A `Retry-After` up to this long is honoured; a longer one ends the retries (the caller tries later).
    pub max_retry_after: Duration,
}

impl Default for RetrySettings {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(5),
        }
    }
}
