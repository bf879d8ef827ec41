//! The tab's one WebSocket, shared by every subscriber (browser only). Topics are reference-counted: the first
//! subscriber of a topic subscribes on the wire, the last one unsubscribes; with no topic left the socket closes
//! a few seconds later (a page change usually subscribes again at once).
//!
//! A dropped socket is reopened after an exponential, fully jittered wait (capped at 30 s), every topic subscribed
//! again, and each topic that moved on meanwhile told to resync. A ping every 15 s, unanswered by the next one,
//! marks the server dead (the server, in turn, pings the tab and drops it when silent).

use std::{cell::RefCell, collections::HashMap, time::Duration};

use leptos::{
    prelude::*,
    wasm_bindgen::{JsCast, closure::Closure},
};
use web_sys::{MessageEvent, WebSocket};

use super::{
    Activity, ClientMessage, Event, Present, ServerMessage, Topic,
    client::Sink,
    sequence::{self, Arrival},
    status::{Connection, set_connection},
};

const HEARTBEAT: Duration = Duration::from_secs(15);
const IDLE_CLOSE: Duration = Duration::from_secs(5);

thread_local! {
    static HUB: RefCell<Hub> = RefCell::new(Hub::default());
}

#[derive(Default)]
struct Hub {
    socket: Option<Socket>,
    /// Sockets closed from inside their own callbacks: dropped later, never while their closure runs.
    retired: Vec<Socket>,
    open: bool,
    topics: HashMap<Topic, Watched>,
    next_id: u64,
    /// Failed attempts since the last open (the backoff's exponent).
    attempt: u32,
    retry: Option<TimeoutHandle>,
    idle_close: Option<TimeoutHandle>,
    heartbeat: Option<IntervalHandle>,
    awaiting_pong: bool,
}

/// One topic this tab watches.
#[derive(Default)]
struct Watched {
    sinks: Vec<(u64, Sink)>,
    /// The last number seen (from `subscribed` or an event); kept across reconnects to tell whether it moved on.
    seq: Option<i64>,
    activity: Option<Activity>,
    people: Vec<Present>,
}

struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        if self.ws.ready_state() == WebSocket::CONNECTING {
            // Closing before the handshake ends makes the browser log an error; close it once it opens instead.
            let ws = self.ws.clone();
            self.ws.set_onopen(Some(
                Closure::once_into_js(move || {
                    let _ = ws.close();
                })
                .unchecked_ref(),
            ));
        } else {
            let _ = self.ws.close();
        }
    }
}

/// What to tell one subscriber, once the hub is no longer borrowed (a signal's subscribers may run at once).
struct Delivery {
    sink: Sink,
    event: Option<Event>,
    resync: bool,
    people: Option<Vec<Present>>,
}

impl Delivery {
    fn apply(self) {
        let Self { sink, event, resync, people } = self;
        let changed = event.is_some() || resync;
        if let Some(event) = event {
            sink.event.try_set(Some(event));
        }
        if resync {
            sink.resync.try_update(|count| *count += 1);
        }
        if changed {
            sink.changes.try_update(|count| *count += 1);
        }
        if let Some(people) = people {
            sink.people.try_set(people);
        }
    }
}

fn with_hub<T>(act: impl FnOnce(&mut Hub) -> T) -> T {
    HUB.with(|hub| act(&mut hub.borrow_mut()))
}

fn deliver(deliveries: Vec<Delivery>) {
    deliveries.into_iter().for_each(Delivery::apply);
}

