//! `POST /webhooks/zapi/{token}/{session}`: Z-API callbacks for one of the tenant's WhatsApp numbers. Z-API sends
//! no signature, so the random path token is the secret. A received message is stored (event + `inbound_messages`)
//! once per `messageId` and a job copies its media; status callbacks and anything else are stored and
//! acknowledged.

use app::platform::{
    jobs::{EnqueueOptions, enqueue},
    tenancy::TenantTx,
};
use axum::{
    body::Bytes,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use http::StatusCode;
use serde_json::Value;

use super::{
    asaas::{bad_request, unauthorized},
    store::{self, NewEvent, Provider},
    zapi_job::ZapiInboundJob,
};
use crate::http::AppState;

/// The tenant's two numbers: the enrollment/CRM agent and the human consultants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    Agent,
    Consultant,
}

impl Session {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "agent" => Some(Self::Agent),
            "consultant" => Some(Self::Consultant),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Consultant => "consultant",
        }
    }
}

pub async fn receive(
    State(state): State<AppState>,
    Path((token, session)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Some(session) = Session::parse(&session) else {
        return (StatusCode::NOT_FOUND, "Não encontrado.").into_response();
    };
    match accept(&state, &token, session, &body).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "could not store a Z-API webhook");
            (StatusCode::SERVICE_UNAVAILABLE, "Tente novamente.").into_response()
        }
    }
}

async fn accept(state: &AppState, token: &str, session: Session, body: &[u8]) -> Result<Response, sqlx::Error> {
    let Some(tenant_id) = store::tenant_by_token(&state.pool, Provider::Zapi, token).await? else {
        return Ok(unauthorized());
    };
    let Ok(payload) = serde_json::from_slice::<Value>(body) else {
        return Ok(bad_request("o corpo não é JSON válido"));
    };
    let callback = match Callback::read(&payload) {
        Ok(callback) => callback,
        Err(message) => return Ok(bad_request(message)),
    };
    let mut tx = TenantTx::begin(&state.pool, tenant_id).await?;
    let event = NewEvent {
        provider: Provider::Zapi,
        provider_event_id: &callback.provider_event_id,
        event_type: &callback.event_type,
        subject_id: callback.message.as_ref().map(|message| message.message_id.as_str()),
        occurred_at: callback.momment,
        payload: &payload,
    };
    let Some(event_id) = store::insert_event(&mut tx, &event).await? else {
        tracing::info!(%tenant_id, "Z-API callback redelivered; already stored");
        return Ok(ok());
    };
    match &callback.message {
        Some(message) => {
            insert_message(&mut tx, session, event_id, message, &payload).await?;
            enqueue(&mut tx, &ZapiInboundJob { event_id }, EnqueueOptions::key(&message.message_id)).await?;
        }
        // Nothing to do later: what our sent messages' statuses mean is the messaging module's business.
        None => store::mark_processed(&mut tx, event_id, "stored").await?,
    }
    tx.commit().await?;
    tracing::info!(%tenant_id, session = session.as_str(), event_type = %callback.event_type, "Z-API callback stored");
    Ok(ok())
}

fn ok() -> Response {
    (StatusCode::OK, "ok").into_response()
}

async fn insert_message(
    tx: &mut TenantTx,
    session: Session,
    event_id: uuid::Uuid,
    message: &Message,
    payload: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into inbound_messages (tenant_id, session, message_id, webhook_event_id, phone, from_me, sender_name,
                                       text, media_kind, media_mime, media_url, momment, payload)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (tenant_id, message_id) do nothing",
    )
    .bind(tx.tenant_id())
    .bind(session.as_str())
    .bind(&message.message_id)
    .bind(event_id)
    .bind(&message.phone)
    .bind(message.from_me)
    .bind(message.sender_name.as_deref())
    .bind(message.text.as_deref())
    .bind(message.media.as_ref().map(|media| media.kind))
    .bind(message.media.as_ref().and_then(|media| media.mime.as_deref()))
    .bind(message.media.as_ref().map(|media| media.url.as_str()))
    .bind(message.momment)
    .bind(payload)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// What intake needs from a Z-API callback.
#[derive(Debug)]
struct Callback {
    event_type: String,
    provider_event_id: String,
    momment: Option<DateTime<Utc>>,
    /// Set for `ReceivedCallback`.
    message: Option<Message>,
}

#[derive(Debug)]
struct Message {
    message_id: String,
    phone: String,
    from_me: bool,
    sender_name: Option<String>,
    text: Option<String>,
    media: Option<Media>,
    momment: Option<DateTime<Utc>>,
}

