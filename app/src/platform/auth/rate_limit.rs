//! Sign-in attempts are limited per client IP and per (tenant, e-mail), with governor's GCRA limiters: the
//! e-mail limit stops guessing one person's password from many addresses, the IP limit stops one address from
//! trying many people. Every attempt counts, successful or not.
//!
//! The limiters live in this process's memory: with several server processes each one counts on its own (the
//! limit per e-mail becomes N × processes). Good enough against guessing; a shared store can replace it later.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use uuid::Uuid;

/// `n` attempts per `window`, refilled evenly over the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    pub per_email: u32,
    pub per_ip: u32,
    pub window: Duration,
}

impl Default for SignInLimits {
    fn default() -> Self {
        Self { per_email: 5, per_ip: 50, window: Duration::from_secs(15 * 60) }
    }
}

#[derive(Debug)]
pub struct SignInLimiter {
    by_email: DefaultKeyedRateLimiter<(Uuid, String)>,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(attempts: u32, window: Duration) -> Quota {
    let attempts = NonZeroU32::new(attempts).unwrap_or(NonZeroU32::MIN);
    let period = (window / attempts.get()).max(Duration::from_millis(1));
    Quota::with_period(period).map_or_else(|| Quota::per_second(attempts), |quota| quota.allow_burst(attempts))
}

impl SignInLimiter {
    pub fn new(limits: SignInLimits) -> Self {
        Self {
            by_email: RateLimiter::keyed(quota(limits.per_email, limits.window)),
            by_ip: RateLimiter::keyed(quota(limits.per_ip, limits.window)),
        }
    }

    /// Counts one attempt; `Err(wait)` when either limit is spent, with how long until the next try is allowed.
    pub fn check(&self, ip: IpAddr, tenant: Uuid, email: &str) -> Result<(), Duration> {
        let clock = governor::clock::DefaultClock::default();
        let by_ip = self.by_ip.check_key(&ip);
        let by_email = self.by_email.check_key(&(tenant, email.to_lowercase()));
        self.forget_idle_keys();
        match (by_ip, by_email) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(not_until), _) | (_, Err(not_until)) => Err(not_until.wait_time_from(clock.now())),
        }
    }

    /// Keeps the key maps from growing without bound under a flood of distinct e-mails or addresses.
    fn forget_idle_keys(&self) {
        if self.by_email.len() > 10_000 || self.by_ip.len() > 10_000 {
            self.by_email.retain_recent();
            self.by_ip.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_on_one_email_waits_but_another_email_does_not() {
        let limiter = SignInLimiter::new(SignInLimits::default());
        let tenant = Uuid::nil();
        let ip = IpAddr::from([127, 0, 0, 1]);
        for _ in 0..5 {
            assert!(limiter.check(ip, tenant, "ana@exemplo.com").is_ok());
        }
        let wait = limiter.check(ip, tenant, "ANA@exemplo.com").expect_err("the sixth attempt is refused");
        assert!(wait > Duration::from_secs(60) && wait <= Duration::from_secs(180), "{wait:?}");
        assert!(limiter.check(ip, tenant, "bia@exemplo.com").is_ok());
        assert!(limiter.check(ip, Uuid::max(), "ana@exemplo.com").is_ok(), "the same e-mail in another tenant");
    }

    #[test]
    fn one_address_trying_many_emails_is_stopped() {
        let limiter = SignInLimiter::new(SignInLimits { per_email: 5, per_ip: 3, window: Duration::from_secs(60) });
        let ip = IpAddr::from([10, 0, 0, 1]);
        for n in 0..3 {
            assert!(limiter.check(ip, Uuid::nil(), &format!("p{n}@x.com")).is_ok());
        }
        assert!(limiter.check(ip, Uuid::nil(), "p9@x.com").is_err());
        assert!(limiter.check(IpAddr::from([10, 0, 0, 2]), Uuid::nil(), "p9@x.com").is_ok());
    }
}
