//! SQL of the webhook tables: finding the tenant from a path token, the events themselves.

use app::platform::tenancy::TenantTx;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Asaas,
    Zapi,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asaas => "asaas",
            Self::Zapi => "zapi",
        }
    }
}

/// The tenant that issued `token` for `provider`, through the one cross-tenant door of the migration.
pub async fn tenant_by_token(pool: &PgPool, provider: Provider, token: &str) -> Result<Option<Uuid>, sqlx::Error> {
    if !tokens::plausible(token) {
        return Ok(None);
    }
    sqlx::query_scalar("select tenant_by_webhook_token($1, $2)")
        .bind(provider.as_str())
        .bind(tokens::hash_secret(token).as_slice())
        .fetch_one(pool)
        .await
}

/// SHA-256 of the secret the provider sends with each delivery (Asaas: `asaas-access-token`).
pub async fn webhook_secret_hash(tx: &mut TenantTx, provider: Provider) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let hash: Option<Option<Vec<u8>>> = sqlx::query_scalar(
        "select webhook_secret_hash from tenant_integrations where tenant_id = $1 and provider = $2",
    )
    .bind(tx.tenant_id())
    .bind(provider.as_str())
    .fetch_optional(tx.conn())
    .await?;
    Ok(hash.flatten())
}

/// An event as intake stores it.
#[derive(Debug)]
pub struct NewEvent<'a> {
    pub provider: Provider,
    pub provider_event_id: &'a str,
    pub event_type: &'a str,
    pub subject_id: Option<&'a str>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub payload: &'a serde_json::Value,
}

/// Inserts the event unless its provider id is already there: `Some(id)` when new, `None` for a redelivery.
pub async fn insert_event(tx: &mut TenantTx, event: &NewEvent<'_>) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "insert into webhook_events (tenant_id, provider, provider_event_id, event_type, subject_id, occurred_at,
                                     payload)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (tenant_id, provider, provider_event_id) do nothing
         returning id",
    )
    .bind(tx.tenant_id())
    .bind(event.provider.as_str())
    .bind(event.provider_event_id)
    .bind(event.event_type)
    .bind(event.subject_id)
    .bind(event.occurred_at)
    .bind(event.payload)
    .fetch_optional(tx.conn())
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct StoredEvent {
    pub id: Uuid,
    pub provider_event_id: String,
    pub event_type: String,
    pub subject_id: Option<String>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub payload: serde_json::Value,
    pub processed_at: Option<DateTime<Utc>>,
}

const EVENT_COLUMNS: &str =
    "id, provider_event_id, event_type, subject_id, occurred_at, received_at, payload, processed_at";

pub async fn load_event(tx: &mut TenantTx, id: Uuid) -> Result<Option<StoredEvent>, sqlx::Error> {
    sqlx::query_as(&format!("select {EVENT_COLUMNS} from webhook_events where tenant_id = $1 and id = $2"))
        .bind(tx.tenant_id())
        .bind(id)
        .fetch_optional(tx.conn())
        .await
}

/// Unprocessed events about one subject (an Asaas charge), oldest provider time first, then by provider id so the
/// order is the same for every job that reads it.
pub async fn pending_for_subject(
    tx: &mut TenantTx,
    provider: Provider,
    subject_id: &str,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {EVENT_COLUMNS} from webhook_events
          where tenant_id = $1 and provider = $2 and subject_id = $3 and processed_at is null
          order by coalesce(occurred_at, received_at), provider_event_id"
    ))
    .bind(tx.tenant_id())
    .bind(provider.as_str())
    .bind(subject_id)
    .fetch_all(tx.conn())
    .await
}

/// Marks an event processed with a short description of what it did.
pub async fn mark_processed(tx: &mut TenantTx, id: Uuid, outcome: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update webhook_events set processed_at = now(), outcome = $3
          where tenant_id = $1 and id = $2 and processed_at is null",
    )
    .bind(tx.tenant_id())
    .bind(id)
    .bind(outcome)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Serialises work on one subject (e.g. all events of one charge) within the tenant until the transaction ends,
/// including the first event of a charge whose payment row does not exist yet (so there is no row to lock).
pub async fn lock_subject(tx: &mut TenantTx, provider: Provider, subject_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("select pg_advisory_xact_lock(hashtextextended($1 || ':' || $2 || ':' || $3, 0))")
        .bind(tx.tenant_id().to_string())
        .bind(provider.as_str())
        .bind(subject_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}
