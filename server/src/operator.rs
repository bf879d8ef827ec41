//! Commands for the people who run Atrium, not for tenants: `server set-plan <slug> <plan>`. Until billing exists,
//! a plan changes only here. Each change is audited in the tenant's log with no person as actor and
//! `"by": "operator"` in its details; running servers hear of it through the directory's change notice.

use app::platform::{
    audit,
    tenancy::{Plan, TenantTx, store},
};
use sqlx::PgPool;

use crate::{
    config::{Config, DatabaseConfig},
    database::{self, Database},
};

/// What `set-plan` did, for the operator's terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    pub slug: String,
    pub from: Plan,
    pub to: Plan,
}

impl std::fmt::Display for PlanChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.from == self.to {
            write!(f, "{} is already on the {} plan; nothing changed", self.slug, self.to.code())
        } else {
            write!(f, "{}: plan {} -> {} (audited)", self.slug, self.from.code(), self.to.code())
        }
    }
}

/// Reads a plan's code, or says which ones exist.
pub fn parse_plan(code: &str) -> Result<Plan, String> {
    Plan::from_code(code.trim()).ok_or_else(|| {
        let known: Vec<&str> = Plan::ALL.into_iter().map(Plan::code).collect();
        format!("unknown plan '{code}': expected one of {}", known.join(", "))
    })
}

/// Moves the tenant `slug` to `plan`, audited in the same transaction. Lowering a plan below what a tenant already
/// uses deletes nothing: the limits refuse only what would be added next.
pub async fn set_plan(pool: &PgPool, slug: &str, plan: Plan) -> Result<PlanChange, String> {
    let tenant = store::find_by_slug(pool, slug)
        .await
        .map_err(|error| error.to_string())?
        .ok_or_else(|| format!("no tenant with the address '{slug}' (the slug in /{slug}/entrar)"))?;
    let from = Plan::from_code(&tenant.plan).unwrap_or(Plan::Starter);
    let change = PlanChange { slug: tenant.slug.clone(), from, to: plan };
    if from == plan {
        return Ok(change);
    }
    let mut tx = TenantTx::begin(pool, tenant.id).await.map_err(|error| error.to_string())?;
    sqlx::query("update tenants set plan = $2 where id = $1")
        .bind(tenant.id)
        .bind(plan.code())
        .execute(tx.conn())
        .await
        .map_err(|error| error.to_string())?;
    let details = serde_json::json!({ "from": from.code(), "to": plan.code(), "by": "operator" });
    audit::record(&mut tx, None, "tenant.plan_changed", &tenant.slug, details)
        .await
        .map_err(|error| error.to_string())?;
    tx.commit().await.map_err(|error| error.to_string())?;
    Ok(change)
}

/// `server set-plan <slug> <plan>`: reaches the configured database (or the private cluster, leaving it running if
/// a server was using it), changes the plan and prints what it did.
pub async fn set_plan_command(config: &Config, slug: &str, plan: &str) -> Result<PlanChange, String> {
    let plan = parse_plan(plan)?;
    let cluster_was_running = match &config.database {
        DatabaseConfig::External { .. } => true,
        DatabaseConfig::Embedded => {
            let home = config.home.clone();
            tokio::task::spawn_blocking(move || {
                database::EmbeddedPostgres::open(&home, database::Durability::Durable)
                    .map(|cluster| cluster.is_running())
            })
            .await
            .map_err(|error| error.to_string())?
            .map_err(|error| error.to_string())?
        }
    };
    let database = Database::prepare(config).await.map_err(|error| error.to_string())?;
    let result = set_plan(&database.pool, slug, plan).await;
    if cluster_was_running {
        database.pool.close().await;
    } else {
        database.shutdown().await;
    }
    result
}
