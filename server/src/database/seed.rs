//! Demo data for a fresh database, so `make run` opens onto something to look at.

use sqlx::PgPool;

/// The demo institutions: (slug, name).
pub const DEMO_TENANTS: [(&str, &str); 2] = [("famath", "Faculdade Famath"), ("credvale", "CredVale Financiamentos")];

/// Seeds the demo data if the database holds no tenant yet; returns whether it seeded.
pub async fn seed_if_empty(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Two servers starting together must not both seed.
    sqlx::query("select pg_advisory_xact_lock(hashtext('atrium-demo-seed'))").execute(&mut *tx).await?;
    let tenants: i64 = sqlx::query_scalar("select count(*) from tenants").fetch_one(&mut *tx).await?;
    if tenants > 0 {
        return Ok(false);
    }
    for (slug, name) in DEMO_TENANTS {
        sqlx::query("insert into tenants (id, slug, name) values ($1, $2, $3)")
            .bind(uuid::Uuid::now_v7())
            .bind(slug)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}
