//! The audit log: an append-only record of who changed what in a tenant (the database refuses updates and
//! deletes). Written in the same transaction as the change it describes, so one never exists without the other.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub(crate) mod store;

#[cfg(feature = "ssr")]
pub use store::{record, record_many};
pub use types::AuditEntry;
