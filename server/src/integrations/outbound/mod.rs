//! One way to call outside HTTP services: a reqwest client with connect and total timeouts and our User-Agent,
//! retries only where a repeat cannot do harm (`Idempotency::Safe`), a circuit breaker per dependency that fails
//! fast while the service is down, and metrics for each call (`outbound_calls_total`,
//! `outbound_call_duration_seconds`, `outbound_circuit_state`).
//!
//! Build one `OutboundClient` per dependency and share it (it is cheap to clone): the breaker lives in the client,
//! so two clients for the same dependency would each keep their own view of its health.

mod breaker;
mod client;
mod error;
mod retry;
mod settings;

pub use breaker::{BreakerSettings, CircuitState};
pub use client::{Idempotency, OutboundClient};
pub use error::OutboundError;
pub use settings::{OutboundSettings, RetrySettings};
