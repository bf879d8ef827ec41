//! One socket's life: read the client's messages, write its queue, ping, and re-check the session, until the
//! client leaves, stops answering, falls behind, or its session ends.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use app::platform::{
    AppError,
    auth::{Role, Viewer, viewer_of},
    context::ServerContext,
    live::{
        Activity, ClientMessage, Present, ServerMessage, Topic,
        publish::{announce_presence, current_seq, seen, session_tag},
        topic::Audience,
    },
    tenancy::TenantTx,
};
use axum::body::Bytes;
use futures_util::{SinkExt, StreamExt};
use tokio::{
    net::TcpStream,
    time::{Instant, MissedTickBehavior},
};
use tokio_tungstenite::{
    WebSocketStream,
    tungstenite::{
        Message, Utf8Bytes,
        protocol::{CloseFrame, Role as Side, frame::coding::CloseCode},
    },
};
use tower_sessions::Session;

use super::{
    duplex::Duplex,
    hub::{Conn, Hub, wire},
    outbox::text_frame,
};

/// Serves one upgraded connection: `read_ahead` is what the client sent after its upgrade request, already read.
pub async fn run(
    stream: TcpStream,
    read_ahead: Bytes,
    hub: Hub,
    context: ServerContext,
    session: Session,
    viewer: Viewer,
) {
    let settings = *hub.settings();
    let tag = session.id().map(|id| session_tag(&id)).unwrap_or_default();
    // Small frames, sent at once.
    let _ = stream.set_nodelay(true);
    let (reading, writing) = stream.into_split();
    let conn = hub.connect(viewer.tenant.id, viewer.user_id, tag, writing);
    let duplex = Duplex::new(read_ahead, reading, conn.clone());
    let mut socket = WebSocketStream::from_raw_socket(duplex, Side::Server, Some(super::socket_config())).await;
    let mut watching: HashSet<Topic> = HashSet::new();
    let mut here = Here { key: hub.presence_key(&conn), announced: HashMap::new(), counted_online: false };
    here.seen(&hub, &context, &viewer).await;
    let mut heartbeat = interval(settings.heartbeat);
    let mut recheck = interval(settings.recheck);
    let mut last_heard = Instant::now();
    // Made once and polled in place: a fresh wait per message would register and drop a waiter every time.
    let cut = conn.was_cut_off();
    tokio::pin!(cut);
    loop {
        // Events do not pass through here: the fan-out writes them to the socket itself (`outbox`). This task reads
        // the client, answers it, pings, re-checks the session, and writes what the socket could not take at once.
        let outgoing = tokio::select! {
            biased;
            () = &mut cut => {
                if hub.is_going_away() {
                    let _ = tokio::time::timeout(settings.write_timeout, socket.send(going_away())).await;
                }
                break;
            }
            drained = conn.out.drain(settings.write_timeout) => {
                if drained.is_err_and(|error| error.kind() == std::io::ErrorKind::TimedOut) {
                    hub.stuck(&conn);
                }
                break;
            }
            incoming = socket.next() => match incoming {
                Some(Ok(message)) => {
                    last_heard = Instant::now();
                    match message {
                        Message::Text(text) => {
                            match handle(&text, &hub, &conn, &context, &viewer, &mut watching, &mut here).await {
                                Some(reply) => Message::Text(reply.into()),
                                None => continue,
                            }
                        }
                        Message::Close(_) => {
                            // Writes the answering close frame (queued by the protocol): the last thing it may get.
                            let _ = socket.flush().await;
                            break;
                        }
                        // Pongs only prove the peer alive; pings are answered by the socket itself.
                        _ => continue,
                    }
                }
                _ => break,
            },
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > settings.heartbeat * 3 {
                    tracing::debug!(conn = conn.id, "live: peer silent; closing");
                    break;
                }
                here.reannounce(&context, &viewer).await;
                here.seen(&hub, &context, &viewer).await;
                Message::Ping(Default::default())
            }
            // When the directory tells of a change to this person or tenant, and now and then as a safety net.
            () = recheck_due(&conn, &mut recheck) => {
                if still_holds(&context, &session, &viewer).await {
                    continue;
                }
                let _ = send(&mut socket, Message::Close(None)).await;
                break;
            }
        };
        if !send(&mut socket, outgoing).await {
            break;
        }
    }
    conn.out.close();
    for topic in watching.iter().copied().collect::<Vec<_>>() {
        here.leave(&context, &viewer, topic).await;
    }
    hub.disconnect(&conn, watching);
}