/// Adds a subscriber to `topic`; answers its id for [`unsubscribe`].
pub(super) fn subscribe(topic: Topic, sink: Sink) -> u64 {
    let (id, people) = with_hub(|hub| {
        if let Some(handle) = hub.idle_close.take() {
            handle.clear();
        }
        hub.next_id += 1;
        let id = hub.next_id;
        let watched = hub.topics.entry(topic).or_default();
        let first = watched.sinks.is_empty();
        watched.sinks.push((id, sink));
        let people = watched.people.clone();
        if first {
            hub.send(&ClientMessage::Subscribe { topic: topic.to_string() });
        }
        if hub.socket.is_none() && hub.retry.is_none() {
            hub.connect();
        }
        (id, people)
    });
    if !people.is_empty() {
        deliver(vec![Delivery { sink, event: None, resync: false, people: Some(people) }]);
    }
    id
}

/// Removes subscriber `id`; the last one of a topic unsubscribes it, the last one of all closes the socket soon.
pub(super) fn unsubscribe(topic: Topic, id: u64) {
    with_hub(|hub| {
        let Some(watched) = hub.topics.get_mut(&topic) else { return };
        watched.sinks.retain(|(sink_id, _)| *sink_id != id);
        if !watched.sinks.is_empty() {
            return;
        }
        hub.topics.remove(&topic);
        hub.send(&ClientMessage::Unsubscribe { topic: topic.to_string() });
        if hub.topics.is_empty() {
            hub.idle_close = set_timeout_with_handle(close_if_idle, IDLE_CLOSE).ok();
        }
    });
}

/// What this tab does on `topic`; said now if subscribed, and again after each re-subscription.
pub(super) fn set_activity(topic: Topic, activity: Activity) {
    with_hub(|hub| {
        let Some(watched) = hub.topics.get_mut(&topic) else { return };
        if watched.activity.as_ref() == Some(&activity) {
            return;
        }
        watched.activity = Some(activity.clone());
        if watched.seq.is_some() {
            hub.send(&ClientMessage::Presence { topic: topic.to_string(), activity });
        }
    });
}

fn close_if_idle() {
    with_hub(|hub| {
        hub.idle_close = None;
        if hub.topics.is_empty() {
            hub.stop_timers();
            hub.socket = None;
            hub.open = false;
            hub.attempt = 0;
            set_connection(Connection::Idle);
        }
    });
}

impl Hub {
    fn send(&self, message: &ClientMessage) {
        if let (true, Some(socket)) = (self.open, &self.socket)
            && let Ok(text) = serde_json::to_string(message)
        {
            let _ = socket.ws.send_with_str(&text);
        }
    }

    fn connect(&mut self) {
        self.retry = None;
        self.retired.clear();
        if self.attempt == 0 && !self.open {
            set_connection(Connection::Connecting);
        }
        match open_socket() {
            Some(socket) => self.socket = Some(socket),
            None => self.schedule_retry(),
        }
    }

    fn schedule_retry(&mut self) {
        set_connection(Connection::Reconnecting);
        let wait = sequence::backoff_ms(self.attempt, web_sys::js_sys::Math::random());
        self.attempt = self.attempt.saturating_add(1);
        self.retry = set_timeout_with_handle(|| with_hub(Hub::connect), Duration::from_millis(wait as u64)).ok();
    }

    fn stop_timers(&mut self) {
        for handle in [self.retry.take(), self.idle_close.take()].into_iter().flatten() {
            handle.clear();
        }
        if let Some(handle) = self.heartbeat.take() {
            handle.clear();
        }
    }

    fn opened(&mut self) {
        self.open = true;
        self.attempt = 0;
        self.awaiting_pong = false;
        set_connection(Connection::Open);
        for topic in self.topics.keys() {
            self.send(&ClientMessage::Subscribe { topic: topic.to_string() });
        }
        self.heartbeat = set_interval_with_handle(|| deliver(with_hub(Hub::beat)), HEARTBEAT).ok();
    }

