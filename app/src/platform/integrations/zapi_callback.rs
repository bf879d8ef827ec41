//! What Z-API POSTs to our webhooks: received messages and delivery statuses. Shared by the webhook intake (which
//! stores every callback, known or not) and the CRM / enrollment agent that act on them. Unknown callback types
//! parse as `Other` and unknown fields are ignored, so a gateway update never makes the intake refuse a callback.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One callback, told apart by its `type` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ZapiCallback {
    #[serde(rename = "ReceivedCallback")]
    Received(Box<ReceivedCallback>),
    #[serde(rename = "MessageStatusCallback")]
    MessageStatus(MessageStatusCallback),
    /// Any other type (`DeliveryCallback`, `PresenceChatCallback`, `ConnectedCallback`, …): stored, not acted on.
    #[serde(other)]
    Other,
}

/// A message in a chat of the session: sent to us, or sent by us from the phone (`from_me`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReceivedCallback {
    pub instance_id: String,
    /// The WhatsApp message id: the deduplication key of the intake.
    pub message_id: String,
    /// The chat's number, E.164 digits (a group id for groups).
    pub phone: String,
    pub from_me: bool,
    /// When it was sent, in milliseconds since the epoch (Z-API's spelling).
    pub momment: i64,
    pub chat_name: Option<String>,
    pub sender_name: Option<String>,
    pub is_group: bool,
    pub status: Option<String>,
    pub text: Option<TextContent>,
    pub image: Option<ImageContent>,
    pub document: Option<DocumentContent>,
    pub audio: Option<AudioContent>,
}

impl ReceivedCallback {
    pub fn sent_at(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.momment)
    }

    /// The text a person wrote: the message, or the caption of an image.
    pub fn text(&self) -> Option<&str> {
        self.text
            .as_ref()
            .map(|text| text.message.as_str())
            .or_else(|| self.image.as_ref().and_then(|image| image.caption.as_deref()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TextContent {
    pub message: String,
}

/// Media URLs point at Z-API's storage and expire: the intake downloads and keeps a copy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ImageContent {
    pub image_url: String,
    pub caption: Option<String>,
    pub mime_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DocumentContent {
    pub document_url: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AudioContent {
    pub audio_url: String,
    pub mime_type: Option<String>,
}

/// A change in the delivery of messages we sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageStatusCallback {
    pub instance_id: String,
    pub status: MessageStatus,
    /// The message ids this status is about (`SentMessage::message_id`).
    pub ids: Vec<String>,
    pub momment: i64,
    pub phone: String,
    pub is_group: bool,
}

/// Delivery status. `Unknown` keeps a status Z-API adds later from breaking parsing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum MessageStatus {
    Sent,
    Received,
    Read,
    ReadByMe,
    Played,
    Unknown(String),
}

impl Default for MessageStatus {
    fn default() -> Self {
        Self::Unknown(String::new())
    }
}

impl MessageStatus {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Sent => "SENT",
            Self::Received => "RECEIVED",
            Self::Read => "READ",
            Self::ReadByMe => "READ_BY_ME",
            Self::Played => "PLAYED",
            Self::Unknown(other) => other,
        }
    }
}

impl From<String> for MessageStatus {
    fn from(value: String) -> Self {
        match value.as_str() {
            "SENT" => Self::Sent,
            "RECEIVED" => Self::Received,
            "READ" => Self::Read,
            "READ_BY_ME" => Self::ReadByMe,
            "PLAYED" => Self::Played,
            _ => Self::Unknown(value),
        }
    }
}

impl From<MessageStatus> for String {
    fn from(value: MessageStatus) -> Self {
        value.as_str().to_string()
    }
}

#[cfg(all(test, feature = "ssr"))]
#[path = "zapi_callback_tests.rs"]
mod tests;
