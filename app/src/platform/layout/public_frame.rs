use leptos::prelude::*;

use crate::i18n::LanguageSwitch;

/// The frame of public pages: the Atrium mark, the language switch, and the content centred.
#[component]
pub fn PublicFrame(#[prop(optional)] wide: bool, children: Children) -> impl IntoView {
    let width = if wide { "max-w-5xl" } else { "max-w-md" };
    view! {
        <div class="flex min-h-screen flex-col">
            <header class="flex items-center justify-between px-4 py-4 md:px-8">
                <a href="/" class="flex items-center gap-2 rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
                    <span aria-hidden="true" class="grid size-8 place-items-center rounded-lg bg-indigo-600 text-sm font-bold text-white">"A"</span>
                    <span class="text-lg font-semibold tracking-tight">"Atrium"</span>
                </a>
                <LanguageSwitch />
            </header>
            <main id="conteudo" class=format!("mx-auto w-full {width} flex-1 px-4 pb-12 pt-4 md:pt-10")>
                {children()}
            </main>
        </div>
    }
}
