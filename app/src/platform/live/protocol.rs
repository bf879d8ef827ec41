//! The wire protocol of `/ws`: JSON text frames, one message per frame, tagged by `type`.
//!
//! The client subscribes to topics and reports what it is doing; the server confirms each subscription with the
//! topic's current sequence number, then sends the topic's events, each with the next number. A client that sees a
//! gap (a number other than last + 1), or is told to `resync`, refetches the topic's state; no event log is kept.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the browser sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Start receiving a topic's events (`jobs`, `board:<uuid>`, …). Answered by `subscribed` or `refused`.
    Subscribe {
        topic: String,
    },
    Unsubscribe {
        topic: String,
    },
    /// What this tab is doing on a subscribed topic; sent again whenever it changes.
    Presence {
        topic: String,
        activity: Activity,
    },
    /// Application-level heartbeat (browsers cannot send WebSocket pings); answered by `pong`.
    Ping,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The subscription holds; `seq` is the topic's number now (0 before its first event).
    Subscribed {
        topic: String,
        seq: i64,
    },
    /// The subscription is refused: unknown topic kind, or not the person's to watch. Nothing more is said about it
    /// (another tenant's id and a forbidden one look the same).
    Refused {
        topic: String,
    },
    /// Something changed on `topic`. `seq` follows the previous event's by one; otherwise events were missed.
    Event {
        topic: String,
        seq: i64,
        event: Event,
    },
    /// Events may have been missed (the server's bus reconnected, or an event was too large to carry): refetch
    /// `topic`'s state, or every subscribed topic's when `topic` is absent.
    Resync {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
    },
    /// Who is on `topic` now, and doing what (sent whenever it changes).
    Presence {
        topic: String,
        people: Vec<Present>,
    },
    Pong,
}

/// The events modules publish: ids and the changed fields only, what every subscriber of the topic may see.
/// Details a role may not see are fetched through permission-checked server functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The job queue's counts that need attention (`jobs`).
    JobCounts { dead: i64, retrying: i64 },
    /// A row of the topic changed (a card on a board, an application): refetch it; `version` decides conflicts.
    Changed { id: Uuid, version: i64 },
    /// The design gallery's demo.
    Demo { text: String },
}

/// What someone is doing on a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "doing", rename_all = "snake_case")]
pub enum Activity {
    Viewing,
    Editing { id: Uuid },
    Dragging { id: Uuid },
}

/// One person on a topic (one entry per tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Present {
    pub user_id: Uuid,
    pub name: String,
    pub activity: Activity,
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_the_readme_shows_them() {
        let subscribe: ClientMessage = serde_json::from_str(r#"{"type":"subscribe","topic":"jobs"}"#).unwrap();
        assert_eq!(subscribe, ClientMessage::Subscribe { topic: "jobs".into() });
        let event = ServerMessage::Event { topic: "demo".into(), seq: 3, event: Event::Demo { text: "oi".into() } };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"type":"event","topic":"demo","seq":3,"event":{"kind":"demo","text":"oi"}}"#
        );
        assert_eq!(serde_json::to_string(&ServerMessage::Resync { topic: None }).unwrap(), r#"{"type":"resync"}"#);
    }
}
