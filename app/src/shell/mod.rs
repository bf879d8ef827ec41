//! The HTML document and the root component every page renders inside.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::Router;

mod bundle;

use crate::i18n::{initial_locale, provide_locale};
use crate::routes::AppRoutes;
use crate::ui::{Toasts, provide_toaster};

/// The whole HTML document, rendered on the server in the language the person chose (their cookie). The
/// hydration scripts carry the CSP nonce of the request. A page that works as plain HTML
/// (`routes::server_rendered_only`) gets no wasm and no bundle: `data-hydrated="none"` says so to people and
/// tests. It gets one small inline script instead (`enhance.js`: print, copy, a file's check before upload, a
/// live reload, focus on the field in error after a refusal…), nothing it cannot do without.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_locale().tag();
    let stylesheet = bundle::stylesheet_href(&options);
    let ships_wasm = ships_wasm();
    // Nothing hydrates a page without wasm: its resources need not be written into it as JSON for a browser that
    // will never read them (what Leptos' islands mode does outside islands). Halves a data page's bytes.
    if !ships_wasm && let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang data-hydrated=(!ships_wasm).then_some("none")>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" id="atrium" href=stylesheet />
                {ships_wasm.then(|| view! { <bundle::BundleScripts options /> })}
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
                {(!ships_wasm).then(|| view! { <script nonce=leptos::nonce::use_nonce()>{enhance_script()}</script> })}
            </body>
        </html>
    }
}

/// The browser never renders the document: the script's text stays out of the wasm.
#[cfg(not(feature = "ssr"))]
fn enhance_script() -> &'static str {
    ""
}

/// `enhance.js` without its comments and indentation, worked out once. Server only: the browser never renders
/// the document, and the script's text stays out of the wasm.
#[cfg(feature = "ssr")]
fn enhance_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        include_str!("enhance.js")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Whether the page being rendered ships wasm (and hydrates). On the server, from the request's path; in the
/// browser, a page is only ever rendered by the wasm.
pub fn ships_wasm() -> bool {
    !request_path().is_some_and(|path| crate::routes::server_rendered_only(&path))
}

/// The path of the request being rendered (the shell renders on the server only).
fn request_path() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_string())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The root component, shared by the server render and the browser hydration.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_locale(initial_locale());
    provide_toaster();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Atrium".to_string() } else { format!("{page} · Atrium") }
        } />
        <Router>
            <AppRoutes />
        </Router>
        <Toasts />
    }
}
