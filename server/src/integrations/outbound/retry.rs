//! When to try an idempotent call again: capped exponential backoff with jitter, or the server's own
//! `Retry-After` when it asks for a short pause.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::settings::RetrySettings;

/// The pause before retry number `retry` (1 for the first retry): `base · 2^(retry-1)`, capped at `max_delay`, then
/// "equal jitter" (half fixed, half random) so clients that failed together do not retry together.
pub(crate) fn backoff(settings: &RetrySettings, retry: u32) -> Duration {
    let exponent = retry.saturating_sub(1).min(16);
    let full = settings.base_delay.saturating_mul(1 << exponent).min(settings.max_delay);
    let half = full / 2;
    let jitter_ms = fastrand::u64(0..=u64::try_from(half.as_millis()).unwrap_or(u64::MAX));
    half + Duration::from_millis(jitter_ms)
}

/// `Retry-After` in seconds (the HTTP-date form is rare from APIs and ignored: plain backoff applies).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The pause before the next attempt, or `None` when the server asked for longer than we are willing to wait.
pub(crate) fn delay(settings: &RetrySettings, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
    match retry_after {
        Some(wait) if wait <= settings.max_retry_after => Some(wait),
        Some(_) => None,
        None => Some(backoff(settings, retry)),
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn settings() -> RetrySettings {
        RetrySettings {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(3),
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for _ in 0..50 {
            let first = backoff(&settings(), 1);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first), "{first:?}");
            let second = backoff(&settings(), 2);
            assert!((Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second), "{second:?}");
            let late = backoff(&settings(), 30);
            assert!((Duration::from_millis(250)..=Duration::from_millis(500)).contains(&late), "{late:?}");
        }
    }

    #[test]
    fn a_short_retry_after_is_honoured_and_a_long_one_stops_retrying() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(delay(&settings(), 1, retry_after(&headers)), Some(Duration::from_secs(2)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(delay(&settings(), 1, retry_after(&headers)), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&headers), None);
    }
}
