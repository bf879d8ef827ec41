use leptos::prelude::*;
use leptos_meta::Title;

/// The title block of a page; also sets the document title.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(into, optional)] subtitle: Option<Signal<String>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <Title text=title />
        <header class="mb-6 flex flex-wrap items-end justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
                {subtitle.map(|subtitle| view! { <p class="mt-1 text-sm text-slate-600">{subtitle}</p> })}
            </div>
            {children.map(|children| view! { <div class="flex gap-2">{children()}</div> })}
        </header>
    }
}
