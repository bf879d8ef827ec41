//! Choosing the language: the switch in every frame, and the locale a page starts with.

use leptos::{form::ActionForm, prelude::*};

use super::{Locale, Text, use_locale};
use crate::platform::auth::api::SetLocale;
use crate::ui::FOCUS_RING;

const LANGUAGE: Text = Text::new("Idioma", "Language");

/// The locale the page renders in: on the server from the request's cookie, in the browser from the
/// `<html lang>` the server wrote (so hydration starts from exactly what the server rendered).
pub fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        crate::platform::context::request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .map_or(Locale::PtBr, |tag| Locale::from_tag(&tag))
    }
}

/// Two buttons, Português / English, in a form that posts the choice (remembered in a cookie). With wasm the text
/// changes at once and the form is sent in the background; on a page without wasm the post answers with the same
/// page again, now in the chosen language.
#[component]
pub fn LanguageSwitch(#[prop(optional)] dark: bool) -> impl IntoView {
    let locale = use_context::<super::LocaleContext>().map(|context| context.0);
    let remember = ServerAction::<SetLocale>::new();
    let show_now = move |choice: Locale| {
        if let Some(locale) = locale {
            locale.set(choice);
        }
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", choice.tag());
        }
    };
    let current = use_locale();
    let base = if dark { "text-slate-300 hover:text-white" } else { "text-slate-500 hover:text-slate-900" };
    view! {
        <ActionForm action=remember attr:role="group" attr:aria-label=move || LANGUAGE.get(current.get()) attr:class="inline-flex items-center gap-1 text-xs">
            {[Locale::PtBr, Locale::En]
                .into_iter()
                .map(|choice| {
                    view! {
                        <button
                            type="submit"
                            name="locale"
                            value=choice.wire_name()
                            lang=choice.tag()
                            data-testid=format!("locale-{}", choice.tag())
                            aria-pressed=move || (current.get() == choice).to_string()
                            class=format!(
                                "rounded px-2 py-1 font-medium aria-pressed:bg-indigo-50 aria-pressed:text-indigo-700 {base} {FOCUS_RING}"
                            )
                            on:click=move |_| show_now(choice)
                        >
                            {choice.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </ActionForm>
    }
}
