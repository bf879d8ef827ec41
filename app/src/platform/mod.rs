//! Cross-cutting product code: tenants, accounts and sessions, roles, the audit log, the language model budget
//! and ledger (`ai`), typed form fields, the wire error type, money, and the public and account
//! pages.

pub mod audit;
pub mod auth;
pub mod error;
pub mod fields;
pub mod form_echo;
pub mod integrations;
pub mod jobs;
pub mod layout;
pub mod live;
pub mod money;
pub mod pages;
pub mod payments;
pub mod plan_usage;
pub mod plans;
pub mod tenancy;
pub mod users;

#[cfg(feature = "ssr")]
pub mod ai;
#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod directory;
#[cfg(feature = "ssr")]
pub mod files;

pub use error::AppError;
pub use money::{Currency, Money};
