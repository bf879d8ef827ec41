//! Exponential backoff with jitter: the n-th retry waits around base·2ⁿ⁻¹ (capped), and a random share of it,
//! so many jobs failing together (a dependency down) do not all come back in the same instant.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { base: Duration::from_secs(2), max: Duration::from_secs(30 * 60) }
    }
}

impl Backoff {
    /// The delay before the next try after `attempt` (1-based) failed; `unit` in [0, 1) draws the jitter.
    /// "Equal jitter": half the exponential delay is kept, the other half is random.
    pub fn delay(&self, attempt: i32, unit: f64) -> Duration {
        let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let full = self.base.saturating_mul(2u32.saturating_pow(exponent)).min(self.max);
        let half = full / 2;
        half + half.mul_f64(unit.clamp(0.0, 1.0))
    }

    pub fn next_delay(&self, attempt: i32) -> Duration {
        self.delay(attempt, fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_within_the_jitter_band() {
        let backoff = Backoff { base: Duration::from_secs(2), max: Duration::from_secs(3600) };
        for attempt in 1..=6 {
            let full = Duration::from_secs(2 * 2u64.pow(u32::try_from(attempt - 1).unwrap_or(0)));
            assert_eq!(backoff.delay(attempt, 0.0), full / 2, "attempt {attempt} lowest");
            assert_eq!(backoff.delay(attempt, 1.0), full, "attempt {attempt} highest");
        }
    }

    #[test]
    fn is_capped_and_never_overflows() {
        let backoff = Backoff { base: Duration::from_secs(2), max: Duration::from_secs(60) };
        assert_eq!(backoff.delay(50, 1.0), Duration::from_secs(60));
        assert_eq!(backoff.delay(i32::MAX, 0.0), Duration::from_secs(30));
        assert_eq!(backoff.delay(0, 0.0), Duration::from_secs(1));
    }

    #[test]
    fn jitter_spreads_retries() {
        let backoff = Backoff::default();
        let delays: std::collections::HashSet<_> = (0..20).map(|_| backoff.next_delay(3)).collect();
        assert!(delays.len() > 10, "20 draws gave only {} distinct delays", delays.len());
    }
}
