//! Rate limits on the doors strangers can knock on.
//!
//! - Sign-in counts **failed** attempts, per client address and per (tenant, e-mail): the e-mail limit stops
//!   guessing one person's password from many addresses, the address limit stops one address from trying many
//!   people. A right password does not count, so a person who mistyped four times still gets in on the fifth;
//!   once the limit is spent, even the right password waits until the window has passed. An attempt reserves its
//!   place before the password is checked and only a success gives it back, so a burst of parallel guesses cannot
//!   slip past the limit while their hashes are being computed. Governor's GCRA cannot give an attempt back, hence
//!   the small sliding window below.
//! - Password-reset requests and organization sign-ups have limiters of their own (governor, every request
//!   counts): nobody can lock a person out of signing in by asking for resets in their name.
//!
//! The limiters live in this process's memory: with several server processes each one counts on its own (the
//! limit per e-mail becomes N × processes). Good enough against guessing; a shared store can replace it later.

use std::{
    collections::{HashMap, VecDeque},
    hash::Hash,
    net::IpAddr,
    num::NonZeroU32,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use uuid::Uuid;

use super::ClientAddr;

/// Keys kept before idle ones are forgotten (a flood of distinct e-mails or addresses must not grow memory).
const MAX_KEYS: usize = 10_000;

/// Failed sign-ins allowed per `window`.
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

/// Failures of one key in the window, plus attempts still being checked.
#[derive(Debug, Default)]
struct Window {
    failures: VecDeque<Instant>,
    pending: u32,
}

/// Counts failures per key in a sliding window; see the module comment.
#[derive(Debug)]
struct FailureWindow<K> {
    limit: u32,
    window: Duration,
    keys: Mutex<HashMap<K, Window>>,
}

impl<K: Hash + Eq + Clone> FailureWindow<K> {
    fn new(limit: u32, window: Duration) -> Self {
        Self { limit: limit.max(1), window, keys: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Window>> {
        // A panic while holding this lock cannot leave the counts inconsistent in a way that matters.
        self.keys.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Err(wait)` when the key's failures (and attempts in flight) fill the window.
    fn check(&self, keys: &mut HashMap<K, Window>, key: &K, now: Instant) -> Result<(), Duration> {
        let Some(entry) = keys.get_mut(key) else { return Ok(()) };
        while entry.failures.front().is_some_and(|at| now.duration_since(*at) >= self.window) {
            entry.failures.pop_front();
        }
        let used = entry.failures.len() + entry.pending as usize;
        if used < self.limit as usize {
            return Ok(());
        }
        // Full with attempts still in flight only: they resolve within seconds.
        let wait = entry.failures.front().map_or(Duration::from_secs(1), |oldest| {
            self.window.saturating_sub(now.duration_since(*oldest)).max(Duration::from_secs(1))
        });
        Err(wait)
    }

    fn reserve(keys: &mut HashMap<K, Window>, key: K) {
        keys.entry(key).or_default().pending += 1;
    }

    fn settle(&self, key: &K, failed: bool, now: Instant) {
        let mut keys = self.lock();
        if let Some(entry) = keys.get_mut(key) {
            entry.pending = entry.pending.saturating_sub(1);
            if failed {
                entry.failures.push_back(now);
            }
            if entry.pending == 0 && entry.failures.is_empty() {
                keys.remove(key);
            }
        }
        if keys.len() > MAX_KEYS {
            keys.retain(|_, entry| {
                entry.pending > 0 || entry.failures.back().is_some_and(|at| now.duration_since(*at) < self.window)
            });
        }
    }
}

#[derive(Debug)]
struct SignInWindows {
    by_email: FailureWindow<(Uuid, String)>,
    by_ip: FailureWindow<IpAddr>,
}

/// The sign-in limiter. `begin` reserves an attempt; the returned `Attempt` must be settled with `succeeded` or
/// `failed` (dropping it unsettled counts as a failure: an attempt that errored half-way is not free).
#[derive(Debug, Clone)]
pub struct SignInLimiter(Arc<SignInWindows>);

impl SignInLimiter {
    pub fn new(limits: SignInLimits) -> Self {
        Self(Arc::new(SignInWindows {
            by_email: FailureWindow::new(limits.per_email, limits.window),
            by_ip: FailureWindow::new(limits.per_ip, limits.window),
        }))
    }

    /// Reserves one attempt for `client` on (`tenant`, `email`); `Err(wait)` when either limit is spent, with how
    /// long until the next try is allowed.
    pub fn begin(&self, client: ClientAddr, tenant: Uuid, email: &str) -> Result<Attempt, Duration> {
        let now = Instant::now();
        let email_key = (tenant, email.to_lowercase());
        let ip_key = client.rate_key();
        // One lock order (e-mails, then addresses) everywhere.
        let mut emails = self.0.by_email.lock();
        let mut ips = self.0.by_ip.lock();
        let by_ip = self.0.by_ip.check(&mut ips, &ip_key, now);
        let by_email = self.0.by_email.check(&mut emails, &email_key, now);
        match (by_ip, by_email) {
            (Ok(()), Ok(())) => {
                FailureWindow::reserve(&mut emails, email_key.clone());
                FailureWindow::reserve(&mut ips, ip_key);
                Ok(Attempt { limiter: self.clone(), email_key, ip_key, settled: false })
            }
            (Err(a), Err(b)) => Err(a.max(b)),
            (Err(wait), Ok(())) | (Ok(()), Err(wait)) => Err(wait),
        }
    }

    fn settle(&self, attempt: &Attempt, failed: bool) {
        let now = Instant::now();
        self.0.by_email.settle(&attempt.email_key, failed, now);
        self.0.by_ip.settle(&attempt.ip_key, failed, now);
    }
}

/// One sign-in attempt holding its place in the limits until it is settled.
#[derive(Debug)]
pub struct Attempt {
    limiter: SignInLimiter,
    email_key: (Uuid, String),
    ip_key: IpAddr,
    settled: bool,
}

impl Attempt {
    /// The right password: the attempt does not count.
    pub fn succeeded(mut self) {
        self.settled = true;
        self.limiter.settle(&self, false);
    }

    /// A wrong password or an unknown e-mail: the attempt counts for the window.
    pub fn failed(mut self) {
        self.settled = true;
        self.limiter.settle(&self, true);
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if !self.settled {
            self.limiter.settle(self, true);
        }
    }
}

/// `n` requests per `window`, refilled evenly over the window (governor's GCRA).
fn quota(requests: u32, window: Duration) -> Quota {
    let requests = NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN);
    let period = (window / requests.get()).max(Duration::from_millis(1));
    Quota::with_period(period).map_or_else(|| Quota::per_second(requests), |quota| quota.allow_burst(requests))
}

fn spent<K: Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>, key: &K) -> Result<(), Duration> {
    let clock = governor::clock::DefaultClock::default();
    let outcome = limiter.check_key(key).map_err(|not_until| not_until.wait_time_from(clock.now()));
    if limiter.len() > MAX_KEYS {
        limiter.retain_recent();
    }
    outcome
}

/// Password-reset requests: per address and per (tenant, e-mail), every request counts. Apart from the sign-in
/// limiter on purpose (see the module comment).
#[derive(Debug)]
pub struct ResetLimiter {
    by_email: DefaultKeyedRateLimiter<(Uuid, String)>,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
}

impl ResetLimiter {
    pub fn new(per_email: u32, per_ip: u32, window: Duration) -> Self {
        Self {
            by_email: RateLimiter::keyed(quota(per_email, window)),
            by_ip: RateLimiter::keyed(quota(per_ip, window)),
        }
    }

    pub fn check(&self, client: ClientAddr, tenant: Uuid, email: &str) -> Result<(), Duration> {
        spent(&self.by_ip, &client.rate_key())?;
        spent(&self.by_email, &(tenant, email.to_lowercase()))
    }
}

impl Default for ResetLimiter {
    /// 3 links per e-mail and 20 requests per address per 15 minutes.
    fn default() -> Self {
        Self::new(3, 20, Duration::from_secs(15 * 60))
    }
}

/// Organization sign-ups per client address (each one creates a tenant and costs a password hash).
#[derive(Debug)]
pub struct SignUpLimiter(DefaultKeyedRateLimiter<IpAddr>);

impl SignUpLimiter {
    pub fn new(per_ip: u32, window: Duration) -> Self {
        Self(RateLimiter::keyed(quota(per_ip, window)))
    }

    pub fn check(&self, client: ClientAddr) -> Result<(), Duration> {
        spent(&self.0, &client.rate_key())
    }
}

/// Every limiter of the sign-in doors, as the server functions reach them.
#[derive(Debug)]
pub struct AccessLimits {
    pub sign_in: SignInLimiter,
    pub resets: ResetLimiter,
    pub sign_ups: SignUpLimiter,
    /// Student sign-ups (enrollment) per address: more than organizations, a school's network is shared.
    pub student_sign_ups: SignUpLimiter,
    /// E-mail verification links sent again ("reenviar"), counted like reset requests.
    pub verification_mails: ResetLimiter,
    /// The CRM's public form (`/:tenant/simular`) per address: each one writes a lead and wakes every board.
    pub public_leads: SignUpLimiter,
    /// The public check of comprovante codes (`/:tenant/verificar`) per address: it stops guessing codes.
    pub certificate_checks: SignUpLimiter,
}

/// Comprovante codes checked per client address per hour.
pub const CERTIFICATE_CHECKS_PER_IP_PER_HOUR: u32 = 30;

/// Leads from the public form allowed per client address per hour.
pub const PUBLIC_LEADS_PER_IP_PER_HOUR: u32 = 10;

/// Student sign-ups allowed per client address per hour.
pub const STUDENT_SIGN_UPS_PER_IP_PER_HOUR: u32 = 20;

impl AccessLimits {
    pub fn new(sign_in: SignInLimits, sign_ups_per_ip_per_hour: u32) -> Self {
        Self {
            sign_in: SignInLimiter::new(sign_in),
            resets: ResetLimiter::default(),
            sign_ups: SignUpLimiter::new(sign_ups_per_ip_per_hour, Duration::from_secs(60 * 60)),
            student_sign_ups: SignUpLimiter::new(STUDENT_SIGN_UPS_PER_IP_PER_HOUR, Duration::from_secs(60 * 60)),
            verification_mails: ResetLimiter::default(),
            public_leads: SignUpLimiter::new(PUBLIC_LEADS_PER_IP_PER_HOUR, Duration::from_secs(60 * 60)),
            certificate_checks: SignUpLimiter::new(CERTIFICATE_CHECKS_PER_IP_PER_HOUR, Duration::from_secs(60 * 60)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(ip: [u8; 4]) -> ClientAddr {
        ClientAddr(IpAddr::from(ip))
    }

    #[test]
    fn five_failures_on_one_email_lock_it_for_the_window_but_not_another_email() {
        let limiter = SignInLimiter::new(SignInLimits::default());
        let (tenant, ip) = (Uuid::nil(), client([127, 0, 0, 1]));
        for _ in 0..5 {
            limiter.begin(ip, tenant, "ana@exemplo.com").expect("under the limit").failed();
        }
        let wait = limiter.begin(ip, tenant, "ANA@exemplo.com").expect_err("the sixth attempt is refused");
        assert!(wait > Duration::from_secs(14 * 60) && wait <= Duration::from_secs(15 * 60), "{wait:?}");
        assert!(limiter.begin(ip, tenant, "bia@exemplo.com").is_ok());
        assert!(limiter.begin(ip, Uuid::max(), "ana@exemplo.com").is_ok(), "the same e-mail in another tenant");
    }

    #[test]
    fn successes_do_not_count_and_a_right_password_after_four_failures_gets_in() {
        let limiter = SignInLimiter::new(SignInLimits { per_email: 5, per_ip: 5, window: Duration::from_secs(60) });
        let (tenant, ip) = (Uuid::nil(), client([10, 0, 0, 1]));
        for _ in 0..20 {
            limiter.begin(ip, tenant, "ana@x.com").expect("successes never count").succeeded();
        }
        for _ in 0..4 {
            limiter.begin(ip, tenant, "ana@x.com").expect("under the limit").failed();
        }
        limiter.begin(ip, tenant, "ana@x.com").expect("the fifth try is allowed").succeeded();
        limiter.begin(ip, tenant, "ana@x.com").expect("still four failures").failed();
        assert!(limiter.begin(ip, tenant, "ana@x.com").is_err(), "five failures: even the right password waits");
    }

    #[test]
    fn attempts_in_flight_hold_their_place_so_a_parallel_burst_cannot_pass_the_limit() {
        let limiter = SignInLimiter::new(SignInLimits { per_email: 3, per_ip: 100, window: Duration::from_secs(60) });
        let ip = client([10, 0, 0, 1]);
        let in_flight: Vec<Attempt> =
            (0..3).map(|_| limiter.begin(ip, Uuid::nil(), "ana@x.com").expect("under the limit")).collect();
        assert!(limiter.begin(ip, Uuid::nil(), "ana@x.com").is_err(), "three still being checked fill the limit");
        drop(in_flight);
        assert!(limiter.begin(ip, Uuid::nil(), "ana@x.com").is_err(), "unsettled attempts count as failures");
    }

    #[test]
    fn one_address_failing_on_many_emails_is_stopped() {
        let limiter = SignInLimiter::new(SignInLimits { per_email: 5, per_ip: 3, window: Duration::from_secs(60) });
        let ip = client([10, 0, 0, 1]);
        for n in 0..3 {
            limiter.begin(ip, Uuid::nil(), &format!("p{n}@x.com")).expect("under the limit").failed();
        }
        assert!(limiter.begin(ip, Uuid::nil(), "p9@x.com").is_err());
        assert!(limiter.begin(client([10, 0, 0, 2]), Uuid::nil(), "p9@x.com").is_ok());
    }

    #[test]
    fn reset_requests_count_apart_from_sign_in() {
        let resets = ResetLimiter::new(3, 100, Duration::from_secs(60));
        let sign_in = SignInLimiter::new(SignInLimits::default());
        let ip = client([10, 0, 0, 1]);
        for _ in 0..3 {
            assert!(resets.check(ip, Uuid::nil(), "ana@x.com").is_ok());
        }
        assert!(resets.check(ip, Uuid::nil(), "ana@x.com").is_err());
        assert!(sign_in.begin(ip, Uuid::nil(), "ana@x.com").is_ok());
    }
}
