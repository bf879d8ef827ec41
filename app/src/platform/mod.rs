//! Cross-cutting product code: the wire error type, money, system status, request context, the home page.
//! Auth, sessions, tenants, roles, audit and plans join this module as they are built.

pub mod error;
pub mod fields;
pub mod money;
pub mod pages;
pub mod status;

#[cfg(feature = "ssr")]
pub mod context;

pub use error::AppError;
pub use money::{Currency, Money};
