//! The only way to a transaction in which tenant-owned rows are visible.
//!
//! Row-level security policies compare each row's `tenant_id` with the setting `app.tenant_id`. `TenantTx`
//! sets it with `set_config(..., true)`: transaction-local, so when the transaction ends the setting is gone
//! and the pooled connection goes back clean; nothing can leak to the next request that borrows it.

use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug)]
pub struct TenantTx {
    tx: Transaction<'static, Postgres>,
    tenant_id: Uuid,
}

impl TenantTx {
    /// Begins a transaction scoped to `tenant_id`. Callers resolve the tenant first (from the session, a
    /// sign-in page's slug, a webhook's secret path) and must never take it from unchecked input.
    ///
    /// One round trip: `BEGIN` and the setting travel as one simple query. The id is written into the statement,
    /// which is safe only because a `Uuid` prints as hex digits and dashes, nothing else.
    pub async fn begin(pool: &PgPool, tenant_id: Uuid) -> Result<Self, sqlx::Error> {
        let tx = pool.begin_with(format!("begin; select set_config('app.tenant_id', '{tenant_id}', true)")).await?;
        Ok(Self { tx, tenant_id })
    }

    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    /// The connection to run queries on: `.execute(tx.conn())`.
    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}
