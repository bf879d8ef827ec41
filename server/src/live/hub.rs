//! The hub: which connection of this process watches which topic, and the fan-out of events to them.
//!
//! Events arrive only through the bus (`atrium_live` notices, this process's own included), so every process
//! delivers the same events the same way. An event's frame is built once and written by the fan-out straight to
//! every watcher's socket (`outbox`), spread over a few lanes that run in parallel; a socket belongs to one lane, so
//! its events keep their order. What a socket does not take at once waits, bounded: a watcher with too much waiting
//! has stopped reading, and is cut off (it reconnects and resyncs) rather than let memory grow or hold others back.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use app::platform::{
    directory::{self, Change},
    live::{
        Present, ServerMessage, Topic, TopicKind,
        publish::{CHANNEL, ENDED, Notice, PRESENCE, PresenceNotice},
    },
};
use axum::body::Bytes;
use tokio::{
    net::tcp::OwnedWriteHalf,
    sync::{Notify, mpsc},
    time::Instant,
};
use uuid::Uuid;

use super::{
    LiveSettings,
    outbox::{Offer, Outbox, text_frame},
};

/// A topic of one tenant.
pub type TopicKey = (Uuid, Topic);

/// The tabs on one topic (by tab key): what each is doing, and when that was last heard.
type Tabs = HashMap<String, (Present, Instant)>;

/// One open socket, as the hub sees it.
#[derive(Debug)]
pub struct Conn {
    pub id: u64,
    pub tenant: Uuid,
    pub user_id: Uuid,
    /// The session's tag (`publish::session_tag`), to close its sockets at sign-out.
    pub session: String,
    /// Its socket's outgoing side.
    pub out: Outbox,
    cut_off: AtomicBool,
    cut: Notify,
    /// Something about its person or tenant changed: its task re-checks the session.
    pub recheck: Notify,
}

impl Conn {
    /// Writes a frame (or keeps it until the socket drains); too much waiting cuts the connection off. Answers
    /// whether the frame goes out.
    fn offer(&self, frame: Bytes, stats: &Counters) -> bool {
        match self.out.offer(frame) {
            Offer::Sent | Offer::Waiting => true,
            Offer::Over => {
                self.slow(stats);
                false
            }
            Offer::Closed => false,
        }
    }

    /// The client stopped reading: cut it off (counted once).
    fn slow(&self, stats: &Counters) {
        if !self.cut_off.swap(true, Ordering::SeqCst) {
            stats.slow_drops.fetch_add(1, Ordering::Relaxed);
            tracing::info!(conn = self.id, "live: a client stopped reading; cutting it off");
        }
        self.cut.notify_one();
    }

    /// Ends the connection (slow reader, session ended).
    pub fn cut_off(&self) {
        self.cut_off.store(true, Ordering::SeqCst);
        self.cut.notify_one();
    }

    /// Resolves once the connection was cut off.
    pub async fn was_cut_off(&self) {
        if self.cut_off.load(Ordering::SeqCst) {
            return;
        }
        self.cut.notified().await;
    }
}

#[derive(Debug, Default)]
struct Counters {
    published: AtomicU64,
    delivered: AtomicU64,
    slow_drops: AtomicU64,
    bus_reconnects: AtomicU64,
}

/// Figures for `/metrics` and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveStats {
    pub connections: usize,
    /// Subscriptions per topic kind (name, count).
    pub subscriptions: Vec<(&'static str, usize)>,
    /// Events this process heard from the bus (each published event once per process).
    pub events_published: u64,
    /// Messages queued to a socket (one per event and watcher).
    pub events_delivered: u64,
    pub slow_client_drops: u64,
    pub bus_reconnects: u64,
}

/// One per server process (a shared handle).
#[derive(Debug, Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    settings: LiveSettings,
    next_id: AtomicU64,
    connections: Mutex<HashMap<u64, Arc<Conn>>>,
    topics: RwLock<HashMap<TopicKey, HashMap<u64, Arc<Conn>>>>,
    /// Who is on each topic, from every process (by tab key), as the bus told us.
    presence: Mutex<HashMap<TopicKey, Tabs>>,
    /// When this process last wrote each person's `last_seen`.
    seen: Mutex<HashMap<Uuid, Instant>>,
    /// This process's part of each tab key (`<process>.<connection>`).
    process: Uuid,
    /// Set once the bus heard and then lost its connection: the next `hearing` tells every client to resync.
    missed: AtomicBool,
    heard_once: AtomicBool,
    /// The process is stopping: sockets close with "going away" (1001), and tabs reconnect elsewhere.
    going_away: AtomicBool,
    stats: Counters,
    /// The fan-out's lanes (started with the first event, inside the runtime).
    lanes: std::sync::OnceLock<Vec<mpsc::UnboundedSender<Delivery>>>,
}

