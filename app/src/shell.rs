//! The HTML document and the application frame (navigation + content) every page renders inside.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Router};

use crate::routes::AppRoutes;

/// The whole HTML document, rendered on the server. The hydration scripts carry the CSP nonce of the request.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="pt-BR">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
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
    view! {
        <Stylesheet id="atrium" href="/pkg/atrium.css" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Atrium".to_string() } else { format!("{page} · Atrium") }
        } />
        <Router>
            <div class="flex min-h-screen flex-col md:flex-row">
                <SideNav />
                <main id="conteudo" class="min-w-0 flex-1 px-4 py-6 md:px-10 md:py-8">
                    <AppRoutes />
                </main>
            </div>
        </Router>
    }
}

/// Module navigation: a sidebar on wide screens, a scrollable bar on a phone.
#[component]
fn SideNav() -> impl IntoView {
    let link = "flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-600 \
                hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 \
                focus-visible:outline-indigo-600 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700";
    view! {
        <a href="#conteudo" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
            "Pular para o conteúdo"
        </a>
        <nav
            aria-label="Módulos"
            class="border-b border-slate-200 bg-white md:sticky md:top-0 md:h-screen md:w-60 md:shrink-0 md:border-b-0 md:border-r"
        >
            <div class="flex items-center gap-2 px-4 py-4 md:px-5 md:py-6">
                <span aria-hidden="true" class="grid size-8 place-items-center rounded-lg bg-indigo-600 text-sm font-bold text-white">
                    "A"
                </span>
                <span class="text-lg font-semibold tracking-tight">"Atrium"</span>
            </div>
            <ul class="flex gap-1 overflow-x-auto px-2 pb-3 md:flex-col md:px-3">
                <li><A href="/" exact=true attr:class=link>"Início"</A></li>
                <li><A href="/matriculas" attr:class=link>"Matrículas"</A></li>
                <li><A href="/crm" attr:class=link>"CRM"</A></li>
                <li><A href="/financeiro" attr:class=link>"Financeiro"</A></li>
                <li class="hidden md:mt-4 md:block md:border-t md:border-slate-200 md:pt-4" aria-hidden="true"></li>
                <li><A href="/design" attr:class=link>"Componentes"</A></li>
                <li><A href="/idioma" attr:class=link>"Idioma e formatos"</A></li>
            </ul>
        </nav>
    }
}