#[derive(Debug)]
struct Media {
    kind: &'static str,
    url: String,
    mime: Option<String>,
}

/// Media objects of a received message: (field, kind, URL field).
const MEDIA: &[(&str, &str, &str)] = &[
    ("image", "image", "imageUrl"),
    ("document", "document", "documentUrl"),
    ("audio", "audio", "audioUrl"),
    ("video", "video", "videoUrl"),
    ("sticker", "sticker", "stickerUrl"),
];

impl Callback {
    fn read(payload: &Value) -> Result<Self, &'static str> {
        let text = |value: &Value, field: &str| {
            value.get(field).and_then(Value::as_str).map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
        };
        let event_type = text(payload, "type").ok_or("o corpo precisa ter `type`")?;
        if event_type.len() > 64 {
            return Err("`type` longo demais");
        }
        let momment = payload.get("momment").and_then(Value::as_i64).and_then(DateTime::from_timestamp_millis);
        let id_within_limit = |id: String| (id.len() <= 150).then_some(id);
        match event_type.as_str() {
            "ReceivedCallback" => {
                let message_id = text(payload, "messageId").and_then(id_within_limit).ok_or("falta `messageId`")?;
                let media = MEDIA.iter().find_map(|(field, kind, url_field)| {
                    let object = payload.get(*field)?;
                    Some(Media { kind, url: text(object, url_field)?, mime: text(object, "mimeType") })
                });
                let body = payload.get("text").and_then(|text_object| text(text_object, "message")).or_else(|| {
                    MEDIA
                        .iter()
                        .find_map(|(field, _, _)| payload.get(*field).and_then(|object| text(object, "caption")))
                });
                Ok(Self {
                    provider_event_id: message_id.clone(),
                    event_type,
                    momment,
                    message: Some(Message {
                        message_id,
                        phone: text(payload, "phone").ok_or("falta `phone`")?,
                        from_me: payload.get("fromMe").and_then(Value::as_bool).unwrap_or(false),
                        sender_name: text(payload, "senderName"),
                        text: body,
                        media,
                        momment,
                    }),
                })
            }
            "MessageStatusCallback" => {
                let status = text(payload, "status").ok_or("falta `status`")?;
                let ids: Vec<&str> = payload
                    .get("ids")
                    .and_then(Value::as_array)
                    .map(|ids| ids.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if ids.is_empty() {
                    return Err("falta `ids`");
                }
                let id = format!("status:{status}:{}", ids.join(","));
                Ok(Self {
                    provider_event_id: id_within_limit(id).ok_or("`ids` longo demais")?,
                    event_type,
                    momment,
                    message: None,
                })
            }
            _ => {
                // Other callbacks (connected, disconnected, presence…): deduplicated by their id if they have one,
                // else by the body itself.
                let id = match text(payload, "messageId") {
                    Some(message_id) => format!("{event_type}:{message_id}"),
                    None => format!("{event_type}:{}", body_digest(payload)),
                };
                Ok(Self {
                    provider_event_id: id_within_limit(id).ok_or("`messageId` longo demais")?,
                    event_type,
                    momment,
                    message: None,
                })
            }
        }
    }
}

fn body_digest(payload: &Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(payload.to_string().as_bytes());
    digest.iter().take(16).map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn received_messages_are_read_with_their_media() {
        let payload = json!({"type": "ReceivedCallback", "messageId": "3EB0A1", "phone": "5511999990000",
            "fromMe": false, "senderName": "Ana", "momment": 1_790_000_000_000_i64,
            "image": {"imageUrl": "https://media.example/a.jpg", "mimeType": "image/jpeg", "caption": "meu RG"}});
        let callback = Callback::read(&payload).expect("valid");
        let message = callback.message.expect("a message");
        assert_eq!(callback.provider_event_id, "3EB0A1");
        assert_eq!(message.text.as_deref(), Some("meu RG"));
        let media = message.media.expect("media");
        assert_eq!((media.kind, media.url.as_str()), ("image", "https://media.example/a.jpg"));
        assert!(message.momment.is_some());
    }

    #[test]
    fn status_callbacks_are_keyed_by_status_and_ids() {
        let payload = json!({"type": "MessageStatusCallback", "status": "READ", "ids": ["A", "B"]});
        let callback = Callback::read(&payload).expect("valid");
        assert_eq!(callback.provider_event_id, "status:READ:A,B");
        assert!(callback.message.is_none());
        assert!(Callback::read(&json!({"type": "ReceivedCallback", "phone": "1"})).is_err(), "no messageId");
        assert!(Callback::read(&json!({"phone": "1"})).is_err(), "no type");
    }
}