/// One event for one lane's watchers of a topic.
struct Delivery {
    frame: Bytes,
    watchers: Vec<Arc<Conn>>,
}

/// A person's `last_seen` is written at most this often by one process.
const SEEN_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Writes between two yields of a lane: a long fan-out lets the worker's other tasks (requests) run meanwhile.
const WRITES_PER_TURN: usize = 128;

impl Hub {
    pub fn new(settings: LiveSettings) -> Self {
        Self {
            inner: Arc::new(Inner {
                settings,
                next_id: AtomicU64::new(1),
                connections: Mutex::default(),
                topics: RwLock::default(),
                presence: Mutex::default(),
                seen: Mutex::default(),
                process: Uuid::now_v7(),
                missed: AtomicBool::new(false),
                heard_once: AtomicBool::new(false),
                going_away: AtomicBool::new(false),
                stats: Counters::default(),
                lanes: std::sync::OnceLock::new(),
            }),
        }
    }

    pub fn settings(&self) -> &LiveSettings {
        &self.inner.settings
    }

    /// Registers a new socket, given its outgoing side.
    pub fn connect(&self, tenant: Uuid, user_id: Uuid, session: String, socket: OwnedWriteHalf) -> Arc<Conn> {
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let out = Outbox::new(socket, self.inner.settings.waiting_bytes);
        let conn = Arc::new(Conn {
            id,
            tenant,
            user_id,
            session,
            out,
            cut_off: AtomicBool::new(false),
            cut: Notify::new(),
            recheck: Notify::new(),
        });
        lock(&self.inner.connections).insert(id, conn.clone());
        conn
    }

    /// `conn`'s client took nothing for too long while bytes waited: cut it off as a slow client.
    pub fn stuck(&self, conn: &Conn) {
        conn.slow(&self.inner.stats);
    }

    /// Forgets a socket and every subscription it held.
    pub fn disconnect(&self, conn: &Conn, topics: impl IntoIterator<Item = Topic>) {
        for topic in topics {
            self.unsubscribe(conn, topic);
        }
        lock(&self.inner.connections).remove(&conn.id);
    }

    pub fn subscribe(&self, conn: &Arc<Conn>, topic: Topic) {
        let mut topics = self.inner.topics.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        topics.entry((conn.tenant, topic)).or_default().insert(conn.id, conn.clone());
    }

    pub fn unsubscribe(&self, conn: &Conn, topic: Topic) {
        let mut topics = self.inner.topics.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(watchers) = topics.get_mut(&(conn.tenant, topic)) {
            watchers.remove(&conn.id);
            if watchers.is_empty() {
                topics.remove(&(conn.tenant, topic));
            }
        }
    }

    /// Whether this socket should write its person's `last_seen` now: yes if no socket of theirs in this process
    /// did in the last minute (and then the others need not).
    pub fn claim_seen(&self, user_id: Uuid) -> bool {
        let mut seen = lock(&self.inner.seen);
        if seen.get(&user_id).is_some_and(|at| at.elapsed() < SEEN_EVERY) {
            return false;
        }
        if seen.len() >= 4096 {
            seen.retain(|_, at| at.elapsed() < SEEN_EVERY);
        }
        seen.insert(user_id, Instant::now());
        true
    }

    /// The write `claim_seen` allowed failed: the next socket to ask tries again.
    pub fn unclaim_seen(&self, user_id: Uuid) {
        lock(&self.inner.seen).remove(&user_id);
    }

    /// The tab key of `conn` in presence notices: unique across processes.
    pub fn presence_key(&self, conn: &Conn) -> String {
        format!("{}.{}", self.inner.process.simple(), conn.id)
    }

