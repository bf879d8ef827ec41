//! Tenants: each institution or business on Atrium, its plan and the modules it has on, organization sign-up,
//! and `TenantTx`, the only way to reach tenant-owned rows.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
mod tenant_tx;

#[cfg(feature = "ssr")]
pub use tenant_tx::TenantTx;
pub use types::{Module, Modules, Plan, TenantSummary};
