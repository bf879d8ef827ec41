//! Giving a tenant its integration settings: fresh webhook path tokens (Asaas and Z-API), a fresh Asaas webhook
//! auth token, the Asaas API key and the Z-API instances; and pointing the tenant's Asaas account at our webhook.
//!
//! Start-up calls this for each demo tenant with the in-process fakes; tests call it for their own tenants
//! (without a gateway, to post webhooks themselves). Calling it again rotates every token: old URLs stop working.

use app::platform::{
    integrations::{
        payment_gateway::{GatewayAccount, GatewayError, PaymentGateway},
        settings::{self, ZapiInstance},
    },
    tenancy::TenantTx,
};
use sqlx::PgPool;
use uuid::Uuid;

use super::tokens::{hash_secret, new_token};

/// One WhatsApp number: `agent` or `consultant`.
#[derive(Debug, Clone)]
pub struct ZapiSession {
    pub session: &'static str,
    pub instance: ZapiInstance,
}

/// What the tenant's providers must be told. Holds secrets: `Debug` shows none of them.
#[derive(Clone)]
pub struct Provisioned {
    pub tenant_id: Uuid,
    /// `{public_url}/webhooks/asaas/{token}`.
    pub asaas_webhook_url: String,
    /// What Asaas must send in `asaas-access-token`.
    pub asaas_auth_token: String,
    /// `{public_url}/webhooks/zapi/{token}`; append `/agent` or `/consultant`.
    pub zapi_webhook_base: String,
}

impl Provisioned {
    pub fn zapi_webhook_url(&self, session: &str) -> String {
        format!("{}/{session}", self.zapi_webhook_base)
    }
}

impl std::fmt::Debug for Provisioned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provisioned").field("tenant_id", &self.tenant_id).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("configuring the Asaas webhook: {0}")]
    Gateway(#[from] GatewayError),
    #[error("saving integration settings: {0}")]
    Database(#[from] sqlx::Error),
}

/// Generates and stores the tenant's tokens and settings. With `gateway`, also configures the Asaas account's
/// webhook (first, so a refusal stores nothing; if storing fails afterwards, calling again re-points it).
pub async fn provision_tenant(
    pool: &PgPool,
    tenant_id: Uuid,
    public_url: &str,
    gateway: Option<&dyn PaymentGateway>,
    asaas_api_key: &str,
    zapi: &[ZapiSession],
) -> Result<Provisioned, ProvisionError> {
    let public_url = public_url.trim_end_matches('/');
    let (asaas_token, asaas_auth_token, zapi_token) = (new_token(), new_token(), new_token());
    let provisioned = Provisioned {
        tenant_id,
        asaas_webhook_url: format!("{public_url}/webhooks/asaas/{asaas_token}"),
        asaas_auth_token,
        zapi_webhook_base: format!("{public_url}/webhooks/zapi/{zapi_token}"),
    };
    if let Some(gateway) = gateway {
        let account = GatewayAccount { api_key: asaas_api_key.to_owned() };
        gateway.configure_webhook(&account, &provisioned.asaas_webhook_url, &provisioned.asaas_auth_token).await?;
    }
    let mut tx = TenantTx::begin(pool, tenant_id).await?;
    settings::save_asaas(
        &mut tx,
        asaas_api_key,
        &hash_secret(&asaas_token),
        &hash_secret(&provisioned.asaas_auth_token),
    )
    .await?;
    settings::save_zapi(&mut tx, &hash_secret(&zapi_token)).await?;
    for session in zapi {
        settings::save_zapi_session(&mut tx, session.session, &session.instance).await?;
    }
    tx.commit().await?;
    tracing::info!(%tenant_id, "integration settings provisioned (webhook tokens rotated)");
    Ok(provisioned)
}