    /// Who is on `key` now.
    fn people(&self, key: &TopicKey) -> Vec<Present> {
        let mut presence = lock(&self.inner.presence);
        // A tab not re-announced for three heartbeats belonged to a process that died.
        let stale = self.inner.settings.heartbeat * 3;
        let Some(tabs) = presence.get_mut(key) else { return Vec::new() };
        tabs.retain(|_, (_, heard)| heard.elapsed() <= stale);
        let mut people: Vec<Present> = tabs.values().map(|(present, _)| present.clone()).collect();
        people.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
        people
    }

    /// Queues the topic's presence to one new watcher (if anyone is there).
    pub fn presence_to(&self, conn: &Conn, topic: Topic) {
        let people = self.people(&(conn.tenant, topic));
        if !people.is_empty() {
            let frame = text_frame(&wire(&ServerMessage::Presence { topic: topic.to_string(), people }));
            self.deliver(conn, frame);
        }
    }

    fn presence_notice(&self, notice: PresenceNotice<'_>) {
        let key = (notice.tenant, notice.topic);
        {
            let mut presence = lock(&self.inner.presence);
            let tabs = presence.entry(key).or_default();
            let changed = match notice.present {
                Some(present) => {
                    let before = tabs.insert(notice.key.to_string(), (present.clone(), Instant::now()));
                    before.is_none_or(|(was, _)| was != present)
                }
                None => tabs.remove(notice.key).is_some(),
            };
            if tabs.is_empty() {
                presence.remove(&key);
            }
            if !changed {
                return;
            }
        }
        let people = self.people(&key);
        self.fan_out(&key, &wire(&ServerMessage::Presence { topic: notice.topic.to_string(), people }));
    }

    /// Sends `message` (already serialized) to every watcher of `key` in this process: framed once, then each lane
    /// writes it to its share of the watchers.
    pub fn fan_out(&self, key: &TopicKey, message: &str) {
        let lanes = self.lanes();
        let mut shares: Vec<Vec<Arc<Conn>>> = vec![Vec::new(); lanes.len()];
        {
            let topics = self.inner.topics.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            for conn in topics.get(key).into_iter().flat_map(HashMap::values) {
                shares[conn.id as usize % lanes.len()].push(conn.clone());
            }
        }
        let frame = text_frame(message);
        for (lane, watchers) in lanes.iter().zip(shares) {
            if !watchers.is_empty() {
                let _ = lane.send(Delivery { frame: frame.clone(), watchers });
            }
        }
    }

