//! System status: a cheap round trip through the server and the database, shown on the home page.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// What the status check reports (wire type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    /// e.g. "PostgreSQL 15.18".
    pub database: String,
    pub institutions: i64,
    pub round_trip_ms: u64,
    pub checked_at: DateTime<Utc>,
}

#[server(endpoint = "platform/status")]
pub async fn check_status() -> Result<StatusReport, AppError> {
    let context = super::context::server_context()?;
    let started = std::time::Instant::now();
    let probe = store::probe(&context.pool).await.map_err(|error| AppError::unexpected("status probe", error))?;
    Ok(StatusReport {
        database: probe.database,
        institutions: probe.institutions,
        round_trip_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        checked_at: Utc::now(),
    })
}

#[cfg(feature = "ssr")]
mod store {
    use sqlx::PgPool;

    #[derive(sqlx::FromRow)]
    pub struct ProbeRow {
        pub database: String,
        pub institutions: i64,
    }

    pub async fn probe(pool: &PgPool) -> Result<ProbeRow, sqlx::Error> {
        sqlx::query_as::<_, ProbeRow>(
            "select 'PostgreSQL ' || split_part(current_setting('server_version'), ' ', 1) as database,
                    (select count(*) from tenants) as institutions",
        )
        .fetch_one(pool)
        .await
    }
}
