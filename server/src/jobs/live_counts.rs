//! The jobs page's live counts: attempts that fail, retry or die mark their tenant; at most once a second the
//! worker publishes each marked tenant's counts on its `jobs` topic (one event however many jobs failed meanwhile:
//! every NOTIFY serializes commits database-wide, so a failing burst must not become a burst of notices).

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use app::platform::{jobs::store::publish_counts, tenancy::TenantTx};
use sqlx::PgPool;
use uuid::Uuid;

/// How often, at most, one tenant's counts are published by one worker.
pub const EVERY: Duration = Duration::from_secs(1);

/// Tenants whose counts changed since the last publish.
#[derive(Debug, Clone, Default)]
pub struct CountsChanged(Arc<Mutex<HashSet<Uuid>>>);

impl CountsChanged {
    pub fn mark(&self, tenant: Uuid) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(tenant);
    }

    fn take(&self) -> Vec<Uuid> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).drain().collect()
    }

    /// Publishes the counts of every marked tenant (each in its own transaction). A failure is logged: the page
    /// still has its refresh button, and the next change publishes again.
    pub async fn publish(&self, pool: &PgPool) {
        for tenant in self.take() {
            let published = async {
                let mut tx = TenantTx::begin(pool, tenant).await?;
                publish_counts(&mut tx).await?;
                tx.commit().await
            };
            if let Err(error) = published.await {
                tracing::warn!(%tenant, %error, "could not publish the jobs page's counts");
            }
        }
    }
}
