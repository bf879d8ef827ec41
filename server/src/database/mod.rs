//! Connecting to PostgreSQL: the private cluster or a configured one, migrations as the owner, the runtime pool.

pub mod embedded;
pub mod roles;
pub mod seed;

use std::time::Duration;

use sqlx::{
    PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::config::{Config, DatabaseConfig};
pub use embedded::{Durability, EmbeddedPostgres};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error(transparent)]
    Embedded(#[from] embedded::EmbeddedError),
    #[error("{context}: {source}")]
    Sql { context: &'static str, source: sqlx::Error },
    #[error("migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    UnsafeRole(String),
    #[error("background task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
}

fn sql(context: &'static str) -> impl FnOnce(sqlx::Error) -> DatabaseError {
    move |source| DatabaseError::Sql { context, source }
}

/// A ready database: migrated, runtime pool open, and the private cluster to stop at shutdown, if any.
#[derive(Debug)]
pub struct Database {
    pub pool: PgPool,
    pub cluster: Option<EmbeddedPostgres>,
}

impl Database {
    /// Starts (or reaches) PostgreSQL, runs the migrations as the owner and opens the runtime pool.
    pub async fn prepare(config: &Config) -> Result<Self, DatabaseError> {
        let (cluster, app_url, owner_url, max_connections) = match &config.database {
            DatabaseConfig::External { app_url, owner_url, max_connections } => {
                (None, app_url.clone(), owner_url.clone(), *max_connections)
            }
            DatabaseConfig::Embedded => {
                let home = config.home.clone();
                let cluster = tokio::task::spawn_blocking(move || {
                    let cluster = EmbeddedPostgres::open(&home, Durability::Durable)?;
                    cluster.start()?;
                    Ok::<_, embedded::EmbeddedError>(cluster)
                })
                .await??;
                if let Err(error) = cluster.bootstrap(embedded::DATABASE).await {
                    stop_quietly(cluster).await;
                    return Err(DatabaseError::Sql { context: "creating the database roles", source: error });
                }
                let (app_url, owner_url) = (cluster.app_url(embedded::DATABASE), cluster.owner_url(embedded::DATABASE));
                (Some(cluster), app_url, owner_url, 10)
            }
        };
        match connect_and_migrate(&app_url, &owner_url, max_connections).await {
            Ok(pool) => Ok(Self { pool, cluster }),
            Err(error) => {
                if let Some(cluster) = cluster {
                    stop_quietly(cluster).await;
                }
                Err(error)
            }
        }
    }

    /// Closes the pool and stops the private cluster, if this process runs one.
    pub async fn shutdown(self) {
        self.pool.close().await;
        if let Some(cluster) = self.cluster {
            stop_quietly(cluster).await;
        }
    }
}

async fn stop_quietly(cluster: EmbeddedPostgres) {
    match tokio::task::spawn_blocking(move || cluster.stop()).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::error!(%error, "could not stop the private PostgreSQL cluster"),
        Err(error) => tracing::error!(%error, "could not stop the private PostgreSQL cluster"),
    }
}

async fn connect_and_migrate(app_url: &str, owner_url: &str, max_connections: u32) -> Result<PgPool, DatabaseError> {
    migrate(owner_url).await?;
    let pool = runtime_pool(app_url, max_connections).await?;
    roles::check_runtime_role(&pool).await.map_err(DatabaseError::UnsafeRole)?;
    Ok(pool)
}

/// Runs pending migrations as the owner role, then disconnects.
pub async fn migrate(owner_url: &str) -> Result<(), DatabaseError> {
    let owner = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect(owner_url)
        .await
        .map_err(sql("connecting as the owner role (DATABASE_OWNER_URL)"))?;
    let result = MIGRATOR.run(&owner).await;
    owner.close().await;
    Ok(result?)
}

/// A pooled connection idle longer than this is pinged before a request uses it.
const PING_IDLE_AFTER: Duration = Duration::from_secs(1);

/// The pool every request uses: the runtime role, short acquire timeout so overload fails fast.
pub async fn runtime_pool(app_url: &str, max_connections: u32) -> Result<PgPool, DatabaseError> {
    let options: PgConnectOptions = app_url.parse().map_err(sql("reading DATABASE_URL"))?;
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings a connection at every checkout by default, and again when it comes back: two more round trips
        // for each. The ping on return stays (sqlx always does it); a connection back within the last second was
        // proved alive then, so only one idle for longer is pinged before use.
        .test_before_acquire(false)
        .before_acquire(|connection, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_IDLE_AFTER {
                    sqlx::Connection::ping(connection).await?;
                }
                Ok(true)
            })
        })
        .connect_with(options.application_name("atrium"))
        .await
        .map_err(sql("connecting as the runtime role (DATABASE_URL)"))
}
