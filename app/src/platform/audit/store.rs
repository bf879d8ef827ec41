use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::types::AuditEntry;
use crate::platform::tenancy::TenantTx;

/// Appends an entry in the caller's transaction. `action` is a stable dotted code (`user.role_changed`),
/// `subject` what it was done to (an e-mail, an id).
pub async fn record(
    tx: &mut TenantTx,
    actor: Option<Uuid>,
    action: &str,
    subject: &str,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query("insert into audit_log (tenant_id, actor_id, action, subject, details) values ($1, $2, $3, $4, $5)")
        .bind(tenant_id)
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(details)
        .execute(tx.conn())
        .await
        .map(|_| ())
}

/// Many entries of one action by one actor in one statement: (subject, details) each (a batch of 1,000 bookings
/// costs one insert, not 1,000).
pub async fn record_many(
    tx: &mut TenantTx,
    actor: Option<Uuid>,
    action: &str,
    entries: Vec<(String, serde_json::Value)>,
) -> Result<(), sqlx::Error> {
    if entries.is_empty() {
        return Ok(());
    }
    let tenant_id = tx.tenant_id();
    let (subjects, details): (Vec<String>, Vec<serde_json::Value>) = entries.into_iter().unzip();
    sqlx::query(
        "insert into audit_log (tenant_id, actor_id, action, subject, details)
         select $1, $2, $3, e.subject, e.details from unnest($4::text[], $5::jsonb[]) e(subject, details)",
    )
    .bind(tenant_id)
    .bind(actor)
    .bind(action)
    .bind(subjects)
    .bind(details)
    .execute(tx.conn())
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    at: DateTime<Utc>,
    actor: Option<String>,
    action: String,
    subject: String,
    details: serde_json::Value,
}

pub async fn latest(tx: &mut TenantTx, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "select a.at, u.name as actor, a.action, a.subject, a.details
           from audit_log a left join users u on u.tenant_id = a.tenant_id and u.id = a.actor_id
          order by a.at desc, a.id desc limit $1",
    )
    .bind(limit)
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AuditEntry {
            at: row.at,
            actor: row.actor,
            action: row.action,
            subject: row.subject,
            details: row.details.to_string(),
        })
        .collect())
}
