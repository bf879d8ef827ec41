//! `POST /webhooks/asaas/{token}`: Asaas payment notifications.

use app::platform::{
    jobs::{EnqueueOptions, enqueue},
    tenancy::TenantTx,
};
use axum::{
    body::Bytes,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use http::{HeaderMap, StatusCode};

use super::{
    asaas_job::AsaasEventJob,
    envelope::AsaasEnvelope,
    store::{self, NewEvent, Provider},
    tokens,
};
use crate::http::AppState;

/// The header Asaas carries the webhook's auth token in (set when the webhook is configured).
const AUTH_HEADER: &str = "asaas-access-token";

pub async fn receive(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match accept(&state, &token, &headers, &body).await {
        Ok(response) => response,
        Err(error) => {
            // Asaas retries a delivery that did not get 200, so a database hiccup loses nothing.
            tracing::error!(%error, "could not store an Asaas webhook");
            (StatusCode::SERVICE_UNAVAILABLE, "Tente novamente.").into_response()
        }
    }
}

async fn accept(state: &AppState, token: &str, headers: &HeaderMap, body: &[u8]) -> Result<Response, sqlx::Error> {
    let presented = headers.get(AUTH_HEADER).map(|value| value.as_bytes());
    let Some(tenant_id) = store::tenant_by_token(&state.pool, Provider::Asaas, token).await? else {
        // Same work and answer as a wrong secret: nothing tells a prober the token was the wrong part.
        let _ = tokens::matches(presented.unwrap_or_default(), &[0; 32]);
        return Ok(unauthorized());
    };
    let mut tx = TenantTx::begin(&state.pool, tenant_id).await?;
    let expected = store::webhook_secret_hash(&mut tx, Provider::Asaas).await?.unwrap_or_default();
    let authentic = presented.is_some_and(|presented| tokens::matches(presented, &expected));
    if !authentic {
        tracing::warn!(%tenant_id, "refused an Asaas webhook with a missing or wrong access token");
        return Ok(unauthorized());
    }
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(bad_request("o corpo não é JSON válido"));
    };
    let envelope = match AsaasEnvelope::parse(&payload) {
        Ok(envelope) => envelope,
        Err(message) => return Ok(bad_request(message)),
    };
    let event = NewEvent {
        provider: Provider::Asaas,
        provider_event_id: &envelope.id,
        event_type: &envelope.event,
        subject_id: envelope.charge_id(),
        occurred_at: envelope.occurred_at(),
        payload: &payload,
    };
    match store::insert_event(&mut tx, &event).await? {
        Some(event_id) => {
            enqueue(&mut tx, &AsaasEventJob { event_id }, EnqueueOptions::key(&envelope.id)).await?;
            tx.commit().await?;
            tracing::info!(%tenant_id, event = %envelope.event, provider_event_id = %envelope.id, "Asaas webhook stored");
        }
        None => {
            tracing::info!(%tenant_id, provider_event_id = %envelope.id, "Asaas webhook redelivered; already stored");
        }
    }
    Ok((StatusCode::OK, "ok").into_response())
}

pub(super) fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, "Não autorizado.").into_response()
}

pub(super) fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, format!("Pedido inválido: {message}.")).into_response()
}
