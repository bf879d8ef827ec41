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

/// What the server sends. The browser reads it (and [`Event`], [`Activity`]) through a flat struct of the same
/// JSON (`wire`): serde reads an internally tagged enum by buffering the whole object first, and that buffering
/// code went into the main wasm every page loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "wire::ServerMessage")]
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
#[serde(tag = "kind", rename_all = "snake_case", try_from = "wire::Event")]
pub enum Event {
    /// The job queue's counts that need attention (`jobs`).
    JobCounts { dead: i64, retrying: i64 },
    /// A row of the topic changed (a card on a board, an application): refetch it; `version` decides conflicts.
    Changed { id: Uuid, version: i64 },
    /// The design gallery's demo.
    Demo { text: String },
    /// A lead was assigned to the person whose topic (`user:<id>`) this is; `name` is the lead's.
    Assigned { id: Uuid, name: String },
}

/// What someone is doing on a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "doing", rename_all = "snake_case", try_from = "wire::Activity")]
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

/// The messages the browser reads, as flat structs of the same JSON: each `type`/`kind`/`doing` says which of the
/// optional fields must be there.
mod wire {
    use serde::Deserialize;
    use uuid::Uuid;

    use super::Present;

    const INCOMPLETE: &str = "a message without a field its type needs";

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum MessageType {
        Subscribed,
        Refused,
        Event,
        Resync,
        Presence,
        Pong,
    }

    #[derive(Deserialize)]
    pub(super) struct ServerMessage {
        #[serde(rename = "type")]
        kind: MessageType,
        topic: Option<String>,
        seq: Option<i64>,
        event: Option<super::Event>,
        people: Option<Vec<Present>>,
    }

    impl TryFrom<ServerMessage> for super::ServerMessage {
        type Error = &'static str;

        fn try_from(wire: ServerMessage) -> Result<Self, Self::Error> {
            let ServerMessage { kind, topic, seq, event, people } = wire;
            Ok(match kind {
                MessageType::Subscribed => {
                    Self::Subscribed { topic: topic.ok_or(INCOMPLETE)?, seq: seq.ok_or(INCOMPLETE)? }
                }
                MessageType::Refused => Self::Refused { topic: topic.ok_or(INCOMPLETE)? },
                MessageType::Event => Self::Event {
                    topic: topic.ok_or(INCOMPLETE)?,
                    seq: seq.ok_or(INCOMPLETE)?,
                    event: event.ok_or(INCOMPLETE)?,
                },
                MessageType::Resync => Self::Resync { topic },
                MessageType::Presence => {
                    Self::Presence { topic: topic.ok_or(INCOMPLETE)?, people: people.ok_or(INCOMPLETE)? }
                }
                MessageType::Pong => Self::Pong,
            })
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum EventKind {
        JobCounts,
        Changed,
        Demo,
        Assigned,
    }

    #[derive(Deserialize)]
    pub(super) struct Event {
        kind: EventKind,
        dead: Option<i64>,
        retrying: Option<i64>,
        id: Option<Uuid>,
        version: Option<i64>,
        text: Option<String>,
        name: Option<String>,
    }

    impl TryFrom<Event> for super::Event {
        type Error = &'static str;

        fn try_from(wire: Event) -> Result<Self, Self::Error> {
            let Event { kind, dead, retrying, id, version, text, name } = wire;
            Ok(match kind {
                EventKind::JobCounts => {
                    Self::JobCounts { dead: dead.ok_or(INCOMPLETE)?, retrying: retrying.ok_or(INCOMPLETE)? }
                }
                EventKind::Changed => Self::Changed { id: id.ok_or(INCOMPLETE)?, version: version.ok_or(INCOMPLETE)? },
                EventKind::Demo => Self::Demo { text: text.ok_or(INCOMPLETE)? },
                EventKind::Assigned => Self::Assigned { id: id.ok_or(INCOMPLETE)?, name: name.ok_or(INCOMPLETE)? },
            })
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Doing {
        Viewing,
        Editing,
        Dragging,
    }

    #[derive(Deserialize)]
    pub(super) struct Activity {
        doing: Doing,
        id: Option<Uuid>,
    }

    impl TryFrom<Activity> for super::Activity {
        type Error = &'static str;

        fn try_from(wire: Activity) -> Result<Self, Self::Error> {
            Ok(match wire.doing {
                Doing::Viewing => Self::Viewing,
                Doing::Editing => Self::Editing { id: wire.id.ok_or(INCOMPLETE)? },
                Doing::Dragging => Self::Dragging { id: wire.id.ok_or(INCOMPLETE)? },
            })
        }
    }
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

    #[test]
    fn every_server_message_reads_back_as_it_was_written_and_an_incomplete_one_is_refused() {
        let id = Uuid::now_v7();
        let person = |activity| Present { user_id: id, name: "Ana".into(), activity };
        let messages = [
            ServerMessage::Subscribed { topic: "jobs".into(), seq: 0 },
            ServerMessage::Refused { topic: "board:x".into() },
            ServerMessage::Event { topic: "jobs".into(), seq: 4, event: Event::JobCounts { dead: 1, retrying: 2 } },
            ServerMessage::Event { topic: "board:x".into(), seq: 5, event: Event::Changed { id, version: 7 } },
            ServerMessage::Event { topic: "demo".into(), seq: 6, event: Event::Demo { text: "oi".into() } },
            ServerMessage::Event {
                topic: "user:x".into(),
                seq: 7,
                event: Event::Assigned { id, name: "Maria".into() },
            },
            ServerMessage::Resync { topic: None },
            ServerMessage::Resync { topic: Some("jobs".into()) },
            ServerMessage::Presence {
                topic: "board:x".into(),
                people: vec![
                    person(Activity::Viewing),
                    person(Activity::Editing { id }),
                    person(Activity::Dragging { id }),
                ],
            },
            ServerMessage::Pong,
        ];
        for message in messages {
            let json = serde_json::to_string(&message).unwrap();
            assert_eq!(serde_json::from_str::<ServerMessage>(&json).unwrap(), message, "{json}");
        }
        for incomplete in [
            r#"{"type":"subscribed","topic":"jobs"}"#,
            r#"{"type":"event","topic":"jobs","seq":1}"#,
            r#"{"type":"event","topic":"jobs","seq":1,"event":{"kind":"job_counts","dead":1}}"#,
            r#"{"type":"presence","topic":"t","people":[{"user_id":"00000000-0000-0000-0000-000000000000","name":"A","activity":{"doing":"editing"}}]}"#,
            r#"{"type":"shout"}"#,
        ] {
            assert!(serde_json::from_str::<ServerMessage>(incomplete).is_err(), "{incomplete}");
        }
    }
}
