//! The browser's side of the live channel, as a page uses it: `let live = use_live(Topic::Jobs);` then
//! `live.on_change(move || resource.refetch())`. Every component of the tab shares one socket ([`super::hub`]);
//! on the server (and while hydrating) nothing connects and every signal keeps its empty value.
//!
//! The right thing is the easy thing: `on_change` runs after each event *and* whenever events may have been missed
//! (a reconnect that found the topic moved on, a gap in the sequence numbers, the server's `resync`), so a page
//! that refetches there never shows stale data.

use leptos::prelude::*;

use super::{Activity, Event, Present, Topic, status::Connection};

/// One component's subscription to a topic (cheap to copy; it ends when the component's owner is cleaned up).
#[derive(Debug, Clone, Copy)]
pub struct Live {
    topic: Topic,
    sink: Sink,
}

/// What the hub writes for one subscriber. Signals owned by the subscribing component: the hub stops writing to
/// them when it unsubscribes, at that component's cleanup.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sink {
    /// The latest event.
    pub event: RwSignal<Option<Event>>,
    /// Bumped whenever the topic's state must be fetched again (events may have been missed).
    pub resync: RwSignal<u64>,
    /// Bumped on every event and every resync: "refetch now".
    pub changes: RwSignal<u64>,
    /// Who is on the topic (one entry per tab), as the server last said.
    pub people: RwSignal<Vec<Present>>,
}

/// Subscribes this component to `topic` for as long as it lives.
pub fn use_live(topic: Topic) -> Live {
    let sink = Sink {
        event: RwSignal::new(None),
        resync: RwSignal::new(0),
        changes: RwSignal::new(0),
        people: RwSignal::new(Vec::new()),
    };
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let id = super::hub::subscribe(topic, sink);
        on_cleanup(move || super::hub::unsubscribe(topic, id));
    }
    Live { topic, sink }
}

impl Live {
    pub fn topic(self) -> Topic {
        self.topic
    }

    /// The latest event on the topic (`None` before the first).
    pub fn event(self) -> Signal<Option<Event>> {
        self.sink.event.into()
    }

    /// Changes whenever events may have been missed; refetch the topic's state then.
    pub fn resync(self) -> Signal<u64> {
        self.sink.resync.into()
    }

    /// Who is on the topic now, and doing what.
    pub fn people(self) -> Signal<Vec<Present>> {
        self.sink.people.into()
    }

    /// The tab's socket (shared by every subscription).
    pub fn connection(self) -> Signal<Connection> {
        super::status::connection()
    }

    /// Runs `refetch` after every event and every resync of the topic: not at first (the page has just loaded),
    /// but once when the first subscription finds the topic already has events, since one may have been published
    /// between the page's read and the subscription.
    pub fn on_change(self, refetch: impl Fn() + 'static) {
        Effect::watch(move || self.sink.changes.get(), move |_, _, _| refetch(), false);
    }

    /// Tells the others on the topic what this tab is doing (`viewing`, editing or dragging something); kept and
    /// said again after a reconnect.
    pub fn set_activity(self, activity: Activity) {
        #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
        super::hub::set_activity(self.topic, activity);
        #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
        let _ = activity;
    }
}