/// This tab's presence: what it announced on which topic, and whether it counted its person as online yet.
struct Here {
    key: String,
    announced: HashMap<Topic, Present>,
    counted_online: bool,
}

impl Here {
    async fn announce(&mut self, context: &ServerContext, viewer: &Viewer, topic: Topic, activity: Activity) {
        let present = Present { user_id: viewer.user_id, name: viewer.name.clone(), activity };
        if self.announced.get(&topic) == Some(&present) {
            return;
        }
        self.tell(context, viewer, topic, Some(&present)).await;
        self.announced.insert(topic, present);
    }

    async fn leave(&mut self, context: &ServerContext, viewer: &Viewer, topic: Topic) {
        if self.announced.remove(&topic).is_some() {
            self.tell(context, viewer, topic, None).await;
        }
    }

    /// Every heartbeat: other processes forget a tab not heard from in three.
    async fn reannounce(&self, context: &ServerContext, viewer: &Viewer) {
        for (topic, present) in &self.announced {
            self.tell(context, viewer, *topic, Some(present)).await;
        }
    }

    async fn tell(&self, context: &ServerContext, viewer: &Viewer, topic: Topic, present: Option<&Present>) {
        if let Err(error) = announce_presence(&context.pool, viewer.tenant.id, topic, &self.key, present).await {
            tracing::warn!(%error, "live: could not announce presence");
        }
    }

    /// Records the person as seen, at most once a minute per person in this process (`Hub::claim_seen`): ten tabs
    /// of one person are one write, not ten.
    async fn seen(&mut self, hub: &Hub, context: &ServerContext, viewer: &Viewer) {
        if hub.claim_seen(viewer.user_id) {
            let written = async {
                let mut tx = TenantTx::begin(&context.pool, viewer.tenant.id).await?;
                seen(&mut tx, viewer.user_id).await?;
                tx.commit().await
            };
            if let Err(error) = written.await {
                tracing::warn!(%error, "live: could not record last_seen");
                hub.unclaim_seen(viewer.user_id);
            }
        }
        if !self.counted_online && viewer.role == Role::Consultant && viewer.tenant.modules.crm {
            self.counted_online = true;
            came_online(context, viewer).await;
        }
    }
}

/// A consultant's first socket counts them as present: leads waiting in the CRM queue may go to them now (in a
/// transaction of its own, after their presence committed).
async fn came_online(context: &ServerContext, viewer: &Viewer) {
    let drained = async {
        let mut tx = TenantTx::begin(&context.pool, viewer.tenant.id).await?;
        let handed = app::crm::distribution::drain_queue(&mut tx).await?;
        tx.commit().await?;
        Ok::<_, AppError>(handed)
    };
    match drained.await {
        Ok(0) => {}
        Ok(handed) => tracing::info!(handed, "crm: a consultant came online; queued leads handed out"),
        Err(error) => tracing::warn!(?error, "crm: could not hand out the queue when a consultant came online"),
    }
}

fn interval(period: Duration) -> tokio::time::Interval {
    let mut interval = tokio::time::interval_at(Instant::now() + period, period);
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    interval
}

/// Resolves when the session should be checked again: told (`Conn::recheck`) or the safety-net tick.
async fn recheck_due(conn: &Conn, recheck: &mut tokio::time::Interval) {
    tokio::select! {
        () = conn.recheck.notified() => {}
        _ = recheck.tick() => {}
    }
}

/// Writes one message. It never waits on the client: what the socket does not take at once waits in the outbox
/// (bounded; `drain` cuts off a client that stops reading).
async fn send(socket: &mut WebSocketStream<Duplex>, message: Message) -> bool {
    socket.send(message).await.is_ok()
}

