//! Sessions in PostgreSQL (tower-sessions + its sqlx store, table `sessions` from our migrations), read through
//! each process's memory (`memory.rs`). The cookie is HttpOnly, SameSite=Lax, Secure behind HTTPS, and ends after
//! 12 hours without use (sliding: see `idle_limit`).

mod memory;

use std::time::Duration;

use sqlx::PgPool;
use tower_sessions::{
    ExpiredDeletion, Expiry, SessionManagerLayer, SessionStore,
    cookie::SameSite,
    session::{Id, Record},
    session_store,
};
use tower_sessions_sqlx_store::PostgresStore;

pub use memory::SessionMemory;

pub const COOKIE_NAME: &str = "atrium_session";

pub fn store(pool: PgPool) -> PostgresStore {
    // Both names are valid identifiers, so the builder cannot fail; fall back to the defaults just in case.
    let store = PostgresStore::new(pool);
    store.clone().with_schema_name("public").and_then(|store| store.with_table_name("sessions")).unwrap_or(store)
}

/// The session store requests use: PostgreSQL, read through this process's memory.
#[derive(Debug, Clone)]
pub struct RememberedSessions {
    table: PostgresStore,
    memory: SessionMemory,
}

impl RememberedSessions {
    pub fn new(pool: PgPool, memory: SessionMemory) -> Self {
        Self { table: store(pool), memory }
    }
}

#[async_trait::async_trait]
impl SessionStore for RememberedSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.table.create(record).await?;
        self.memory.wrote(record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        // Forget first: if the write fails, the old record must not outlive it here.
        self.memory.forget(&record.id);
        self.table.save(record).await?;
        self.memory.wrote(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self.memory.lookup(id) {
            memory::Lookup::Found(record) => Ok(Some(record)),
            memory::Lookup::Missing { epoch } => {
                let record = self.table.load(id).await?;
                if let Some(record) = &record {
                    self.memory.keep(epoch, record);
                }
                Ok(record)
            }
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.memory.forget(id);
        self.table.delete(id).await
    }
}

pub fn layer(store: RememberedSessions, secure: bool) -> SessionManagerLayer<RememberedSessions> {
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
