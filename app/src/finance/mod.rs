//! Finance: accounts, categories, transactions, transfers and their monthly rollups (part 1, the ledger); DRE,
//! forecast and statement import build on it.
//!
//! Wire types (`types`), form parsing (`fields`), server functions (`api`) and pages compile for both targets; the
//! SQL (`store`), the ledger service other modules call (`ledger::record`), rollups, access and demo data are
//! server-only.

pub mod api;
pub mod cards;
pub mod dre_api;
pub mod dre_types;
pub mod fields;
pub mod forecast_api;
pub mod forecast_types;
pub mod pages;
pub mod recurring_api;
pub mod recurring_types;
pub mod summary;
pub mod types;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod dre;
#[cfg(feature = "ssr")]
pub mod forecast;
#[cfg(feature = "ssr")]
pub mod holidays;
#[cfg(feature = "ssr")]
pub mod ledger;
#[cfg(feature = "ssr")]
pub mod recurring;
#[cfg(feature = "ssr")]
pub mod rollups;
#[cfg(feature = "ssr")]
pub mod sourced;
#[cfg(feature = "ssr")]
pub mod store;
