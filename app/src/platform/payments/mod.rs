//! Payments as the provider (Asaas) reports them: a status type with the lifecycle the provider's charges follow,
//! a pure state machine that decides whether an incoming status may move a payment (`decide`), and, ssr-only, the
//! service that applies provider events to the `payments` table inside a `TenantTx` with an append-only history.
//!
//! Webhook intake and the reconciliation job (in `server/`) both go through `apply_event`, so a status reaches a
//! payment through one door, whatever order the provider's events arrive in and however often.

mod lifecycle;
pub mod simulator;
mod status;

#[cfg(feature = "ssr")]
mod lookup;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
mod totals;

pub use lifecycle::{Decision, IgnoreReason, decide, may_move};
pub use status::PaymentStatus;

#[cfg(feature = "ssr")]
pub use lookup::{ChargeFacts, charge_facts, open_by_reference_prefix};
#[cfg(feature = "ssr")]
pub use service::{AppliedOutcome, ChargeSnapshot, EventSource, PaymentEvent, apply_event};
#[cfg(feature = "ssr")]
pub use totals::{ReferenceTotals, totals_by_reference_prefix};
