//! The live channel's server side: `/ws` (one WebSocket per tab), the hub that fans events out, and the socket
//! loop. Shared types and publishing are in `app::platform::live`; the README documents the wire protocol.

pub mod hub;
mod socket;

use std::time::Duration;

use axum::{
    extract::{
        State,
        ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection},
    },
    response::{IntoResponse, Response},
};
use http::{HeaderMap, StatusCode};
use tower_sessions::Session;

pub use hub::{Hub, LiveStats};

use crate::http::AppState;

/// The channel's limits and rhythms.
#[derive(Debug, Clone, Copy)]
pub struct LiveSettings {
    /// Messages waiting for one socket; a client that lets more pile up has stopped reading and is cut off.
    pub queue: usize,
    /// Topics one socket may watch at once.
    pub max_topics: usize,
    /// How often the server pings; a peer silent for three of these is taken for dead.
    pub heartbeat: Duration,
    /// How often a socket re-checks that its session still holds (from memory, which forgets every change).
    pub recheck: Duration,
    /// How long one write may take before the client is taken for stuck.
    pub write_timeout: Duration,
}

impl Default for LiveSettings {
    fn default() -> Self {
        Self {
            queue: 64,
            max_topics: 32,
            heartbeat: Duration::from_secs(15),
            recheck: Duration::from_secs(2),
            write_timeout: Duration::from_secs(10),
        }
    }
}

/// Socket buffer sizes: a connection's memory is mostly these, so they are sized for small JSON messages (the
/// defaults, 128 KiB to read and write, would cost that much per watcher). Client messages are small; events are
/// under NOTIFY's 8,000 bytes.
const READ_BUFFER: usize = 1024;
const MAX_CLIENT_MESSAGE: usize = 4 * 1024;
const MAX_WRITE_BUFFER: usize = 64 * 1024;

/// `GET /ws`: refused before the upgrade unless the Origin is ours (401 without a session, 403 from another site).
pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if !crate::http::csrf::comes_from_us(&headers, &state.trusted_origins) {
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
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let hub = state.live.clone();
    let context = state.context.clone();
    upgrade
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| socket::run(socket, hub, context, session, viewer))
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
