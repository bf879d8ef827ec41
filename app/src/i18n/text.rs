//! Every sentence the product shows exists in both locales, side by side, next to the code that shows it:
//! `const SAVE: Text = Text::new("Salvar", "Save");` then `{t(SAVE)}` in a view. The compiler makes sure no
//! string lacks its translation, and switching the language re-renders the text without a reload.

use leptos::prelude::*;

use super::Locale;

/// One user-visible string in pt-BR and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub pt: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(pt: &'static str, en: &'static str) -> Self {
        Self { pt, en }
    }

    pub fn get(self, locale: Locale) -> &'static str {
        match locale {
            Locale::PtBr => self.pt,
            Locale::En => self.en,
        }
    }
}

/// The language of the current page, shared by every component (a signal: switching re-renders the text).
#[derive(Debug, Clone, Copy)]
pub struct LocaleContext(pub RwSignal<Locale>);

/// Called once by `<App/>`: on the server the locale comes from the request's cookie; in the browser from the
/// `<html lang>` the server rendered, so hydration sees exactly what the server saw.
pub fn provide_locale(initial: Locale) -> LocaleContext {
    let context = LocaleContext(RwSignal::new(initial));
    provide_context(context);
    context
}

/// The current locale (pt-BR outside the app, e.g. in unit tests).
pub fn use_locale() -> Signal<Locale> {
    match use_context::<LocaleContext>() {
        Some(LocaleContext(signal)) => signal.into(),
        None => Signal::stored(Locale::PtBr),
    }
}

/// A reactive view of `text` in the current locale: `{t(TITLE)}` in a view, or `placeholder=t(HINT)`.
pub fn t(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let locale = use_locale();
    move || text.get(locale.get())
}

/// `text` in the current locale, read once (for props that take a plain string, like a page title).
pub fn t_now(text: Text) -> &'static str {
    text.get(use_locale().get_untracked())
}

/// `text` as a reactive `Signal<String>`, for component props that take one (labels, titles).
pub fn ts(text: Text) -> Signal<String> {
    let locale = use_locale();
    Signal::derive(move || text.get(locale.get()).to_string())
}
