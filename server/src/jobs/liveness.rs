//! Proof that a worker lives: a session-level advisory lock on its id, held on a connection of its own (outside
//! the pool) for as long as the worker runs. PostgreSQL drops the lock the moment that session ends — a killed
//! process, a lost machine — so a rescuer that can take the lock knows the worker is gone and gives its jobs back
//! at once (`jobs_rescue_abandoned` in the migrations), instead of waiting for their leases to run out.

use std::time::Duration;

use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

/// How long a check of the lock's connection may take before it counts as lost.
const PING_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) struct Liveness {
    worker_id: Uuid,
    held: Option<PgConnection>,
}

impl Liveness {
    pub(super) fn new(worker_id: Uuid) -> Self {
        Self { worker_id, held: None }
    }

    /// True while the lock is held. Takes it again when it was lost (the worker claims nothing meanwhile: a job it
    /// claimed without the lock could be rescued under its feet).
    pub(super) async fn ensure(&mut self, pool: &PgPool) -> bool {
        if self.held.is_some() {
            return true;
        }
        match self.acquire(pool).await {
            Ok(connection) => {
                self.held = Some(connection);
                true
            }
            Err(error) => {
                tracing::warn!(worker_id = %self.worker_id, %error, "cannot hold the worker's liveness lock; not claiming");
                false
            }
        }
    }

    /// Checks that the lock's session is still there; when it is not, the lock is gone (and other workers may
    /// already have rescued this worker's jobs, whose attempts are then refused by their claim fence).
    pub(super) async fn check(&mut self) {
        let Some(connection) = self.held.as_mut() else { return };
        let alive = matches!(tokio::time::timeout(PING_TIMEOUT, connection.ping()).await, Ok(Ok(())));
        if !alive {
            tracing::warn!(worker_id = %self.worker_id, "lost the worker's liveness lock; taking it again");
            self.held = None;
        }
    }

    /// Gives the lock up (a clean stop, after the worker released its unfinished jobs).
    pub(super) async fn release(&mut self) {
        if let Some(connection) = self.held.take() {
            let _ = connection.close().await;
        }
    }

    async fn acquire(&self, pool: &PgPool) -> Result<PgConnection, sqlx::Error> {
        let mut connection = PgConnection::connect_with(&pool.connect_options()).await?;
        sqlx::query("select pg_advisory_lock(jobs_worker_lock_key($1))")
            .bind(self.worker_id)
            .execute(&mut connection)
            .await?;
        Ok(connection)
    }
}
