//! Round-robin distribution: every new lead goes to the next eligible consultant in the tenant's rotation, or
//! waits in a queue until one can take it; the consultant hears of it at once (a toast and a badge on the board).
//!
//! - [`rotation`] (server only): [`rotation::assign_new`] for a lead that just arrived (called by
//!   `leads::create`), [`rotation::drain_queue`] when someone may have become able to take waiting leads.
//! - [`eligibility`] (server only): who may get a lead now, and what counts as an open lead.
//! - [`notify`] (server only): telling the consultant (live now; the hook for e-mail and WhatsApp later).
//! - [`settings`] (server only): availability and capacity, read and written.
//! - [`api`], [`types`]: the board's toggle and badge, and the consultants page (`/:tenant/crm/consultores`).
//!
//! One rotation per tenant, across both pipelines: a consultant works both products, and their capacity counts
//! their open leads wherever they are.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod eligibility;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod rotation;
#[cfg(feature = "ssr")]
pub mod settings;

#[cfg(feature = "ssr")]
pub use rotation::{Assignment, Reason, assign_new, drain_queue};
