//! The live channel's server side: `/ws` (one WebSocket per tab), the hub that fans events out, and the socket
//! loop. Shared types and publishing are in `app::platform::live`; the README documents the wire protocol.

mod duplex;
pub mod hub;
mod outbox;
mod socket;

use std::time::Duration;

use axum::{
    body::Body,
    extract::{Request, State},
    response::{IntoResponse, Response},
};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{handshake::derive_accept_key, protocol::WebSocketConfig};
use tower_sessions::Session;

pub use hub::{DirectoryChanges, Hub, LiveStats};

use crate::http::AppState;

/// The channel's limits and rhythms.
#[derive(Debug, Clone, Copy)]
pub struct LiveSettings {
    /// Bytes that may wait for one socket (beyond what the kernel holds); a client that lets more pile up has
    /// stopped reading and is cut off.
    pub waiting_bytes: usize,
    /// Topics one socket may watch at once.
    pub max_topics: usize,
    /// How often the server pings; a peer silent for three of these is taken for dead.
    pub heartbeat: Duration,
    /// How often a socket re-checks that its session still holds (from memory, which forgets every change), besides
    /// at once when the directory tells of a change to its person or tenant (`hub::DirectoryChanges`).
    pub recheck: Duration,
    /// How long one write may take before the client is taken for stuck.
    pub write_timeout: Duration,
}

impl Default for LiveSettings {
    fn default() -> Self {
        Self {
            waiting_bytes: 256 * 1024,
            max_topics: 32,
            heartbeat: Duration::from_secs(15),
            // A safety net only: changes arrive as notices. Polling every 2 s cost 5,000 wake-ups a second at
            // 10,000 sockets.
            recheck: Duration::from_secs(60),
            write_timeout: Duration::from_secs(10),
        }
    }
}

/// Socket buffer sizes: a connection's memory is mostly these, so they are sized for small JSON messages (the
/// defaults, 128 KiB to read and write, would cost that much per watcher). Client messages are small; events are
/// under NOTIFY's 8,000 bytes, and bypass the protocol's writer (the fan-out writes them framed).
const READ_BUFFER: usize = 1024;
const MAX_CLIENT_MESSAGE: usize = 4 * 1024;

fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_CLIENT_MESSAGE * 4)
        .max_message_size(Some(MAX_CLIENT_MESSAGE))
        .max_frame_size(Some(MAX_CLIENT_MESSAGE))
}

/// `GET /ws`: refused before the upgrade unless the Origin is ours (401 without a session, 403 from another site).
pub async fn upgrade(State(state): State<AppState>, session: Session, mut request: Request) -> Response {
    let headers = request.headers();
    if !crate::http::csrf::comes_from_us(headers, &state.trusted_origins) {
        tracing::warn!(origin = ?headers.get(http::header::ORIGIN), "live: refused a cross-site WebSocket");
        return (StatusCode::FORBIDDEN, "Conexão recusada: ela veio de outro site.").into_response();
    }
    if state.live.is_going_away() {
        return (StatusCode::SERVICE_UNAVAILABLE, "O servidor está reiniciando; tente de novo.").into_response();
    }
    let viewer = match app::platform::auth::viewer_of(&state.context, &session).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Entre para receber atualizações ao vivo.").into_response(),
        Err(error) => {
            tracing::error!(%error, "live: could not check the session");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let Some(accept) = handshake_accept(request.headers()) else {
        return (StatusCode::BAD_REQUEST, "Este endereço só aceita conexões WebSocket.").into_response();
    };
    let Some(on_upgrade) = request.extensions_mut().remove::<hyper::upgrade::OnUpgrade>() else {
        return (StatusCode::UPGRADE_REQUIRED, "Esta conexão não pode virar WebSocket.").into_response();
    };
    let hub = state.live.clone();
    let context = state.context.clone();
    tokio::spawn(async move {
        let upgraded = match on_upgrade.await {
            Ok(upgraded) => upgraded,
            Err(error) => {
                tracing::debug!(%error, "live: the upgrade did not complete");
                return;
            }
        };
        // The fan-out writes to the TCP socket itself, so the connection must be one (it always is: `serve`).
        match upgraded.downcast::<TokioIo<TcpStream>>() {
            Ok(parts) => socket::run(parts.io.into_inner(), parts.read_buf, hub, context, session, viewer).await,
            Err(_) => tracing::error!("live: an upgraded connection that is not a TCP socket; closed"),
        }
    });
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    response
}

/// An HTTP/1.1 WebSocket opening handshake (RFC 6455, 4.2.1): the `Sec-WebSocket-Accept` it must be answered with.
fn handshake_accept(headers: &HeaderMap) -> Option<HeaderValue> {
    let has = |name: header::HeaderName, token: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|value| value.split(',').any(|part| part.trim().eq_ignore_ascii_case(token)))
    };
    if !has(header::CONNECTION, "upgrade") || !has(header::UPGRADE, "websocket") {
        return None;
    }
    if headers.get(header::SEC_WEBSOCKET_VERSION).is_none_or(|version| version != "13") {
        return None;
    }
    let key = headers.get(header::SEC_WEBSOCKET_KEY)?;
    HeaderValue::from_str(&derive_accept_key(key.as_bytes())).ok()
}

/// Sets the live channel's figures on `/metrics` (read from the hub at each scrape, like the directory's).
pub fn export_metrics(stats: &LiveStats) {
    metrics::gauge!("live_connections").set(stats.connections as f64);
    for (kind, count) in &stats.subscriptions {
        metrics::gauge!("live_subscriptions", "kind" => *kind).set(*count as f64);
    }
    metrics::gauge!("live_events_published").set(stats.events_published as f64);
    metrics::gauge!("live_events_delivered").set(stats.events_delivered as f64);
    metrics::gauge!("live_slow_client_drops").set(stats.slow_client_drops as f64);
    metrics::gauge!("live_bus_reconnects").set(stats.bus_reconnects as f64);
}
