//! Per-tenant integration settings (`tenant_integrations`, `zapi_sessions`), read and written in the tenant's
//! `TenantTx`. Webhook secrets arrive here already hashed: the plain tokens exist only in the URLs and headers the
//! providers were given.

use super::payment_gateway::GatewayAccount;
use crate::platform::tenancy::TenantTx;

/// The tenant's Asaas account, if it has one set up.
pub async fn asaas_account(tx: &mut TenantTx) -> Result<Option<GatewayAccount>, sqlx::Error> {
    let api_key: Option<Option<String>> =
        sqlx::query_scalar("select api_key from tenant_integrations where tenant_id = $1 and provider = 'asaas'")
            .bind(tx.tenant_id())
            .fetch_optional(tx.conn())
            .await?;
    Ok(api_key.flatten().map(|api_key| GatewayAccount { api_key }))
}

/// Sets (or replaces) the tenant's Asaas account and webhook secrets. Replacing the hashes invalidates the old
/// webhook URL and auth token at once.
pub async fn save_asaas(
    tx: &mut TenantTx,
    api_key: &str,
    webhook_token_hash: &[u8],
    webhook_secret_hash: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into tenant_integrations (tenant_id, provider, webhook_token_hash, api_key, webhook_secret_hash)
         values ($1, 'asaas', $2, $3, $4)
         on conflict (tenant_id, provider) do update
            set webhook_token_hash = excluded.webhook_token_hash, api_key = excluded.api_key,
                webhook_secret_hash = excluded.webhook_secret_hash, updated_at = now()",
    )
    .bind(tx.tenant_id())
    .bind(webhook_token_hash)
    .bind(api_key)
    .bind(webhook_secret_hash)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Sets (or replaces) the tenant's Z-API webhook path token (one for both numbers; the path names the number).
pub async fn save_zapi(tx: &mut TenantTx, webhook_token_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into tenant_integrations (tenant_id, provider, webhook_token_hash) values ($1, 'zapi', $2)
         on conflict (tenant_id, provider) do update
            set webhook_token_hash = excluded.webhook_token_hash, updated_at = now()",
    )
    .bind(tx.tenant_id())
    .bind(webhook_token_hash)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// One of the tenant's Z-API instances (`agent` or `consultant`).
#[derive(Clone, PartialEq, Eq)]
pub struct ZapiInstance {
    pub instance_id: String,
    /// Goes in Z-API URLs: a secret.
    pub instance_token: String,
}

impl std::fmt::Debug for ZapiInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZapiInstance")
            .field("instance_id", &self.instance_id)
            .field("instance_token", &"<redacted>")
            .finish()
    }
}

pub async fn save_zapi_session(tx: &mut TenantTx, session: &str, instance: &ZapiInstance) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into zapi_sessions (tenant_id, session, instance_id, instance_token) values ($1, $2, $3, $4)
         on conflict (tenant_id, session) do update
            set instance_id = excluded.instance_id, instance_token = excluded.instance_token, updated_at = now()",
    )
    .bind(tx.tenant_id())
    .bind(session)
    .bind(&instance.instance_id)
    .bind(&instance.instance_token)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn zapi_session(tx: &mut TenantTx, session: &str) -> Result<Option<ZapiInstance>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("select instance_id, instance_token from zapi_sessions where tenant_id = $1 and session = $2")
            .bind(tx.tenant_id())
            .bind(session)
            .fetch_optional(tx.conn())
            .await?;
    Ok(row.map(|(instance_id, instance_token)| ZapiInstance { instance_id, instance_token }))
}