    /// Writes one frame to one socket now, counting it.
    fn deliver(&self, conn: &Conn, frame: Bytes) {
        if conn.offer(frame, &self.inner.stats) {
            self.inner.stats.delivered.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// One lane per worker thread, each a task writing its deliveries in order.
    fn lanes(&self) -> &[mpsc::UnboundedSender<Delivery>] {
        self.inner.lanes.get_or_init(|| {
            let count = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
            (0..count)
                .map(|_| {
                    let (sender, receiver) = mpsc::unbounded_channel();
                    tokio::spawn(lane(Arc::downgrade(&self.inner), receiver));
                    sender
                })
                .collect()
        })
    }

    /// Asks the sockets `change` may concern to re-check their session now (a person deactivated, their role or
    /// password changed, a tenant changed), instead of every socket polling its session.
    pub fn recheck(&self, change: &Change) {
        let concerned = |conn: &Conn| match change {
            Change::Person(id) => conn.user_id == *id,
            Change::Tenant(id) => conn.tenant == *id,
            Change::Everything => true,
        };
        for conn in lock(&self.inner.connections).values().filter(|conn| concerned(conn)) {
            conn.recheck.notify_one();
        }
    }

    /// Closes every socket of the session tagged `tag` (signed out).
    pub fn session_ended(&self, tag: &str) {
        for conn in lock(&self.inner.connections).values().filter(|conn| conn.session == tag) {
            conn.cut_off();
        }
    }

    /// At shutdown: tells every socket of this process the server is going away (close 1001, so the tab reconnects
    /// at once instead of waiting for a dead peer), then waits up to `wait` for them to close.
    pub async fn close_all(&self, wait: std::time::Duration) {
        self.inner.going_away.store(true, Ordering::SeqCst);
        for conn in lock(&self.inner.connections).values() {
            conn.cut_off();
        }
        let deadline = Instant::now() + wait;
        while !lock(&self.inner.connections).is_empty() && Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    pub fn is_going_away(&self) -> bool {
        self.inner.going_away.load(Ordering::SeqCst)
    }

    fn everyone_resync(&self) {
        let frame = text_frame(&wire(&ServerMessage::Resync { topic: None }));
        for conn in lock(&self.inner.connections).values() {
            self.deliver(conn, frame.clone());
        }
    }

    pub fn stats(&self) -> LiveStats {
        let topics = self.inner.topics.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let subscriptions = TopicKind::ALL
            .into_iter()
            .map(|kind| {
                let count = topics.iter().filter(|((_, topic), _)| topic.kind() == kind).map(|(_, w)| w.len()).sum();
                (kind.name(), count)
            })
            .collect();
        let stats = &self.inner.stats;
        LiveStats {
            connections: lock(&self.inner.connections).len(),
            subscriptions,
            events_published: stats.published.load(Ordering::Relaxed),
            events_delivered: stats.delivered.load(Ordering::Relaxed),
            slow_client_drops: stats.slow_drops.load(Ordering::Relaxed),
            bus_reconnects: stats.bus_reconnects.load(Ordering::Relaxed),
        }
    }
}

/// A message's wire text.
pub fn wire(message: &ServerMessage) -> String {
    serde_json::to_string(message).unwrap_or_default()
}

/// A fan-out lane: writes each delivery to its watchers, yielding now and then; ends with the hub.
async fn lane(hub: std::sync::Weak<Inner>, mut deliveries: mpsc::UnboundedReceiver<Delivery>) {
    while let Some(Delivery { frame, watchers }) = deliveries.recv().await {
        let Some(hub) = hub.upgrade() else { return };
        let mut delivered = 0;
        for (written, conn) in watchers.iter().enumerate() {
            if written > 0 && written % WRITES_PER_TURN == 0 {
                tokio::task::yield_now().await;
            }
            if conn.offer(frame.clone(), &hub.stats) {
                delivered += 1;
            }
        }
        hub.stats.delivered.fetch_add(delivered, Ordering::Relaxed);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl crate::bus::Subscriber for Hub {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn notice(&self, payload: &str) {
        if let Some(tag) = payload.strip_prefix(ENDED).and_then(|rest| rest.strip_prefix(' ')) {
            self.session_ended(tag);
            return;
        }
        if let Some(rest) = payload.strip_prefix(PRESENCE).and_then(|rest| rest.strip_prefix(' ')) {
            match PresenceNotice::parse(rest) {
                Some(notice) => self.presence_notice(notice),
                None => tracing::warn!("live: unreadable presence notice"),
            }
            return;
        }
        let Some(notice) = Notice::parse(payload) else {
            tracing::warn!("live: unreadable notice");
            return;
        };
        self.inner.stats.published.fetch_add(1, Ordering::Relaxed);
        self.fan_out(&(notice.tenant, notice.topic), notice.wire);
    }

    fn hearing(&self) {
        let heard_before = self.inner.heard_once.swap(true, Ordering::SeqCst);
        if self.inner.missed.swap(false, Ordering::SeqCst) {
            if heard_before {
                self.inner.stats.bus_reconnects.fetch_add(1, Ordering::Relaxed);
            }
            self.everyone_resync();
        }
    }

    fn deaf(&self) {
        self.inner.missed.store(true, Ordering::SeqCst);
        // Departures may go unheard meanwhile: start over (every socket re-announces at its next heartbeat).
        lock(&self.inner.presence).clear();
    }
}

/// The directory's change notices, as the hub hears them: each makes the sockets it concerns re-check their session
/// (the directory, an earlier subscriber of the same notice, has forgotten the old record by then). A bus that was
/// deaf for a while may have missed some: every socket re-checks once it hears again.
#[derive(Debug, Clone)]
pub struct DirectoryChanges(pub Hub);

impl crate::bus::Subscriber for DirectoryChanges {
    fn channel(&self) -> &'static str {
        directory::CHANNEL
    }

    fn notice(&self, payload: &str) {
        self.0.recheck(&Change::parse(payload));
    }

    fn hearing(&self) {
        self.0.recheck(&Change::Everything);
    }

    fn deaf(&self) {}
}
