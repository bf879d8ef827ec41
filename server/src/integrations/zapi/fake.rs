//! An in-process Z-API: a real HTTP server on `127.0.0.1:0` that accepts sends for the sessions it issued (and
//! refuses wrong tokens), records them for tests, serves media at `/media/…`, and posts inbound callbacks to our
//! webhook like Z-API does.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use app::platform::integrations::{
    messenger::MessengerSession,
    zapi_callback::{ReceivedCallback, ZapiCallback},
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;

use super::client::SendResponse;
use crate::integrations::fake_server::{self, ServerTask};

/// What was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentContent {
    Text { message: String },
    Document { url: String, file_name: String, extension: String },
    Image { url: String, caption: Option<String> },
}

/// One message the fake accepted, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRecord {
    pub instance_id: String,
    pub phone: String,
    pub content: SentContent,
    pub message_id: String,
}

#[derive(Debug, Default)]
struct Shared {
    /// instance id → token.
    sessions: Mutex<HashMap<String, String>>,
    client_token: Mutex<Option<String>>,
    sent: Mutex<Vec<SentRecord>>,
    /// name → (bytes, mime type).
    media: Mutex<HashMap<String, (Bytes, String)>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The handle: cheap to clone; the server stops when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct FakeZapi {
    shared: Arc<Shared>,
    base_url: String,
    webhooks: reqwest::Client,
    _task: Arc<ServerTask>,
}

impl FakeZapi {
    pub async fn start() -> std::io::Result<Self> {
        let (listener, addr) = fake_server::bind().await?;
        let shared = Arc::new(Shared::default());
        let router = Router::new()
            .route("/instances/{instance}/token/{token}/send-text", post(send_text))
            .route("/instances/{instance}/token/{token}/send-document/{extension}", post(send_document))
            .route("/instances/{instance}/token/{token}/send-image", post(send_image))
            .route("/media/{name}", get(media))
            .with_state(shared.clone());
        let task = fake_server::spawn(listener, router);
        let webhooks = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|error| std::io::Error::other(error.without_url()))?;
        Ok(Self { shared, base_url: format!("http://{addr}"), webhooks, _task: task })
    }

    /// Like `https://api.z-api.io`: give it to `ZapiSettings::new`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A new connected session (random instance id and token) the fake accepts sends for.
    pub fn new_session(&self) -> MessengerSession {
        let session = MessengerSession { instance_id: hex_id(32), token: hex_id(24) };
        lock(&self.shared.sessions).insert(session.instance_id.clone(), session.token.clone());
        session
    }

    /// Requires this `Client-Token` header on every send (`None`: no account security token).
    pub fn set_client_token(&self, token: Option<String>) {
        *lock(&self.shared.client_token) = token;
    }

    /// Every accepted message so far, oldest first.
    pub fn sent(&self) -> Vec<SentRecord> {
        lock(&self.shared.sent).clone()
    }

    /// Serves `bytes` at `/media/{name}` and returns the URL (what an inbound image or document callback points to).
    pub fn add_media(&self, name: &str, bytes: impl Into<Bytes>, mime: &str) -> String {
        lock(&self.shared.media).insert(name.to_string(), (bytes.into(), mime.to_string()));
        format!("{}/media/{name}", self.base_url)
    }

    /// POSTs a received message to our webhook as Z-API would; returns the status our side answered.
    pub async fn deliver_inbound(&self, target_url: &str, callback: ReceivedCallback) -> Result<u16, String> {
        self.deliver(target_url, &ZapiCallback::Received(Box::new(callback))).await
    }

    /// POSTs any callback (a status change, say) to our webhook; returns the status our side answered.
    pub async fn deliver(&self, target_url: &str, callback: &ZapiCallback) -> Result<u16, String> {
        let response = self.webhooks.post(target_url).json(callback).send().await;
        response.map(|r| r.status().as_u16()).map_err(|error| error.without_url().to_string())
    }
}

/// Uppercase hex like Z-API's ids.
fn hex_id(len: usize) -> String {
    (0..len).map(|_| char::from(b"0123456789ABCDEF"[fastrand::usize(0..16)])).collect()
}

fn refuse(status: StatusCode, error: &str) -> Response {
    (status, Json(serde_json::json!({ "error": error }))).into_response()
}

/// Checks the session and the account token; `Some` is the refusal Z-API gives.
fn refusal(shared: &Shared, instance: &str, token: &str, headers: &HeaderMap) -> Option<Response> {
    if let Some(expected) = lock(&shared.client_token).as_deref() {
        let given = headers.get("client-token").and_then(|v| v.to_str().ok());
        if given != Some(expected) {
            return Some(refuse(StatusCode::BAD_REQUEST, "your client-token is not configured"));
        }
    }
    if lock(&shared.sessions).get(instance).map(String::as_str) != Some(token) {
        return Some(refuse(StatusCode::BAD_REQUEST, "Instance not found or invalid token"));
    }
    None
}

fn valid_phone(phone: &str) -> bool {
    (10..=15).contains(&phone.len()) && phone.bytes().all(|b| b.is_ascii_digit())
}

fn record(shared: &Shared, instance: String, phone: String, content: SentContent) -> Response {
    let message_id = hex_id(20);
    lock(&shared.sent).push(SentRecord { instance_id: instance, phone, content, message_id: message_id.clone() });
    Json(SendResponse { zaap_id: hex_id(32), id: message_id.clone(), message_id }).into_response()
}

#[derive(Deserialize)]
struct TextInput {
    phone: String,
    message: String,
}

async fn send_text(
    State(shared): State<Arc<Shared>>,
    Path((instance, token)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refusal) = refusal(&shared, &instance, &token, &headers) {
        return refusal;
    }
    match serde_json::from_slice::<TextInput>(&body) {
        Ok(input) if valid_phone(&input.phone) && !input.message.is_empty() => {
            record(&shared, instance, input.phone, SentContent::Text { message: input.message })
        }
        _ => refuse(StatusCode::BAD_REQUEST, "phone and message are required"),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DocumentInput {
    phone: String,
    document: String,
    file_name: Option<String>,
}

async fn send_document(
    State(shared): State<Arc<Shared>>,
    Path((instance, token, extension)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refusal) = refusal(&shared, &instance, &token, &headers) {
        return refusal;
    }
    match serde_json::from_slice::<DocumentInput>(&body) {
        Ok(input) if valid_phone(&input.phone) && !input.document.is_empty() => {
            let file_name = input.file_name.unwrap_or_else(|| format!("document.{extension}"));
            let content = SentContent::Document { url: input.document, file_name, extension };
            record(&shared, instance, input.phone, content)
        }
        _ => refuse(StatusCode::BAD_REQUEST, "phone and document are required"),
    }
}

#[derive(Deserialize)]
struct ImageInput {
    phone: String,
    image: String,
    caption: Option<String>,
}

async fn send_image(
    State(shared): State<Arc<Shared>>,
    Path((instance, token)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refusal) = refusal(&shared, &instance, &token, &headers) {
        return refusal;
    }
    match serde_json::from_slice::<ImageInput>(&body) {
        Ok(input) if valid_phone(&input.phone) && !input.image.is_empty() => {
            record(&shared, instance, input.phone, SentContent::Image { url: input.image, caption: input.caption })
        }
        _ => refuse(StatusCode::BAD_REQUEST, "phone and image are required"),
    }
}

async fn media(State(shared): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    match lock(&shared.media).get(&name) {
        Some((bytes, mime)) => ([(header::CONTENT_TYPE, mime.clone())], bytes.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
