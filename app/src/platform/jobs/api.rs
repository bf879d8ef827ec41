//! Server functions of the jobs page: owners and staff see their tenant's queue and act on dead jobs (audited).

use leptos::prelude::*;
use uuid::Uuid;

use super::types::JobsOverview;
use crate::platform::AppError;
#[cfg(feature = "ssr")]
use crate::platform::auth::Role;

#[server(endpoint = "jobs/overview")]
pub async fn load_jobs_overview() -> Result<JobsOverview, AppError> {
    let mut access = crate::platform::auth::require(Role::BACKOFFICE).await?;
    let overview = super::store::overview(access.tx.conn()).await?;
    access.tx.commit().await?;
    Ok(overview)
}

/// Gives a dead job a fresh set of attempts.
#[server(endpoint = "jobs/retry")]
pub async fn retry_dead_job(job_id: Uuid) -> Result<(), AppError> {
    let mut access = crate::platform::auth::require(Role::BACKOFFICE).await?;
    let kind = super::store::retry_dead(access.tx.conn(), job_id).await?.ok_or(AppError::NotFound)?;
    super::store::publish_counts(&mut access.tx).await?;
    let details = serde_json::json!({ "kind": kind });
    crate::platform::audit::record(
        &mut access.tx,
        Some(access.viewer.user_id),
        "job.retried",
        &job_id.to_string(),
        details,
    )
    .await?;
    access.tx.commit().await?;
    Ok(())
}

/// Drops a dead job: its work will not be done.
#[server(endpoint = "jobs/discard")]
pub async fn discard_dead_job(job_id: Uuid) -> Result<(), AppError> {
    let mut access = crate::platform::auth::require(Role::BACKOFFICE).await?;
    let kind = super::store::discard_dead(access.tx.conn(), job_id).await?.ok_or(AppError::NotFound)?;
    super::store::publish_counts(&mut access.tx).await?;
    let details = serde_json::json!({ "kind": kind });
    crate::platform::audit::record(
        &mut access.tx,
        Some(access.viewer.user_id),
        "job.discarded",
        &job_id.to_string(),
        details,
    )
    .await?;
    access.tx.commit().await?;
    Ok(())
}
