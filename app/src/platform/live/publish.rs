//! Publishing: a module calls [`publish`] inside its `TenantTx`. The topic's next sequence number is taken from
//! `live_topics` in that transaction (so every server process agrees on it, and publishers of one topic queue
//! behind each other in commit order), and the event travels by `NOTIFY`, which PostgreSQL delivers only at
//! commit: a rolled-back change never reaches a screen.
//!
//! The wire message is serialized here, once per event; every server process forwards those bytes to each
//! watcher as they are.

use crate::platform::tenancy::TenantTx;

use super::{Event, ServerMessage, Topic};

/// The notification channel of live events (the server's bus listens to it).
pub const CHANNEL: &str = "atrium_live";

/// NOTIFY refuses payloads of 8,000 bytes or more; an event that would not fit is sent as a `resync` notice.
pub const MAX_PAYLOAD: usize = 7_900;

/// Publishes `event` on `topic` of the transaction's tenant, if and when the transaction commits. Answers the
/// event's sequence number.
pub async fn publish(tx: &mut TenantTx, topic: Topic, event: &Event) -> Result<i64, sqlx::Error> {
    let seq: i64 = sqlx::query_scalar(
        "insert into live_topics (tenant_id, topic, seq) values (current_tenant_id(), $1, 1)
         on conflict (tenant_id, topic) do update set seq = live_topics.seq + 1
         returning seq",
    )
    .bind(topic.to_string())
    .fetch_one(tx.conn())
    .await?;
    let payload = notice(tx.tenant_id(), topic, seq, event);
    sqlx::query("select pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(tx.conn()).await?;
    Ok(seq)
}

/// The topic's sequence number now (0 before its first event): what a new subscriber starts from.
pub async fn current_seq(tx: &mut TenantTx, topic: Topic) -> Result<i64, sqlx::Error> {
    let seq: Option<i64> = sqlx::query_scalar("select seq from live_topics where topic = $1")
        .bind(topic.to_string())
        .fetch_optional(tx.conn())
        .await?;
    Ok(seq.unwrap_or(0))
}

/// A session's tag on the live channel: a digest of its id (the id itself is a bearer secret, kept out of notices).
pub fn session_tag(id: &tower_sessions::session::Id) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(id.to_string().as_bytes());
    digest.iter().take(16).map(|byte| format!("{byte:02x}")).collect()
}

/// Tells every server process that the session tagged `tag` ended (sign-out): its sockets close.
pub async fn session_ended(pool: &sqlx::PgPool, tag: &str) -> Result<(), sqlx::Error> {
    sqlx::query("select pg_notify($1, $2)").bind(CHANNEL).bind(format!("{ENDED} {tag}")).execute(pool).await?;
    Ok(())
}

/// Tells every server process that tab `key` is on `topic` doing what `present` says (or left it: `None`).
pub async fn announce_presence(
    pool: &sqlx::PgPool,
    tenant: uuid::Uuid,
    topic: Topic,
    key: &str,
    present: Option<&super::Present>,
) -> Result<(), sqlx::Error> {
    let present = serde_json::to_string(&present).unwrap_or_else(|_| "null".into());
    let payload = format!("{PRESENCE} {tenant} {topic} {key} {present}");
    sqlx::query("select pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(pool).await?;
    Ok(())
}

/// The first word of a presence notice.
pub const PRESENCE: &str = "presence";

/// A presence notice read back.
#[derive(Debug, PartialEq, Eq)]
pub struct PresenceNotice<'a> {
    pub tenant: uuid::Uuid,
    pub topic: Topic,
    pub key: &'a str,
    pub present: Option<super::Present>,
}

impl<'a> PresenceNotice<'a> {
    /// `rest`: the payload after `presence `.
    pub fn parse(rest: &'a str) -> Option<Self> {
        let mut words = rest.splitn(4, ' ');
        let tenant = uuid::Uuid::parse_str(words.next()?).ok()?;
        let topic = Topic::parse(words.next()?)?;
        let key = words.next()?;
        let present = serde_json::from_str(words.next()?).ok()?;
        Some(Self { tenant, topic, key, present })
    }
}

/// Records that `user_id` is connected (the live channel calls it at most once a minute per socket), so server
/// code on any instance can ask whether someone is online.
pub async fn seen(tx: &mut TenantTx, user_id: uuid::Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into live_last_seen (tenant_id, user_id, seen_at) values (current_tenant_id(), $1, now())
         on conflict (tenant_id, user_id) do update set seen_at = excluded.seen_at",
    )
    .bind(user_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Someone counts as online while a socket of theirs was seen within this long (sockets refresh every minute).
pub const ONLINE_WITHIN_SECONDS: i64 = 150;

/// Whether `user_id` has a live socket open on any server process (within a minute or two).
pub async fn is_online(tx: &mut TenantTx, user_id: uuid::Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (select 1 from live_last_seen
                         where user_id = $1 and seen_at > now() - make_interval(secs => $2))",
    )
    .bind(user_id)
    .bind(ONLINE_WITHIN_SECONDS as f64)
    .fetch_one(tx.conn())
    .await
}

/// The first word of a session-ended notice.
pub const ENDED: &str = "ended";

/// `<tenant> <topic> <wire message>`: the server routes by the first two words and forwards the rest verbatim.
fn notice(tenant: uuid::Uuid, topic: Topic, seq: i64, event: &Event) -> String {
    let name = topic.to_string();
    let message = ServerMessage::Event { topic: name.clone(), seq, event: event.clone() };
    let wire = serde_json::to_string(&message).unwrap_or_default();
    let payload = format!("{tenant} {name} {wire}");
    if payload.len() <= MAX_PAYLOAD && !wire.is_empty() {
        return payload;
    }
    let resync = serde_json::to_string(&ServerMessage::Resync { topic: Some(name.clone()) }).unwrap_or_default();
    format!("{tenant} {name} {resync}")
}

/// A notice read back: whose topic, and the bytes to send its watchers.
#[derive(Debug, PartialEq, Eq)]
pub struct Notice<'a> {
    pub tenant: uuid::Uuid,
    pub topic: Topic,
    pub wire: &'a str,
}

impl<'a> Notice<'a> {
    pub fn parse(payload: &'a str) -> Option<Self> {
        let (tenant, rest) = payload.split_once(' ')?;
        let (topic, wire) = rest.split_once(' ')?;
        Some(Self { tenant: uuid::Uuid::parse_str(tenant).ok()?, topic: Topic::parse(topic)?, wire })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_reads_back_and_a_large_event_becomes_a_resync() {
        let tenant = uuid::Uuid::now_v7();
        let small = notice(tenant, Topic::Demo, 7, &Event::Demo { text: "oi".into() });
        let read = Notice::parse(&small).unwrap();
        assert_eq!((read.tenant, read.topic), (tenant, Topic::Demo));
        let message: ServerMessage = serde_json::from_str(read.wire).unwrap();
        assert_eq!(
            message,
            ServerMessage::Event { topic: "demo".into(), seq: 7, event: Event::Demo { text: "oi".into() } }
        );

        let large = notice(tenant, Topic::Demo, 8, &Event::Demo { text: "x".repeat(MAX_PAYLOAD) });
        assert!(large.len() < MAX_PAYLOAD);
        let message: ServerMessage = serde_json::from_str(Notice::parse(&large).unwrap().wire).unwrap();
        assert_eq!(message, ServerMessage::Resync { topic: Some("demo".into()) });
    }
}
