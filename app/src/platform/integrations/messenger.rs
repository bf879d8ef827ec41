//! Sending WhatsApp messages through a gateway (Z-API). Each institution has two WhatsApp sessions: the AI agent's
//! number and the consultants' number. Services see only the `Messenger` trait; the Z-API client and its fake
//! live in `server/src/integrations/zapi/`. What Z-API posts back (received messages, delivery statuses) is parsed
//! by `zapi_callback`.

use std::{future::Future, pin::Pin, str::FromStr};

use serde::{Deserialize, Serialize};

/// One WhatsApp session (a Z-API "instance"). Both parts are secrets (the token authorizes sending as this
/// number), so it is not `Serialize` and `Debug` shows only the instance id.
#[derive(Clone, PartialEq, Eq)]
pub struct MessengerSession {
    pub instance_id: String,
    pub token: String,
}

impl std::fmt::Debug for MessengerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessengerSession")
            .field("instance_id", &self.instance_id)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Which of a tenant's two sessions: the AI agent's or the consultants'. Also the path segment of its webhook
/// (`/webhooks/zapi/{tenant-token}/agent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Agent,
    Consultant,
}

impl SessionKind {
    pub const ALL: [Self; 2] = [Self::Agent, Self::Consultant];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Consultant => "consultant",
        }
    }
}

impl FromStr for SessionKind {
    type Err = UnknownSessionKind;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value).ok_or(UnknownSessionKind)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown session kind (expected `agent` or `consultant`)")]
pub struct UnknownSessionKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    /// The WhatsApp message id: status callbacks name it in `ids`.
    pub message_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessengerError {
    /// The gateway is down or its circuit breaker is open. Sends are not retried automatically (a retry could
    /// deliver the message twice); the caller decides.
    #[error("{dependency} is unavailable, try again later")]
    Unavailable { dependency: &'static str },
    /// The gateway refused (wrong token, disconnected session, bad number): `message` is its explanation.
    #[error("refused by the messaging gateway: {message}")]
    Rejected { message: String },
    #[error("unexpected messaging gateway error: {0}")]
    Unexpected(String),
}

pub type MessengerFuture<'a> = Pin<Box<dyn Future<Output = Result<SentMessage, MessengerError>> + Send + 'a>>;

/// A WhatsApp gateway. `phone` is E.164 digits without `+` (`5511987654321`). Dyn-compatible.
pub trait Messenger: Send + Sync {
    fn send_text<'a>(&'a self, session: &'a MessengerSession, phone: &'a str, text: &'a str) -> MessengerFuture<'a>;

    /// A document by URL (the gateway downloads it); `file_name` is what the recipient sees, extension included.
    fn send_document<'a>(
        &'a self,
        session: &'a MessengerSession,
        phone: &'a str,
        url: &'a str,
        file_name: &'a str,
    ) -> MessengerFuture<'a>;

    fn send_image<'a>(
        &'a self,
        session: &'a MessengerSession,
        phone: &'a str,
        url: &'a str,
        caption: Option<&'a str>,
    ) -> MessengerFuture<'a>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_kinds_parse_from_their_path_segment() {
        for kind in SessionKind::ALL {
            assert_eq!(kind.as_str().parse::<SessionKind>(), Ok(kind));
        }
        assert_eq!("admin".parse::<SessionKind>(), Err(UnknownSessionKind));
    }

    #[test]
    fn the_session_token_never_shows_in_debug() {
        let session = MessengerSession { instance_id: "3C0FFEE".into(), token: "tok_secret".into() };
        let shown = format!("{session:?}");
        assert!(shown.contains("3C0FFEE") && !shown.contains("tok_secret"), "{shown}");
    }
}
