//! CRM: financing leads on a live Kanban board, round-robin distribution, AI qualification and chat.
//!
//! Wire types (`types`), card positions (`positions`), server functions (`api`) and pages compile for both
//! targets; the lead service other code calls (`leads::create`, `leads::move_lead`, …), the SQL (`store`) and the
//! demo data are server-only.

pub mod api;
pub mod distribution;
pub mod embed;
pub mod pages;
pub mod positions;
pub mod setup;
pub mod table;
pub mod types;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod leads;
#[cfg(feature = "ssr")]
pub mod stages;
#[cfg(feature = "ssr")]
pub mod store;
