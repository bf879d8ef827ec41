use leptos::prelude::*;

/// One stage of a Kanban board: its name, how many cards it holds (and their total, when given), and the cards
/// (or a quiet placeholder).
#[component]
pub fn KanbanColumn(
    #[prop(into)] title: Signal<String>,
    count: usize,
    #[prop(optional, into)] total: Option<String>,
    children: Children,
) -> impl IntoView {
    let label = title;
    view! {
        <section
            aria-label=label
            class="flex w-72 shrink-0 flex-col rounded-xl bg-slate-100/80 p-3"
        >
            <header class="mb-3 flex items-center justify-between px-1">
                <h2 class="text-sm font-semibold text-slate-700">
                    {title}
                    {total.map(|total| view! { <span class="block text-xs font-normal tabular-nums text-slate-500">{total}</span> })}
                </h2>
                <span class="rounded-full bg-white px-2 py-0.5 text-xs font-medium tabular-nums text-slate-600">{count}</span>
            </header>
            <div class="flex min-h-32 flex-col gap-2">{children()}</div>
        </section>
    }
}
