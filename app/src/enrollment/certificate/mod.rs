//! The comprovante de matrícula: a printable page for an enrolled student, with a verification code anyone can
//! check at `/:tenant/verificar` (and staff can reissue).
//!
//! Codes are stored in plain text, unique per tenant: the student reopens and reprints the comprovante at any time,
//! so the code must be shown again, and it guards nothing secret (a verifier sees only name, course, term and
//! date, what the holder chose to show). Guessing is what the 50 random bits and the per-address limit stop.

pub mod api;
pub mod pages;
pub mod staff;
pub mod types;

#[cfg(feature = "ssr")]
pub mod code;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
