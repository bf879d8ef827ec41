use leptos::prelude::*;

use super::Badge;
use super::table_model::{Cell, Column, SortDirection, SortState, next_sort, page_window, sorted_order};
use crate::i18n::{Text, t, use_locale};

const PREVIOUS: Text = Text::new("Anterior", "Previous");
const NEXT: Text = Text::new("Próxima", "Next");
const PAGINATION: Text = Text::new("Paginação", "Pagination");
const NO_ROWS: Text = Text::new("Nenhum registro para mostrar.", "No records to show.");

/// A dense table for staff screens, sorted and paged in the browser (for lists that arrive whole: a class, a
/// month of invoices). Each sortable header is a `<button>` inside its `<th>` (click, Enter or Space toggles
/// ascending/descending; the `<th>` carries `aria-sort`); sorting returns to the first page. Below the rows,
/// "1–10 de 42" and Anterior/Próxima. The table takes the width its parent gives it and, when the columns need
/// more (on a phone), scrolls sideways inside its frame rather than widening the page.
///
/// Columns are `Column::text(key, LABEL)` / `Column::number(key, LABEL)` with a `Text` label (headers are
/// product text, so both languages live next to the page). Rows are a `Signal<Vec<Vec<Cell>>>` (a `Vec` works
/// too), one `Cell` per column: `Cell::text(..)`, `Cell::number(display, value)` or `Cell::brl(cents)`. When the
/// rows shrink, the current page is clamped to the last one that exists. `empty` (caller text) replaces the
/// default "Nenhum registro para mostrar."; `caption` names the table for screen readers. A cell made with
/// `.link(href)` is a link (a row's way to its page), one made with `.badge(tone)` a `Badge`. `paged_by_caller`:
/// the rows are one page the server sent (the caller draws its own pager), so all are shown and the footer is not.
#[component]
pub fn DataTable(
    columns: Vec<Column>,
    #[prop(into)] rows: Signal<Vec<Vec<Cell>>>,
    #[prop(default = 10)] page_size: usize,
    #[prop(optional)] initial_sort: Option<SortState>,
    #[prop(into, optional)] empty: Option<Signal<String>>,
    #[prop(into, optional)] caption: Option<Signal<String>>,
    #[prop(into, optional)] test_id: Option<String>,
    #[prop(optional)] paged_by_caller: bool,
) -> impl IntoView {
    let locale = use_locale();
    let page_size = if paged_by_caller { usize::MAX } else { page_size };
    let sort = RwSignal::new(initial_sort);
    let page = RwSignal::new(0_usize);
    let order = Memo::new(move |_| rows.with(|rows| sorted_order(rows, sort.get())));
    let window = Memo::new(move |_| page_window(order.with(Vec::len), page_size, page.get()));
    let column_count = columns.len().max(1);
    let numeric: Vec<bool> = columns.iter().map(|column| column.numeric).collect();

    let headers = columns
        .into_iter()
        .enumerate()
        .map(|(index, column)| {
            let label = t(column.label);
            let align = if column.numeric { "text-right" } else { "text-left" };
            let direction = move || sort.get().filter(|state| state.column == index).map(|state| state.direction);
            if !column.sortable {
                return view! {
                    <th scope="col" class=format!("px-3 py-2 font-semibold {align}")>
                        {label}
                    </th>
                }
                .into_any();
            }
            let justify = if column.numeric { "flex-row-reverse" } else { "" };
            view! {
                <th scope="col" aria-sort=move || direction().map(SortDirection::aria) class=format!("p-1 {align}")>
                    <button
                        type="button"
                        data-testid=format!("sort-{}", column.key)
                        class=format!(
                            "inline-flex items-center gap-1 rounded px-2 py-1 font-semibold hover:bg-slate-100 \
                             hover:text-slate-900 {justify} {}",
                            super::FOCUS_RING,
                        )
                        on:click=move |_| {
                            sort.update(|state| *state = Some(next_sort(*state, index)));
                            page.set(0);
                        }
                    >
                        <span>{label}</span>
                        <SortIcon direction=Signal::derive(direction) />
                    </button>
                </th>
            }
            .into_any()
        })
        .collect_view();

    let body = move || {
        let window = window.get();
        rows.with(|rows| {
            if rows.is_empty() {
                let message = move || match empty {
                    Some(empty) => empty.get(),
                    None => t(NO_ROWS)().to_string(),
                };
                return view! {
                    <tr>
                        <td colspan=column_count class="px-3 py-8 text-center text-slate-500">
                            {message}
                        </td>
                    </tr>
                }
                .into_any();
            }
            order.with(|order| {
                order
                    .get(window.start..window.end)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&index| rows.get(index))
                    .map(|row| table_row(row, &numeric))
                    .collect_view()
                    .into_any()
            })
        })
    };

    let go_previous = move |_| {
        let current = window.get_untracked();
        if current.has_previous() {
            page.set(current.page - 1);
        }
    };
    let go_next = move |_| {
        let current = window.get_untracked();
        if current.has_next() {
            page.set(current.page + 1);
        }
    };
    // Pagination buttons use aria-disabled rather than disabled, so focus stays on "Próxima" when it reaches the
    // last page instead of falling back to the top of the document.
    let page_button = format!(
        "rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 \
         hover:bg-slate-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-50 aria-disabled:hover:bg-white {}",
        super::FOCUS_RING
    );
    let next_button = page_button.clone();

    view! {
        // `contain: inline-size`: the table never widens its parent (a grid track, a flex item) to its own width; it
        // takes the width it is given and scrolls inside it.
        <div
            class="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs [contain:inline-size]"
            data-testid=test_id
        >
            <TableScroll>
                <table class="min-w-full text-sm">
                    {caption.map(|caption| view! { <caption class="sr-only">{move || caption.get()}</caption> })}
                    <thead class="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
                        <tr class="whitespace-nowrap">{headers}</tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">{body}</tbody>
                </table>
            </TableScroll>
            <Show when=move || { !paged_by_caller && window.get().total > 0 }>
                <div class="flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 px-3 py-2">
                    <p class="text-sm tabular-nums text-slate-600" aria-live="polite" data-testid="page-range">
                        {move || window.get().range_label(locale.get())}
                    </p>
                    <nav aria-label=t(PAGINATION) class="flex gap-2">
                        <button
                            type="button"
                            class=page_button.clone()
                            data-testid="page-prev"
                            aria-disabled=move || (!window.get().has_previous()).then_some("true")
                            on:click=go_previous
                        >
                            {t(PREVIOUS)}
                        </button>
                        <button
                            type="button"
                            class=next_button.clone()
                            data-testid="page-next"
                            aria-disabled=move || (!window.get().has_next()).then_some("true")
                            on:click=go_next
                        >
                            {t(NEXT)}
                        </button>
                    </nav>
                </div>
            </Show>
        </div>
    }
}

