//! Provider webhooks: Asaas (payments) and Z-API (WhatsApp). Each tenant has its own random path token per
//! provider; the tenant is found from the token's hash (`tenant_by_webhook_token`), everything after that runs in
//! the tenant's `TenantTx`.
//!
//! Intake does the least that makes the delivery safe to acknowledge: check the secret, parse the envelope, insert
//! the event keyed by its provider id (`on conflict do nothing`) and, only when it is new, enqueue the job that
//! processes it, in one transaction; then answer 200. A redelivery is answered 200 and changes nothing. The
//! effect (a payment's status, a copied media file) happens in the job.
//!
//! Refusals are deliberately uninformative: an unknown path token and a wrong `asaas-access-token` both get the
//! same 401 (a prober cannot tell which part was wrong, nor whether a token exists); nothing is written for a
//! refused delivery. CSRF does not apply here (`/webhooks/` is exempt: the secret authenticates, not a cookie).

mod asaas;
mod asaas_job;
mod envelope;
mod payment_effects;
pub mod provision;
mod reconcile;
mod store;
mod tokens;
mod zapi;
mod zapi_job;

use axum::{Router, middleware, routing::post};

use crate::http::{AppState, body_limit};

pub use asaas_job::{AsaasEventHandler, AsaasEventJob};
pub use provision::{ProvisionError, Provisioned, ZapiSession, provision_tenant};
pub use reconcile::{ReconcileHandler, ReconcileJob, enqueue_reconciliations};
pub use store::Provider;
pub use tokens::{hash_secret, new_token};
pub use zapi_job::{ZapiInboundHandler, ZapiInboundJob};

/// Webhook bodies are small JSON documents; anything bigger is refused with 413 before it is parsed.
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;

/// `POST /webhooks/asaas/{token}` and `POST /webhooks/zapi/{token}/{session}`, with their own body limit.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/webhooks/asaas/{token}", post(asaas::receive))
        .route("/webhooks/zapi/{token}/{session}", post(zapi::receive))
        .route_layer(middleware::from_fn_with_state(BODY_LIMIT_BYTES, body_limit::limit_size))
}
