//! Development only: connects the demo tenants to the in-process fakes at every start (the fakes keep their state
//! in memory, so each start gives every demo tenant a fresh fake Asaas account pointed at our webhook and two fake
//! WhatsApp numbers). With real services configured this does nothing: real credentials come from each tenant.

use app::platform::{integrations::settings::ZapiInstance, tenancy::store as tenants};

use sqlx::PgPool;

use super::services::Integrations;
use crate::{
    database::seed::DEMO_TENANTS,
    webhooks::{ZapiSession, provision_tenant},
};

/// `public_url`: where the fakes deliver webhooks (this server).
pub async fn connect_demo_tenants_to_fakes(pool: &PgPool, public_url: &str, integrations: &Integrations) {
    let (Some(_), Some(zapi)) = (&integrations.fake_asaas, &integrations.fake_zapi) else { return };
    for demo in &DEMO_TENANTS {
        let tenant = match tenants::find_by_slug(pool, demo.slug).await {
            Ok(Some(tenant)) => tenant,
            Ok(None) => continue,
            Err(error) => {
                tracing::warn!(%error, slug = demo.slug, "could not look up a demo tenant");
                continue;
            }
        };
        let sessions: Vec<ZapiSession> = ["agent", "consultant"]
            .into_iter()
            .map(|session| {
                let fake = zapi.new_session();
                ZapiSession {
                    session,
                    instance: ZapiInstance { instance_id: fake.instance_id, instance_token: fake.token },
                }
            })
            .collect();
        let api_key = format!("fake-asaas-key-{}", demo.slug);
        match provision_tenant(pool, tenant.id, public_url, Some(integrations.payments.as_ref()), &api_key, &sessions)
            .await
        {
            Ok(_) => tracing::info!(slug = demo.slug, "demo tenant connected to the fake Asaas and Z-API"),
            Err(error) => tracing::warn!(%error, slug = demo.slug, "could not connect a demo tenant to the fakes"),
        }
    }
}
