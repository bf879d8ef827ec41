use leptos::prelude::*;

use crate::i18n::{Text, t};

const LOADING: Text = Text::new("Carregando…", "Loading…");

/// A grey pulsing bar that holds the place of content still loading, so the page does not jump when it
/// arrives. Size it with Tailwind classes in `class` (default `h-4 w-full`). It is decorative (`aria-hidden`):
/// put it inside `SkeletonRows`, or next to your own `role="status"` text, so screen readers hear "Carregando…"
/// once rather than nothing.
#[component]
pub fn Skeleton(#[prop(into, optional)] class: Option<String>) -> impl IntoView {
    let size = class.unwrap_or_else(|| "h-4 w-full".to_string());
    view! { <div aria-hidden="true" class=format!("animate-pulse rounded bg-slate-200 motion-reduce:animate-none {size}")></div> }
}

/// Placeholder rows for a table or list that is loading: `rows` lines of `columns` bars (default 1), widths
/// varying in a fixed pattern (no randomness, so server and browser agree). The container is `role="status"`
/// with a visually hidden "Carregando…"; the bars themselves are hidden from screen readers.
#[component]
pub fn SkeletonRows(
    rows: usize,
    #[prop(default = 1)] columns: usize,
    #[prop(into, optional)] test_id: Option<String>,
) -> impl IntoView {
    const WIDTHS: [&str; 5] = ["w-full", "w-5/6", "w-2/3", "w-3/4", "w-1/2"];
    let columns = columns.max(1);
    let grid = match columns {
        1 => "grid-cols-1",
        2 => "grid-cols-2",
        3 => "grid-cols-3",
        4 => "grid-cols-4",
        5 => "grid-cols-5",
        _ => "grid-cols-6",
    };
    let lines = (0..rows)
        .map(|row| {
            let cells = (0..columns)
                .map(|column| {
                    let width = WIDTHS.get((row * 2 + column * 3) % WIDTHS.len()).copied().unwrap_or("w-full");
                    view! { <Skeleton class=format!("h-4 {width}") /> }
                })
                .collect_view();
            view! { <div class=format!("grid {grid} gap-4 py-2.5")>{cells}</div> }
        })
        .collect_view();
    view! {
        <div role="status" class="divide-y divide-slate-100" data-testid=test_id>
            <span class="sr-only">{t(LOADING)}</span>
            {lines}
        </div>
    }
}
