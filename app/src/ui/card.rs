use leptos::prelude::*;

/// A white panel that groups related content.
#[component]
pub fn Card(
    #[prop(into, optional)] class: String,
    /// No inner padding: a table fills the card edge to edge (a `p-0` in `class` would fight `p-5` for the
    /// padding and lose or win by stylesheet order).
    #[prop(optional)]
    flush: bool,
    children: Children,
) -> impl IntoView {
    let padding = if flush { "" } else { "p-5" };
    view! {
        <section class=format!("rounded-xl border border-slate-200 bg-white {padding} shadow-xs {class}")>
            {children()}
        </section>
    }
}

/// One figure with its label, for dashboards.
#[component]
pub fn StatCard(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    #[prop(into, optional)] hint: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
            <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
            <p class="mt-1 whitespace-nowrap text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
            {hint.map(|hint| view! { <p class="mt-1 text-xs text-slate-500">{hint}</p> })}
        </div>
    }
}
