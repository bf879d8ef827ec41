//! What a person sees when the browser half of the app dies: a page part (a lazy route's wasm chunk) that failed to
//! load — a network drop, or a deploy between two clicks — or any other panic. A panic in wasm aborts the whole
//! app, so the notice is plain DOM written by the panic hook, and its reload button is a plain link (`rel=external`
//! keeps the dead router's click handler out of it): nothing in it needs the wasm to keep running.

use crate::i18n::{Locale, Text};

const MESSAGE: Text = Text::new(
    "Não foi possível carregar esta parte da página. Verifique sua conexão e recarregue.",
    "This part of the page could not be loaded. Check your connection and reload.",
);
const RELOAD: Text = Text::new("Recarregar", "Reload");

/// Adds the notice to the page once, in the language the server rendered the page in. Called by the browser
/// entry's panic hook (`frontend/src/lib.rs`); browser only.
pub fn show_crash_notice() {
    let document = leptos::prelude::document();
    if document.get_element_by_id("crash-notice").is_some() {
        return;
    }
    let locale = document
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .map_or(Locale::PtBr, |tag| Locale::from_tag(&tag));
    let href = document.location().and_then(|location| location.href().ok()).unwrap_or_else(|| "/".into());
    let html = format!(
        r#"<div class="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-3 rounded-lg bg-white p-4 text-sm text-slate-800 shadow-lg ring-1 ring-amber-300">
  <p>{message}</p>
  <a href="{href}" rel="external" data-testid="crash-reload" class="inline-flex items-center rounded-md bg-indigo-600 px-3.5 py-2 font-semibold text-white shadow-sm hover:bg-indigo-500">{reload}</a>
</div>"#,
        message = MESSAGE.get(locale),
        reload = RELOAD.get(locale),
        href = escape_attribute(&href),
    );
    let Ok(notice) = document.create_element("div") else { return };
    notice.set_id("crash-notice");
    let _ = notice.set_attribute("role", "alert");
    let _ = notice.set_attribute("data-testid", "crash-notice");
    let _ = notice.set_attribute("class", "fixed inset-x-0 top-0 z-50 p-3");
    notice.set_inner_html(&html);
    if let Some(body) = document.body() {
        let _ = body.append_child(&notice);
    }
}

/// The page's own URL, safe inside a double-quoted attribute.
fn escape_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::escape_attribute;

    #[test]
    fn the_reload_link_cannot_break_out_of_its_attribute() {
        assert_eq!(escape_attribute(r#"/a?b="c"&d<e>"#), "/a?b=&quot;c&quot;&amp;d&lt;e&gt;");
    }
}
