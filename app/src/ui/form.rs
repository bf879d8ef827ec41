//! How forms show the one wire error: a field error under its input, anything else in an alert above the
//! buttons. Every form in Atrium uses these, so errors look and read the same everywhere.

use leptos::prelude::*;

use crate::i18n::use_locale;
use crate::platform::AppError;

/// The latest result of a server action (`action.value()`), as forms read it.
pub trait ActionResult<T>: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static {}
impl<T, S> ActionResult<T> for S where S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static {}

/// The message for `field` when the last answer was a validation error about it.
pub fn field_error<T: 'static>(result: impl ActionResult<T>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || result.with(|value| value.as_ref().and_then(|r| r.as_ref().err()?.field_message(field))))
}

/// The message for the whole form: any error that is not about one of `fields`, in the current language.
pub fn form_error<T: 'static>(result: impl ActionResult<T>, fields: &'static [&'static str]) -> Signal<Option<String>> {
    let locale = use_locale();
    Signal::derive(move || {
        result.with(|value| {
            let error = value.as_ref()?.as_ref().err()?;
            (!error.is_about_any(fields)).then(|| error.user_message(locale.get()))
        })
    })
}

/// An error box for a form, announced to screen readers when it appears.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div role="alert" data-testid="form-error">
            {move || {
                message
                    .get()
                    .map(|message| {
                        view! {
                            <p class="flex items-start gap-2 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
                                <span aria-hidden="true" class="mt-0.5 font-bold">"!"</span>
                                <span>{message}</span>
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The response header a page rendered with an error carries, so the server's page cache does not keep it (a
/// passing database hiccup must not be served again). The cache removes it before the response leaves.
pub const UNCACHEABLE_HEADER: &str = "x-atrium-uncacheable";

/// A failure that keeps a whole page or panel from showing (its data could not load), in the current language.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(http::HeaderName::from_static(UNCACHEABLE_HEADER), http::HeaderValue::from_static("1"));
    }
    let locale = use_locale();
    view! { <FormAlert message=Signal::derive(move || Some(error.user_message(locale.get()))) /> }
}

/// Sends the browser to `path` with a full page load (after sign-in/out the whole app state changes).
pub fn go_to(path: &str) {
    let _ = window().location().set_href(path);
}
