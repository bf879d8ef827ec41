//! Asaas (PIX and boleto charges): the real client over the REST API v3, its JSON, and an in-process fake that
//! speaks the same API (and delivers webhooks) so development and tests run without an account.

mod client;
pub mod decimal;
pub mod fake;
pub mod wire;

pub use client::{AsaasClient, AsaasSettings, DEPENDENCY, gateway_error};
pub use fake::{Delivery, FakeAsaas, FakeMode};
