//! Sign-in, sign-out, sessions, roles, password change and reset.
//!
//! A session (tower-sessions, stored in PostgreSQL) holds only who signed in, in which tenant, and the user's
//! `session_version` at that moment. Every request re-reads the user through `TenantTx`, so deactivating a
//! person, changing their role or their password takes effect on their very next request.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
mod access;
#[cfg(feature = "ssr")]
mod client_addr;
#[cfg(feature = "ssr")]
pub mod link_mail;
#[cfg(feature = "ssr")]
mod mailer;
#[cfg(feature = "ssr")]
mod password;
#[cfg(feature = "ssr")]
mod rate_limit;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
mod tokens;

#[cfg(feature = "ssr")]
pub use access::{
    Access, RequestViewer, SessionUser, current_viewer_for, page_viewer, require, require_signed_in, signed_in,
    start_session, viewer, viewer_of,
};
#[cfg(feature = "ssr")]
pub use client_addr::{ClientAddr, asks_for_a_page, current_client_addr, is_plain_form_post, redirect_plain_post};
#[cfg(feature = "ssr")]
pub use link_mail::{LinkPurpose, PasswordLinkMail};
#[cfg(feature = "ssr")]
pub use mailer::{LogMailer, Mail, Mailer, MailerError, SendFuture};
#[cfg(feature = "ssr")]
pub use password::{PasswordHasher, PasswordHashing};
#[cfg(feature = "ssr")]
pub use rate_limit::{
    AccessLimits, Attempt, CERTIFICATE_CHECKS_PER_IP_PER_HOUR, ResetLimiter, SignInLimiter, SignInLimits, SignUpLimiter,
};
#[cfg(feature = "ssr")]
pub use tokens::{hash_token, new_token};
pub use types::{Role, Viewer};
