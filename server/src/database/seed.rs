//! Demo data for a fresh database, so `make run` opens onto something to sign in to: two institutions with
//! different modules on, one person per role in each, all with the same demo password.

use app::platform::{
    auth::{PasswordHasher, PasswordHashing, Role, store as accounts},
    files::FileStorage,
    tenancy::{Modules, Plan, TenantTx, store as tenants},
};
use sqlx::PgPool;

pub struct DemoTenant {
    pub slug: &'static str,
    pub name: &'static str,
    pub plan: Plan,
    pub modules: Modules,
    /// (role, name, e-mail)
    pub people: [(Role, &'static str, &'static str); 4],
}

/// Printed by `make run`; also what the browser tests sign in with.
pub const DEMO_PASSWORD: &str = "atrium-demo-2026";

pub const DEMO_TENANTS: [DemoTenant; 2] = [
    DemoTenant {
        slug: "famath",
        name: "Faculdade Famath",
        plan: Plan::Professional,
        modules: Modules { enrollment: true, crm: true, finance: true },
        people: [
            (Role::Owner, "Ana Beatriz Souza", "dona@famath.example"),
            (Role::Staff, "Carlos Lima", "secretaria@famath.example"),
            (Role::Consultant, "Marina Costa", "consultora@famath.example"),
            (Role::Student, "João Pedro Alves", "joao@famath.example"),
        ],
    },
    DemoTenant {
        slug: "credvale",
        name: "CredVale Financiamentos",
        plan: Plan::Starter,
        modules: Modules { enrollment: false, crm: true, finance: true },
        people: [
            (Role::Owner, "Roberto Vale", "dono@credvale.example"),
            (Role::Staff, "Patrícia Nunes", "financeiro@credvale.example"),
            (Role::Consultant, "Diego Ramos", "consultor@credvale.example"),
            (Role::Student, "Larissa Melo", "larissa@credvale.example"),
        ],
    },
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{0}")]
    Database(#[from] sqlx::Error),
    #[error("hashing the demo password: {0}")]
    Password(String),
    #[error("the demo's file store: {0}")]
    Files(String),
}

/// Seeds the demo data if the database holds no tenant yet, its documents kept where the default configuration
/// keeps files (as the test server does); returns whether it seeded.
pub async fn seed_if_empty(pool: &PgPool) -> Result<bool, SeedError> {
    let config = crate::config::Config::from_lookup(|_| None).map_err(|error| SeedError::Files(error.to_string()))?;
    seed_if_empty_with(pool, &crate::files::FileStore::from_config(&config)).await
}

/// Seeds the demo data if the database holds no tenant yet, its documents kept in `files`; returns whether it
/// seeded.
pub async fn seed_if_empty_with(pool: &PgPool, files: &dyn FileStorage) -> Result<bool, SeedError> {
    // Two servers starting together must not both seed: the advisory lock is held by this connection until the
    // end of the seeding.
    let mut lock = pool.acquire().await?;
    sqlx::query("select pg_advisory_lock(hashtext('atrium-demo-seed'))").execute(&mut *lock).await?;
    let seeded = seed_unlocked(pool, files).await;
    sqlx::query("select pg_advisory_unlock(hashtext('atrium-demo-seed'))").execute(&mut *lock).await?;
    seeded
}

async fn seed_unlocked(pool: &PgPool, files: &dyn FileStorage) -> Result<bool, SeedError> {
    let tenants_present: i64 = sqlx::query_scalar("select count(*) from tenants").fetch_one(pool).await?;
    if tenants_present > 0 {
        return Ok(false);
    }
    let hash = PasswordHasher::new(PasswordHashing::default())
        .hash(DEMO_PASSWORD.to_string())
        .await
        .map_err(|error| SeedError::Password(error.to_string()))?;
    for demo in &DEMO_TENANTS {
        let id = uuid::Uuid::now_v7();
        let mut tx = TenantTx::begin(pool, id).await?;
        let tenant =
            tenants::NewTenant { id, slug: demo.slug, name: demo.name, plan: demo.plan, modules: demo.modules };
        tenants::insert(tx.conn(), &tenant).await?;
        for (role, name, email) in demo.people {
            let account = accounts::NewAccount { name, email, role, password_hash: Some(&hash) };
            accounts::insert(tx.conn(), id, &account).await?;
        }
        app::enrollment::demo::seed(&mut tx, files).await?;
        app::enrollment::dashboard::demo::seed(&mut tx).await?;
        app::finance::demo::seed(&mut tx, demo.slug).await?;
        app::crm::demo::seed(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(true)
}
