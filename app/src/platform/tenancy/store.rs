//! SQL for tenants. The `tenants` table is readable by anyone (slugs are public) and writable only through its
//! policies: insert at sign-up, update of the current tenant's own row.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::types::{Modules, Plan, TenantPublic, TenantSummary};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TenantRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub plan: String,
    pub enrollment_enabled: bool,
    pub crm_enabled: bool,
    pub finance_enabled: bool,
}

impl TenantRow {
    pub fn summary(self) -> TenantSummary {
        TenantSummary {
            id: self.id,
            plan: Plan::from_code(&self.plan).unwrap_or(Plan::Starter),
            modules: Modules {
                enrollment: self.enrollment_enabled,
                crm: self.crm_enabled,
                finance: self.finance_enabled,
            },
            slug: self.slug,
            name: self.name,
        }
    }

    pub fn public(&self) -> TenantPublic {
        TenantPublic { slug: self.slug.clone(), name: self.name.clone() }
    }
}

pub const TENANT_COLUMNS: &str = "id, slug, name, plan, enrollment_enabled, crm_enabled, finance_enabled";

pub async fn find_by_slug(pool: &PgPool, slug: &str) -> Result<Option<TenantRow>, sqlx::Error> {
    sqlx::query_as(&format!("select {TENANT_COLUMNS} from tenants where slug = $1"))
        .bind(slug.trim().to_lowercase())
        .fetch_optional(pool)
        .await
}

/// The tenant `id` (readable without a tenant transaction, like `find_by_slug`).
pub async fn find_by_id_in(pool: &PgPool, id: Uuid) -> Result<TenantRow, sqlx::Error> {
    sqlx::query_as(&format!("select {TENANT_COLUMNS} from tenants where id = $1")).bind(id).fetch_one(pool).await
}

pub async fn find_by_id(conn: &mut PgConnection, id: Uuid) -> Result<TenantRow, sqlx::Error> {
    sqlx::query_as(&format!("select {TENANT_COLUMNS} from tenants where id = $1")).bind(id).fetch_one(conn).await
}

pub struct NewTenant<'a> {
    pub id: Uuid,
    pub slug: &'a str,
    pub name: &'a str,
    pub plan: Plan,
    pub modules: Modules,
}

pub async fn insert(conn: &mut PgConnection, tenant: &NewTenant<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into tenants (id, slug, name, plan, enrollment_enabled, crm_enabled, finance_enabled)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant.id)
    .bind(tenant.slug)
    .bind(tenant.name)
    .bind(tenant.plan.code())
    .bind(tenant.modules.enrollment)
    .bind(tenant.modules.crm)
    .bind(tenant.modules.finance)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Switches modules of the current tenant (RLS lets an update touch only the row of `app.tenant_id`).
pub async fn set_modules(conn: &mut PgConnection, tenant_id: Uuid, modules: Modules) -> Result<bool, sqlx::Error> {
    let updated =
        sqlx::query("update tenants set enrollment_enabled = $2, crm_enabled = $3, finance_enabled = $4 where id = $1")
            .bind(tenant_id)
            .bind(modules.enrollment)
            .bind(modules.crm)
            .bind(modules.finance)
            .execute(conn)
            .await?;
    Ok(updated.rows_affected() == 1)
}
