//! What the server hands to every render and server function: the database pool, the services behind sign-in,
//! the request id and the language of the request.

use std::sync::Arc;

use leptos::prelude::*;
use sqlx::PgPool;

use super::AppError;
use super::auth::{AccessLimits, Mailer, PasswordHasher};
use super::directory::Directory;
use super::files::FileStorage;
use super::integrations::{
    language_model::LanguageModel,
    messenger::Messenger,
    payment_gateway::{PaymentGateway, PaymentSimulator},
};
use crate::i18n::Locale;

/// Server-only state provided into the Leptos context for each request.
#[derive(Clone)]
pub struct ServerContext {
    /// Connects as the runtime role: not the owner, not superuser, no BYPASSRLS.
    pub pool: PgPool,
    pub passwords: PasswordHasher,
    /// Rate limits on sign-in, password-reset requests and organization sign-up.
    pub limits: Arc<AccessLimits>,
    pub mailer: Arc<dyn Mailer>,
    /// The origin links in e-mails point to: `ATRIUM_PUBLIC_URL`, or the address the server listens on. Never the
    /// request's `Host` header, which a client chooses (a forged one would send reset links to another site).
    pub public_url: String,
    /// Asaas (or its in-process fake): charges, PIX, reconciliation.
    pub payments: Arc<dyn PaymentGateway>,
    /// Only when payments go to the fake: lets the development page mark charges paid, overdue or refunded.
    pub payment_simulator: Option<Arc<dyn PaymentSimulator>>,
    /// Z-API WhatsApp (or its fake).
    pub messenger: Arc<dyn Messenger>,
    /// The OpenAI-compatible model (or its fake).
    pub language_model: Arc<dyn LanguageModel>,
    /// Tenants and people kept in memory, forgotten on every change (the server's bus keeps it honest).
    pub directory: Directory,
    /// How long a session may go unwritten while in use: sessions slide (an active person stays signed in), but the
    /// session row is written at most this often, not on every request. One hour.
    pub session_refresh: std::time::Duration,
    /// Where uploads (enrollment documents…) are kept: the server's file store.
    pub files: Arc<dyn FileStorage>,
}

/// Sessions end after this long without use (the cookie's lifetime and the session row's).
pub const SESSION_IDLE_LIMIT: std::time::Duration = std::time::Duration::from_secs(12 * 60 * 60);

/// The default of `ServerContext::session_refresh`.
pub const SESSION_REFRESH: std::time::Duration = std::time::Duration::from_secs(60 * 60);

impl std::fmt::Debug for ServerContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerContext").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}

/// The id the request-id middleware gave this request (also sent back as `x-request-id`).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| AppError::unexpected("server context", "missing ServerContext"))
}

/// The current request's id, or `-` outside a request.
pub fn request_id() -> String {
    use_context::<RequestId>().map_or_else(|| "-".to_string(), |id| id.0)
}

/// The language the person chose (the `atrium_lang` cookie), pt-BR by default.
pub fn request_locale() -> Locale {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            let cookies = parts.headers.get_all(http::header::COOKIE);
            cookies
                .iter()
                .filter_map(|value| value.to_str().ok())
                .map(Locale::from_cookie_header)
                .find(|l| *l != Locale::PtBr)
        })
        .unwrap_or_default()
}
