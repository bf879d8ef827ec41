//! Atrium, the product: every page, component, server function and wire type, plus the ssr-only domain code
//! and SQL behind `#[cfg(feature = "ssr")]`. Compiled twice: for the server (`ssr`) and the browser (`hydrate`).
#![recursion_limit = "256"]

pub mod crm;
pub mod enrollment;
pub mod finance;
pub mod i18n;
mod lazy_page;
pub mod platform;
pub mod routes;
pub mod shell;
pub mod ui;

pub use shell::{App, shell};
