//! Starts the in-process fakes of Asaas and Z-API together, for `make run` without credentials and for tests, and
//! builds real clients pointed at them (so the real client code runs). Wiring into the app state is the caller's.

use super::{
    asaas::{AsaasClient, AsaasSettings, FakeAsaas},
    outbound::OutboundError,
    zapi::{FakeZapi, ZapiClient, ZapiSettings},
};

#[derive(Debug, Clone)]
pub struct Fakes {
    pub asaas: FakeAsaas,
    pub zapi: FakeZapi,
}

impl Fakes {
    pub async fn start() -> std::io::Result<Self> {
        Ok(Self { asaas: FakeAsaas::start().await?, zapi: FakeZapi::start().await? })
    }

    pub fn asaas_client(&self) -> Result<AsaasClient, OutboundError> {
        AsaasClient::new(AsaasSettings::new(self.asaas.base_url()))
    }

    pub fn zapi_client(&self) -> Result<ZapiClient, OutboundError> {
        ZapiClient::new(ZapiSettings::new(self.zapi.base_url(), None))
    }
}
