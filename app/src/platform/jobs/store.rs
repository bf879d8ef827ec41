//! The tenant's view of its queue (all through `TenantTx`: a tenant sees only its own jobs).

use sqlx::PgConnection;
use uuid::Uuid;

use super::types::{DeadJob, JobsOverview, KindDepth, RetryingJob};

#[derive(sqlx::FromRow)]
struct DepthRow {
    kind: String,
    ready: i64,
    scheduled: i64,
    running: i64,
    retrying: i64,
    dead: i64,
}

#[derive(sqlx::FromRow)]
struct DeadRow {
    id: Uuid,
    kind: String,
    payload: serde_json::Value,
    attempts: i32,
    last_error: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(sqlx::FromRow)]
struct RetryingRow {
    id: Uuid,
    kind: String,
    attempts: i32,
    max_attempts: Option<i32>,
    last_error: Option<String>,
    run_at: chrono::DateTime<chrono::Utc>,
}

pub async fn overview(conn: &mut PgConnection) -> Result<JobsOverview, sqlx::Error> {
    // "Retrying" = back in the queue after a failed attempt (a released job has no error and counts as ready).
    let kinds: Vec<DepthRow> = sqlx::query_as(
        "select kind,
                count(*) filter (where state = 'queued' and last_error is null and run_at <= now()) as ready,
                count(*) filter (where state = 'queued' and last_error is null and run_at > now()) as scheduled,
                count(*) filter (where state = 'running') as running,
                count(*) filter (where state = 'queued' and last_error is not null) as retrying,
                count(*) filter (where state = 'dead') as dead
           from jobs where state in ('queued', 'running', 'dead')
          group by kind order by kind",
    )
    .fetch_all(&mut *conn)
    .await?;
    let retrying: Vec<RetryingRow> = sqlx::query_as(
        "select id, kind, attempts, max_attempts, last_error, run_at from jobs
          where state = 'queued' and last_error is not null order by run_at limit 50",
    )
    .fetch_all(&mut *conn)
    .await?;
    let dead: Vec<DeadRow> = sqlx::query_as(
        "select id, kind, payload, attempts, last_error, created_at, finished_at from jobs
          where state = 'dead' order by finished_at desc nulls last, id desc limit 100",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(JobsOverview {
        kinds: kinds
            .into_iter()
            .map(|row| KindDepth {
                kind: row.kind,
                ready: row.ready,
                scheduled: row.scheduled,
                running: row.running,
                retrying: row.retrying,
                dead: row.dead,
            })
            .collect(),
        retrying: retrying
            .into_iter()
            .map(|row| RetryingJob {
                id: row.id,
                kind: row.kind,
                attempts: row.attempts,
                max_attempts: row.max_attempts.unwrap_or(row.attempts),
                last_error: row.last_error,
                run_at: row.run_at,
            })
            .collect(),
        dead: dead
            .into_iter()
            .map(|row| DeadJob {
                id: row.id,
                kind: row.kind,
                payload: serde_json::to_string_pretty(&row.payload).unwrap_or_else(|_| row.payload.to_string()),
                attempts: row.attempts,
                last_error: row.last_error,
                created_at: row.created_at,
                finished_at: row.finished_at,
            })
            .collect(),
    })
}

/// Puts a dead job back in the queue with its attempts reset; wakes the workers. The kind, when it was dead.
pub async fn retry_dead(conn: &mut PgConnection, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    let kind: Option<String> = sqlx::query_scalar(
        "update jobs set state = 'queued', attempts = 0, run_at = now(), finished_at = null
          where id = $1 and state = 'dead' returning kind",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if kind.is_some() {
        sqlx::query("select pg_notify('atrium_jobs', '')").execute(&mut *conn).await?;
    }
    Ok(kind)
}

/// Drops a dead job for good (kept for a while as `discarded`, then pruned). The kind, when it was dead.
pub async fn discard_dead(conn: &mut PgConnection, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "update jobs set state = 'discarded', finished_at = now() where id = $1 and state = 'dead' returning kind",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Publishes the counts that need someone (retrying, dead) on the tenant's `jobs` topic, in `tx`: the jobs page
/// refetches on it. Chatty sources (the worker) call this at most once a second per tenant.
pub async fn publish_counts(tx: &mut crate::platform::tenancy::TenantTx) -> Result<(), sqlx::Error> {
    use crate::platform::live::{Event, Topic, publish};
    let (retrying, dead): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where state = 'queued' and last_error is not null),
                count(*) filter (where state = 'dead')
           from jobs where state in ('queued', 'dead')",
    )
    .fetch_one(tx.conn())
    .await?;
    publish(tx, Topic::Jobs, &Event::JobCounts { dead, retrying }).await?;
    Ok(())
}
