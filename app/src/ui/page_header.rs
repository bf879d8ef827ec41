use leptos::prelude::*;
use leptos_meta::Title;

/// The title block of a page; also sets the document title.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(into, optional)] subtitle: Option<Signal<String>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    // On the server the document title is read once the page's shell is written, which for a lazy route can be
    // after the page's reactive owner is gone; `title` is usually derived in that owner, so reading it then panics
    // (seen under load). A request renders in one language, so the server takes the text now; the browser keeps the
    // live signal (the language switch retitles the tab).
    #[cfg(feature = "ssr")]
    let document_title = leptos::text_prop::TextProp::from(title.get_untracked());
    #[cfg(not(feature = "ssr"))]
    let document_title = leptos::text_prop::TextProp::from(title);
    view! {
        <Title text=document_title />
        <header class="mb-6 flex flex-wrap items-end justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
                {subtitle.map(|subtitle| view! { <p class="mt-1 text-sm text-slate-600">{subtitle}</p> })}
            </div>
            {children.map(|children| view! { <div class="flex gap-2">{children()}</div> })}
        </header>
    }
}
