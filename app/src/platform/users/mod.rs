//! The owner manages the people of their tenant: invite, change role, deactivate and reactivate. Every change is
//! audited in the same transaction.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod invite;
#[cfg(feature = "ssr")]
mod store;

pub use types::{InviteForm, UserSummary};
