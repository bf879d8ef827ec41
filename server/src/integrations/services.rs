//! Choosing each outside service at start-up: the real client when its settings are configured, otherwise a real
//! client pointed at an in-process fake (so `make run` works with no accounts anywhere and the real client code
//! runs). The fakes live as long as this value.

use std::sync::Arc;

use app::platform::integrations::{
    language_model::LanguageModel,
    messenger::Messenger,
    payment_gateway::{PaymentGateway, PaymentSimulator},
};

use super::{
    asaas::{AsaasClient, AsaasSettings, FakeAsaas},
    llm::{FakeLlm, LlmClient, LlmSettings},
    outbound::{FetchPolicy, GuardedClient, Origin, OutboundSettings},
    zapi::{FakeZapi, ZapiClient, ZapiSettings},
};
use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum IntegrationsError {
    #[error("starting the in-process fake {service}: {source}")]
    Fake { service: &'static str, source: std::io::Error },
    #[error("building the {service} client: {message}")]
    Client { service: &'static str, message: String },
}

#[derive(Clone)]
pub struct Integrations {
    pub payments: Arc<dyn PaymentGateway>,
    pub payment_simulator: Option<Arc<dyn PaymentSimulator>>,
    pub messenger: Arc<dyn Messenger>,
    pub language_model: Arc<dyn LanguageModel>,
    /// Downloads of WhatsApp media through the SSRF guard: Z-API's storage hosts (`ZAPI_MEDIA_HOSTS`), plus the
    /// fake's own origin only while the fake runs. Its own breaker: a media host down is not the Z-API API down.
    pub media: GuardedClient,
    pub fake_asaas: Option<FakeAsaas>,
    pub fake_zapi: Option<FakeZapi>,
    pub fake_llm: Option<Arc<FakeLlm>>,
}

impl std::fmt::Debug for Integrations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Integrations")
            .field("fake_asaas", &self.fake_asaas.is_some())
            .field("fake_zapi", &self.fake_zapi.is_some())
            .field("fake_llm", &self.fake_llm.is_some())
            .finish_non_exhaustive()
    }
}

fn client_error(service: &'static str) -> impl Fn(String) -> IntegrationsError {
    move |message| IntegrationsError::Client { service, message }
}

impl Integrations {
    pub async fn start(config: &Config) -> Result<Self, IntegrationsError> {
        let fake = |service| move |source| IntegrationsError::Fake { service, source };

        let (asaas_url, fake_asaas) = match &config.asaas_base_url {
            Some(url) => (url.clone(), None),
            None => {
                let fake = FakeAsaas::start().await.map_err(fake("Asaas"))?;
                (fake.base_url().to_string(), Some(fake))
            }
        };
        let payments: Arc<dyn PaymentGateway> = Arc::new(
            AsaasClient::new(AsaasSettings::new(asaas_url)).map_err(|e| client_error("Asaas")(e.to_string()))?,
        );
        let payment_simulator = fake_asaas.clone().map(|fake| Arc::new(fake) as Arc<dyn PaymentSimulator>);

        let (zapi_settings, fake_zapi) = match &config.zapi {
            Some(zapi) => (ZapiSettings::new(zapi.base_url.clone(), zapi.client_token.clone()), None),
            None => {
                let fake = FakeZapi::start().await.map_err(fake("Z-API"))?;
                (ZapiSettings::new(fake.base_url(), None), Some(fake))
            }
        };
        let messenger: Arc<dyn Messenger> =
            Arc::new(ZapiClient::new(zapi_settings).map_err(|e| client_error("Z-API")(e.to_string()))?);

        let (llm_settings, fake_llm) = match &config.llm {
            Some(settings) => (settings.clone(), None),
            None => {
                let fake = FakeLlm::start().await.map_err(fake("LLM"))?;
                (LlmSettings::for_fake(&fake), Some(Arc::new(fake)))
            }
        };
        let language_model: Arc<dyn LanguageModel> =
            Arc::new(LlmClient::new(llm_settings).map_err(|e| client_error("LLM")(e.to_string()))?);

        let media_policy = FetchPolicy {
            hosts: config.zapi_media_hosts.clone(),
            // Filled only when the in-process fake runs, i.e. never with the real Z-API.
            allow_origins: fake_zapi.iter().filter_map(|fake| Origin::parse(fake.base_url())).collect(),
        };
        let media = GuardedClient::new("zapi_media", OutboundSettings::default(), media_policy)
            .map_err(|e| client_error("media downloads")(e.to_string()))?;
        Ok(Self { payments, payment_simulator, messenger, language_model, media, fake_asaas, fake_zapi, fake_llm })
    }
}
