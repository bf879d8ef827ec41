//! Enrollment: courses, classes, enrollment periods, applications, document review and payments.
//!
//! `applications::transition` is the one state machine every caller (pages, jobs, webhooks, the WhatsApp agent)
//! moves applications through; `seats` keeps classes from being oversold.

pub mod api;
pub mod certificate;
pub mod components;
pub mod dashboard;
pub mod document_types;
pub mod links;
pub mod pages;
pub mod payments;
pub mod review_types;
pub mod status_types;
pub mod types;
pub mod wizard_types;

#[cfg(feature = "ssr")]
pub mod applications;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
mod demo_files;
#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod seats;
#[cfg(feature = "ssr")]
pub mod status;
#[cfg(feature = "ssr")]
pub(crate) mod store;
#[cfg(feature = "ssr")]
pub mod students;
#[cfg(feature = "ssr")]
pub mod wizard;