/// Where every table scrolls sideways when its columns need more room than they get (a phone; a laptop with a row
/// of action buttons), instead of widening the page or being cut off by the card around it. `contain:
/// inline-size` keeps the table's own width from pushing its parents (a grid track, a flex item) wider, so the
/// scroll happens here. Focusable so keyboard users can scroll it too. `DataTable` uses it; hand-written tables
/// (a row of actions per line) wrap their `<table class="min-w-full …">` in it.
#[component]
pub fn TableScroll(children: Children) -> impl IntoView {
    view! {
        <div class=format!("overflow-x-auto [contain:inline-size] {}", super::FOCUS_RING) tabindex="0">
            {children()}
        </div>
    }
}

/// One body row: the first column reads as the row's name, numbers are right-aligned with tabular figures.
fn table_row(row: &[Cell], numeric: &[bool]) -> impl IntoView + use<> {
    let cells = row
        .iter()
        .enumerate()
        .map(|(index, cell)| {
            let is_numeric = numeric.get(index).copied().unwrap_or(false);
            let class = match (index, is_numeric) {
                (_, true) => "px-3 py-2 text-right tabular-nums text-slate-700",
                (0, false) => "px-3 py-2 font-medium text-slate-900",
                _ => "px-3 py-2 text-slate-600",
            };
            let display = cell.display.clone();
            let content = match (&cell.href, cell.badge) {
                (_, Some(tone)) => view! { <Badge tone>{display}</Badge> }.into_any(),
                (Some(href), None) => view! {
                    <a href=href.clone() class=format!("text-indigo-700 hover:underline {}", super::FOCUS_RING)>
                        {display}
                    </a>
                }
                .into_any(),
                (None, None) => display.into_any(),
            };
            view! { <td class=class>{content}</td> }
        })
        .collect_view();
    view! { <tr class="whitespace-nowrap hover:bg-slate-50">{cells}</tr> }
}

/// ↑ / ↓ for the sorted column, a faint ↕ for the others.
#[component]
fn SortIcon(direction: Signal<Option<SortDirection>>) -> impl IntoView {
    move || {
        let (path, class) = match direction.get() {
            Some(SortDirection::Ascending) => ("M10 5l-4 5h8l-4-5Z", "size-4 shrink-0 text-indigo-600"),
            Some(SortDirection::Descending) => ("M10 15l4-5H6l4 5Z", "size-4 shrink-0 text-indigo-600"),
            None => ("M10 3l-3.5 4.5h7L10 3Zm0 14l3.5-4.5h-7L10 17Z", "size-4 shrink-0 text-slate-300"),
        };
        view! {
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" class=class>
                <path d=path />
            </svg>
        }
    }
}
