//! The HTML document and the root component every page renders inside.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::Router;

use crate::i18n::{initial_locale, provide_locale};
use crate::routes::AppRoutes;
use crate::ui::{Toasts, provide_toaster};

/// The whole HTML document, rendered on the server in the language the person chose (their cookie). The
/// hydration scripts carry the CSP nonce of the request.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_locale().tag();
    let stylesheet = stylesheet_href(&options);
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" id="atrium" href=stylesheet />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
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

/// The stylesheet's address. With hashed asset names (cargo-leptos `hash-files`) its name carries the `css:` hash
/// from the hash file next to the server binary, the file Leptos reads the JS and wasm names from.
fn stylesheet_href(options: &LeptosOptions) -> String {
    let pkg = &options.site_pkg_dir;
    let name = &options.output_name;
    let hash = options.hash_files.then(|| css_hash(&options.hash_file)).flatten();
    match hash {
        Some(hash) => format!("/{pkg}/{name}.{hash}.css"),
        None => format!("/{pkg}/{name}.css"),
    }
}

/// The `css: <hash>` line of the hash file, read once per process.
fn css_hash(hash_file: &str) -> Option<String> {
    static HASH: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let path = std::env::current_exe().ok()?.parent()?.join(hash_file);
        let hashes = std::fs::read_to_string(path).ok()?;
        hashes.lines().find_map(|line| line.trim().strip_prefix("css:").map(|hash| hash.trim().to_string()))
    })
    .clone()
}
