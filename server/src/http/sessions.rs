//! Sessions in PostgreSQL (tower-sessions + its sqlx store, table `sessions` from our migrations). The cookie is
//! HttpOnly, SameSite=Lax, Secure behind HTTPS, and ends after 12 hours without use
//! (sliding: see `idle_limit`).

use std::time::Duration;

use sqlx::PgPool;
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer, cookie::SameSite};
use tower_sessions_sqlx_store::PostgresStore;

pub const COOKIE_NAME: &str = "atrium_session";

pub fn store(pool: PgPool) -> PostgresStore {
    // Both names are valid identifiers, so the builder cannot fail; fall back to the defaults just in case.
    let store = PostgresStore::new(pool);
    store.clone().with_schema_name("public").and_then(|store| store.with_table_name("sessions")).unwrap_or(store)
}

pub fn layer(store: PostgresStore, secure: bool) -> SessionManagerLayer<PostgresStore> {
    SessionManagerLayer::new(store)
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(idle_limit()))
}

/// `SESSION_IDLE_LIMIT`. A session is written (and so extended) only when it changes; `platform::auth` touches it
/// at most hourly while the person is active, so it ends 11 to 12 hours after the last use.
fn idle_limit() -> time::Duration {
    let limit = app::platform::context::SESSION_IDLE_LIMIT;
    time::Duration::seconds(i64::try_from(limit.as_secs()).unwrap_or(i64::MAX))
}

/// Deletes expired sessions every ten minutes, for as long as the server runs.
pub fn spawn_cleanup(store: PostgresStore) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "could not delete expired sessions");
            }
        }
    })
}
