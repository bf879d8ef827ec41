use leptos::prelude::*;

/// A white panel that groups related content.
#[component]
pub fn Card(#[prop(into, optional)] class: String, children: Children) -> impl IntoView {
    view! {
        <section class=format!("rounded-xl border border-slate-200 bg-white p-5 shadow-xs {class}")>
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
