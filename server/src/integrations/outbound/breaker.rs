//! A circuit breaker per dependency: closed → open after `failure_threshold` failures within `window` → half-open
//! after `cooldown` (one probe call at a time) → closed when the probe succeeds, open again when it fails.
//!
//! Written here rather than taken from a crate: `failsafe` (the usual choice) lets every call through while half
//! open instead of one probe, has no way to read the current state (only event callbacks), and keeps its own clock,
//! so tests would have to sleep. This one is ~150 lines, reads time from `tokio::time` (tests run with
//! `tokio::time::pause()`) and reports its state for the `outbound_circuit_state` gauge.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use tokio::time::Instant;

#[derive(Debug, Clone)]
pub struct BreakerSettings {
    /// Failures within `window` that open the breaker.
    pub failure_threshold: u32,
    pub window: Duration,
    /// How long an open breaker rejects calls before letting one probe through.
    pub cooldown: Duration,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        Self { failure_threshold: 5, window: Duration::from_secs(30), cooldown: Duration::from_secs(30) }
    }
}

/// The state as the metrics see it: 0 closed, 1 half-open, 2 open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircuitState {
    Closed,
    HalfOpen,
    Open,
}

impl CircuitState {
    pub fn gauge_value(self) -> f64 {
        match self {
            Self::Closed => 0.0,
            Self::HalfOpen => 1.0,
            Self::Open => 2.0,
        }
    }
}

#[derive(Debug)]
enum State {
    /// Times of the recent failures, oldest first.
    Closed {
        failures: VecDeque<Instant>,
    },
    Open {
        until: Instant,
    },
    HalfOpen {
        probing: bool,
    },
}