/// The close frame of a server that is stopping: the tab reconnects (to another process, or to this one restarted).
fn going_away() -> Message {
    Message::Close(Some(CloseFrame {
        code: CloseCode::Away,
        reason: Utf8Bytes::from_static("O servidor está reiniciando."),
    }))
}

/// The session still holds, for the same person in the same role. A passing error (the database away for a
/// moment) keeps the socket: the next re-check decides.
async fn still_holds(context: &ServerContext, session: &Session, viewer: &Viewer) -> bool {
    match viewer_of(context, session).await {
        Ok(Some(now)) => now.user_id == viewer.user_id && now.role == viewer.role,
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "live: could not re-check a session");
            true
        }
    }
}

/// Answers one client message (if it needs an answer).
async fn handle(
    text: &str,
    hub: &Hub,
    conn: &Arc<Conn>,
    context: &ServerContext,
    viewer: &Viewer,
    watching: &mut HashSet<Topic>,
    here: &mut Here,
) -> Option<String> {
    let Ok(message) = serde_json::from_str::<ClientMessage>(text) else {
        tracing::debug!(conn = conn.id, "live: unreadable client message");
        return None;
    };
    match message {
        ClientMessage::Ping => Some(wire(&ServerMessage::Pong)),
        ClientMessage::Subscribe { topic: name } => {
            let refused = || Some(wire(&ServerMessage::Refused { topic: name.clone() }));
            let Some(topic) = Topic::parse(&name) else { return refused() };
            if !watching.contains(&topic) && watching.len() >= hub.settings().max_topics {
                return refused();
            }
            if !may_watch(context, viewer, topic).await {
                return refused();
            }
            // Watch first, then read the number: an event committed in between arrives with a number the client
            // already has, and is ignored; none is missed. The socket is held meanwhile, so the answer goes out
            // before any event of the topic (the fan-out writes to the socket itself).
            conn.out.hold();
            hub.subscribe(conn, topic);
            watching.insert(topic);
            let answer = match seq_now(context, viewer, topic).await {
                Ok(seq) => {
                    hub.presence_to(conn, topic);
                    wire(&ServerMessage::Subscribed { topic: name, seq })
                }
                Err(error) => {
                    tracing::warn!(%error, "live: could not read a topic's number");
                    hub.unsubscribe(conn, topic);
                    watching.remove(&topic);
                    wire(&ServerMessage::Refused { topic: name })
                }
            };
            conn.out.release_with(text_frame(&answer));
            None
        }
        ClientMessage::Unsubscribe { topic } => {
            if let Some(topic) = Topic::parse(&topic).filter(|topic| watching.remove(topic)) {
                hub.unsubscribe(conn, topic);
                here.leave(context, viewer, topic).await;
            }
            None
        }
        ClientMessage::Presence { topic, activity } => {
            if let Some(topic) = Topic::parse(&topic).filter(|topic| watching.contains(topic)) {
                here.announce(context, viewer, topic, activity).await;
            }
            None
        }
    }
}

async fn may_watch(context: &ServerContext, viewer: &Viewer, topic: Topic) -> bool {
    match topic.audience(viewer) {
        Audience::Yes => true,
        Audience::No => false,
        // Asked of the enrollment module, in the person's tenant; any doubt (an error) refuses.
        Audience::OwnApplication(id) => match owns_application(context, viewer, id).await {
            Ok(owns) => owns,
            Err(error) => {
                tracing::warn!(%error, "live: could not check an application's owner; refused");
                false
            }
        },
    }
}

async fn owns_application(context: &ServerContext, viewer: &Viewer, id: uuid::Uuid) -> Result<bool, AppError> {
    let mut tx = TenantTx::begin(&context.pool, viewer.tenant.id).await?;
    let owns = app::enrollment::applications::belongs_to(&mut tx, id, viewer.user_id).await?;
    tx.commit().await?;
    Ok(owns)
}

async fn seq_now(context: &ServerContext, viewer: &Viewer, topic: Topic) -> Result<i64, sqlx::Error> {
    let mut tx = TenantTx::begin(&context.pool, viewer.tenant.id).await?;
    let seq = current_seq(&mut tx, topic).await?;
    tx.commit().await?;
    Ok(seq)
}
