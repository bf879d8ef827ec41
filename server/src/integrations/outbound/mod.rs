//! One way to call outside HTTP services: a reqwest client with connect and total timeouts and our User-Agent,
//! retries only where a repeat cannot do harm (`Idempotency::Safe`), a circuit breaker per dependency that fails
//! fast while the service is down, and metrics for each call (`outbound_calls_total`,
//! `outbound_call_duration_seconds`, `outbound_circuit_state`).
//!
//! Build one `OutboundClient` per dependency and share it (it is cheap to clone): the breaker lives in the client,
//! so two clients for the same dependency would each keep their own view of its health.
//!
//! A URL that came from outside (a webhook's media link) is fetched only through `guard::GuardedClient`.

mod breaker;
mod client;
mod error;
pub mod guard;
mod retry;
mod settings;

pub use breaker::{BreakerSettings, CircuitState};
pub use client::{Idempotency, OutboundClient};
pub use error::OutboundError;
pub use guard::{AllowedHost, FetchError, FetchPolicy, GuardedClient, Origin};
pub use settings::{OutboundSettings, RetrySettings};