    /// The socket is gone (closed by the server or the network, or declared dead): try again later if anyone
    /// still watches. Who is here is unknown until the server says again, so the lists empty meanwhile.
    fn lost(&mut self) -> Vec<Delivery> {
        self.open = false;
        if let Some(handle) = self.heartbeat.take() {
            handle.clear();
        }
        self.retired.extend(self.socket.take());
        if self.topics.is_empty() {
            set_connection(Connection::Idle);
        } else if self.retry.is_none() {
            self.schedule_retry();
        }
        let mut deliveries = Vec::new();
        for watched in self.topics.values_mut().filter(|watched| !watched.people.is_empty()) {
            watched.people.clear();
            deliveries.extend(watched.sinks.iter().map(|(_, sink)| Delivery {
                sink: *sink,
                event: None,
                resync: false,
                people: Some(Vec::new()),
            }));
        }
        deliveries
    }

    fn beat(&mut self) -> Vec<Delivery> {
        if self.awaiting_pong {
            return self.lost();
        }
        self.awaiting_pong = true;
        self.send(&ClientMessage::Ping);
        Vec::new()
    }

    fn received(&mut self, message: ServerMessage) -> Vec<Delivery> {
        self.awaiting_pong = false;
        let to_all = |watched: &Watched, event: Option<Event>, resync: bool, people: Option<Vec<Present>>| {
            watched
                .sinks
                .iter()
                .map(|(_, sink)| Delivery { sink: *sink, event: event.clone(), resync, people: people.clone() })
                .collect::<Vec<_>>()
        };
        match message {
            ServerMessage::Subscribed { topic: name, seq } => {
                let Some(topic) = Topic::parse(&name) else { return Vec::new() };
                let Some(watched) = self.topics.get_mut(&topic) else { return Vec::new() };
                let missed = sequence::missed_while_away(watched.seq, seq);
                watched.seq = Some(seq);
                if let Some(activity) = watched.activity.clone() {
                    self.send(&ClientMessage::Presence { topic: name, activity });
                }
                match self.topics.get(&topic) {
                    Some(watched) if missed => to_all(watched, None, true, None),
                    _ => Vec::new(),
                }
            }
            ServerMessage::Event { topic, seq, event } => {
                let Some(watched) = Topic::parse(&topic).and_then(|topic| self.topics.get_mut(&topic)) else {
                    return Vec::new();
                };
                let arrival = sequence::arrival(watched.seq, seq);
                if arrival == Arrival::Duplicate {
                    return Vec::new();
                }
                watched.seq = Some(seq);
                to_all(watched, Some(event), arrival == Arrival::Gap, None)
            }
            ServerMessage::Resync { topic } => {
                let only = topic.as_deref().and_then(Topic::parse);
                self.topics
                    .iter()
                    .filter(|(watched, _)| only.is_none_or(|only| only == **watched))
                    .flat_map(|(_, watched)| to_all(watched, None, true, None))
                    .collect()
            }
            ServerMessage::Presence { topic, people } => {
                let Some(watched) = Topic::parse(&topic).and_then(|topic| self.topics.get_mut(&topic)) else {
                    return Vec::new();
                };
                watched.people = people.clone();
                to_all(watched, None, false, Some(people))
            }
            ServerMessage::Refused { .. } | ServerMessage::Pong => Vec::new(),
        }
    }
}

/// `ws(s)://<this host>/ws`, with its handlers; `None` when the browser refuses to even try.
fn open_socket() -> Option<Socket> {
    let location = window().location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    let ws = WebSocket::new(&format!("{scheme}://{}/ws", location.host().ok()?)).ok()?;
    let on_open = Closure::<dyn FnMut()>::new(|| with_hub(Hub::opened));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|message: MessageEvent| {
        let Some(text) = message.data().as_string() else { return };
        let Ok(message) = serde_json::from_str::<ServerMessage>(&text) else { return };
        deliver(with_hub(|hub| hub.received(message)));
    });
    let on_close = Closure::<dyn FnMut()>::new(|| deliver(with_hub(Hub::lost)));
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    Some(Socket { ws, _on_open: on_open, _on_message: on_message, _on_close: on_close })
}
