//! The tab's connection state, and the quiet "Reconectando…" line the signed-in frame shows while a page uses the
//! live channel and its socket is down. Kept apart from the socket code ([`super::hub`]) so the frame, which is in
//! the main bundle, pulls in only this signal; the socket code lands in the chunks of the pages that use it.

use leptos::prelude::*;

use crate::i18n::{Text, t};

const RECONNECTING: Text = Text::new("Reconectando…", "Reconnecting…");

/// Where the tab's one socket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Connection {
    /// No page watches anything (and always on the server, so hydration starts from here).
    #[default]
    Idle,
    /// Opening for the first time.
    Connecting,
    Open,
    /// It dropped (or never opened); the next try is scheduled with backoff.
    Reconnecting,
}

thread_local! {
    // An Arc signal: owned by no component, it lives as long as the tab (the hub outlives every page).
    static CONNECTION: ArcRwSignal<Connection> = ArcRwSignal::new(Connection::Idle);
}

/// The tab's connection state (reactive).
pub fn connection() -> Signal<Connection> {
    CONNECTION.with(|state| Signal::from(state.clone()))
}

/// Sets the state; only the hub calls this.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(super) fn set_connection(now: Connection) {
    CONNECTION.with(|state| {
        if state.get_untracked() != now {
            state.set(now);
        }
    });
}

/// "Reconectando…", announced politely, only while the socket is down. Renders an empty live region otherwise (a
/// region present from the start is what screen readers announce changes of).
#[component]
pub fn LiveIndicator() -> impl IntoView {
    let state = connection();
    let down = move || state.get() == Connection::Reconnecting;
    view! {
        <div aria-live="polite" role="status" class="pointer-events-none fixed bottom-4 left-1/2 z-40 -translate-x-1/2">
            <Show when=down>
                <p
                    class="flex items-center gap-2 rounded-full border border-amber-200 bg-amber-50 px-3 py-1 text-xs font-medium text-amber-800 shadow-sm"
                    data-testid="live-reconnecting"
                >
                    <span aria-hidden="true" class="size-2 animate-pulse rounded-full bg-amber-500"></span>
                    {t(RECONNECTING)}
                </p>
            </Show>
        </div>
    }
}