/// Shared by every clone of one client.
#[derive(Debug, Clone)]
pub(crate) struct Breaker {
    settings: BreakerSettings,
    state: Arc<Mutex<State>>,
    /// Called with the new state on every transition (sets the gauge).
    on_change: fn(&'static str, CircuitState),
    dependency: &'static str,
}

/// Permission for one call. A probe permit that is dropped without an outcome (the caller's future was cancelled)
/// frees the probe slot, so a cancelled probe cannot keep the breaker half-open forever.
#[derive(Debug)]
pub(crate) struct Permit {
    breaker: Breaker,
    probe: bool,
    done: bool,
}

impl Breaker {
    pub(crate) fn new(
        dependency: &'static str,
        settings: BreakerSettings,
        on_change: fn(&'static str, CircuitState),
    ) -> Self {
        on_change(dependency, CircuitState::Closed);
        Self {
            settings,
            state: Arc::new(Mutex::new(State::Closed { failures: VecDeque::new() })),
            on_change,
            dependency,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is valid after any panic (each update is one assignment), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, state: &mut State, next: State) {
        *state = next;
        (self.on_change)(self.dependency, view(state));
    }

    /// Asks to make a call now: `None` while open (or while another probe is out).
    pub(crate) fn try_acquire(&self) -> Option<Permit> {
        let mut state = self.lock();
        let probe = match &mut *state {
            State::Closed { .. } => false,
            State::Open { until } if Instant::now() < *until => return None,
            State::Open { .. } => {
                self.set(&mut state, State::HalfOpen { probing: true });
                true
            }
            State::HalfOpen { probing: true } => return None,
            State::HalfOpen { probing } => {
                *probing = true;
                true
            }
        };
        Some(Permit { breaker: self.clone(), probe, done: false })
    }

    /// Whether a call made now would be let through.
    pub(crate) fn is_available(&self) -> bool {
        match &*self.lock() {
            State::Closed { .. } | State::HalfOpen { probing: false } => true,
            State::Open { until } => Instant::now() >= *until,
            State::HalfOpen { probing: true } => false,
        }
    }

    pub(crate) fn state(&self) -> CircuitState {
        view(&self.lock())
    }

    fn record(&self, probe: bool, success: bool) {
        let mut state = self.lock();
        let now = Instant::now();
        match &mut *state {
            State::HalfOpen { .. } if probe && success => {
                self.set(&mut state, State::Closed { failures: VecDeque::new() });
            }
            State::HalfOpen { .. } if probe => {
                self.set(&mut state, State::Open { until: now + self.settings.cooldown });
            }
            State::Closed { failures } if !success => {
                failures.push_back(now);
                while failures.front().is_some_and(|at| now.duration_since(*at) > self.settings.window) {
                    failures.pop_front();
                }
                if failures.len() >= self.settings.failure_threshold as usize {
                    self.set(&mut state, State::Open { until: now + self.settings.cooldown });
                }
            }
            // Successes while closed, and late outcomes of calls started before the breaker opened, change nothing.
            _ => {}
        }
    }

    fn release_probe(&self) {
        if let State::HalfOpen { probing } = &mut *self.lock() {
            *probing = false;
        }
    }
}

fn view(state: &State) -> CircuitState {
    match state {
        State::Closed { .. } => CircuitState::Closed,
        State::Open { .. } => CircuitState::Open,
        State::HalfOpen { .. } => CircuitState::HalfOpen,
    }
}

impl Permit {
    /// The dependency answered (a 2xx, or a 4xx: it is up, our input was wrong).
    pub(crate) fn success(mut self) {
        self.done = true;
        self.breaker.record(self.probe, true);
    }

    /// The dependency failed: connect error, timeout, 5xx or 429.
    pub(crate) fn failure(mut self) {
        self.done = true;
        self.breaker.record(self.probe, false);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.probe && !self.done {
            self.breaker.release_probe();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> Breaker {
        Breaker::new(
            "test",
            BreakerSettings { failure_threshold: 3, window: Duration::from_secs(10), cooldown: Duration::from_secs(5) },
            |_, _| {},
        )
    }

    fn fail(breaker: &Breaker, times: usize) {
        for _ in 0..times {
            breaker.try_acquire().expect("permitted").failure();
        }
    }

    #[tokio::test(start_paused = true)]
    async fn opens_after_the_threshold_of_failures_and_rejects_until_the_cooldown() {
        let breaker = breaker();
        fail(&breaker, 2);
        assert_eq!(breaker.state(), CircuitState::Closed);
        fail(&breaker, 1);
        assert_eq!(breaker.state(), CircuitState::Open);
        assert!(breaker.try_acquire().is_none());
        assert!(!breaker.is_available());
        tokio::time::advance(Duration::from_secs(4)).await;
        assert!(breaker.try_acquire().is_none());
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(breaker.is_available());
    }

    #[tokio::test(start_paused = true)]
    async fn failures_outside_the_window_do_not_count() {
        let breaker = breaker();
        fail(&breaker, 2);
        tokio::time::advance(Duration::from_secs(11)).await;
        fail(&breaker, 2);
        assert_eq!(breaker.state(), CircuitState::Closed);
        fail(&breaker, 1);
        assert_eq!(breaker.state(), CircuitState::Open);
    }

    #[tokio::test(start_paused = true)]
    async fn half_open_lets_one_probe_through_and_closes_on_its_success() {
        let breaker = breaker();
        fail(&breaker, 3);
        tokio::time::advance(Duration::from_secs(5)).await;
        let probe = breaker.try_acquire().expect("the probe");
        assert_eq!(breaker.state(), CircuitState::HalfOpen);
        assert!(breaker.try_acquire().is_none(), "one probe at a time");
        probe.success();
        assert_eq!(breaker.state(), CircuitState::Closed);
        // The failure count starts over.
        fail(&breaker, 2);
        assert_eq!(breaker.state(), CircuitState::Closed);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_probe_opens_the_breaker_for_another_cooldown() {
        let breaker = breaker();
        fail(&breaker, 3);
        tokio::time::advance(Duration::from_secs(5)).await;
        breaker.try_acquire().expect("the probe").failure();
        assert_eq!(breaker.state(), CircuitState::Open);
        tokio::time::advance(Duration::from_secs(4)).await;
        assert!(breaker.try_acquire().is_none());
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(breaker.try_acquire().is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_probe_frees_the_slot() {
        let breaker = breaker();
        fail(&breaker, 3);
        tokio::time::advance(Duration::from_secs(5)).await;
        drop(breaker.try_acquire().expect("the probe"));
        assert_eq!(breaker.state(), CircuitState::HalfOpen);
        assert!(breaker.try_acquire().is_some(), "another probe may go");
    }

    #[tokio::test(start_paused = true)]
    async fn late_outcomes_of_calls_started_while_closed_do_not_move_an_open_breaker() {
        let breaker = breaker();
        let slow = breaker.try_acquire().expect("permitted");
        fail(&breaker, 3);
        slow.success();
        assert_eq!(breaker.state(), CircuitState::Open);
    }

    #[tokio::test(start_paused = true)]
    async fn transitions_are_reported() {
        static SEEN: Mutex<Vec<CircuitState>> = Mutex::new(Vec::new());
        let breaker = Breaker::new(
            "reported",
            BreakerSettings { failure_threshold: 1, window: Duration::from_secs(1), cooldown: Duration::from_secs(1) },
            |_, state| SEEN.lock().expect("seen").push(state),
        );
        fail(&breaker, 1);
        tokio::time::advance(Duration::from_secs(1)).await;
        breaker.try_acquire().expect("probe").success();
        assert_eq!(
            *SEEN.lock().expect("seen"),
            [CircuitState::Closed, CircuitState::Open, CircuitState::HalfOpen, CircuitState::Closed]
        );
    }
}
