//! What a person typed survives a refused plain form post.
//!
//! A page that ships no wasm (`routes::server_rendered_only`) posts its form to a server function, and server_fn
//! answers a refusal with a redirect back to the page that carries only the error. Retyping a whole form on a phone
//! because one field was wrong is how forms get abandoned, so the server function hands the submitted fields to the
//! page in a short-lived cookie (HttpOnly, one minute, named after the form), and the page, rendered again, fills its
//! fields from it once and clears it. Callers pass only what may be shown again: never a password. With wasm the form
//! is sent by `fetch` and never leaves the page, so nothing is echoed.

use serde::de::DeserializeOwned;

/// The query parameter by which a page says, after a plain post of its form was taken, that it was sent
/// (`?enviado=1`, or which of its forms: the documents page names the document).
pub const SENT_PARAM: &str = "enviado";

/// The cookie's name. Its value is `<form key>.<the fields as base64url JSON>`.
pub const ECHO_COOKIE: &str = "atrium_echo";

/// Inside a server function: when `result` refuses a plain form post, keeps `fields` for the page it goes back to,
/// under `key` (the form's name; the page asks for the same key).
#[cfg(feature = "ssr")]
pub fn keep_on_refusal<T, E, F: serde::Serialize>(result: &Result<T, E>, key: &str, fields: &F) {
    if result.is_ok() || !crate::platform::auth::is_plain_form_post() {
        return;
    }
    let Ok(json) = serde_json::to_vec(fields) else { return };
    let secure =
        crate::platform::context::server_context().is_ok_and(|context| context.public_url.starts_with("https:"));
    set_cookie(&echo_cookie(key, &json, secure));
}

/// Outside a server function (an axum route that takes a plain form post, e.g. an upload): the `Set-Cookie` value
/// that keeps `fields` for the page the route redirects to, under `key`. `secure` when the site is served over https.
#[cfg(feature = "ssr")]
pub fn cookie_for<F: serde::Serialize>(key: &str, fields: &F, secure: bool) -> Option<String> {
    serde_json::to_vec(fields).ok().map(|json| echo_cookie(key, &json, secure))
}

/// While a page renders on the server: the fields kept for form `key` by a refused plain post, taken once (the
/// answer clears the cookie). Always `None` in the browser.
pub fn take<F: DeserializeOwned>(key: &str) -> Option<F> {
    #[cfg(feature = "ssr")]
    {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        let cookies = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
        let fields = read_echo(cookies, key)?;
        set_cookie(&format!("{ECHO_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"));
        Some(fields)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = key;
        None
    }
}

#[cfg(feature = "ssr")]
fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(cookie))
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

#[cfg(feature = "ssr")]
fn echo_cookie(key: &str, json: &[u8], secure: bool) -> String {
    use base64::Engine as _;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    let secure = if secure { "; Secure" } else { "" };
    format!("{ECHO_COOKIE}={key}.{payload}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax{secure}")
}

/// The fields kept under `key` in a `Cookie` header, if that is the form they were kept for.
#[cfg(feature = "ssr")]
fn read_echo<F: DeserializeOwned>(cookies: &str, key: &str) -> Option<F> {
    use base64::Engine as _;
    let value = cookies
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| name.trim() == ECHO_COOKIE)
        .map(|(_, value)| value.trim())?;
    let payload = value.strip_prefix(key)?.strip_prefix('.')?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Form {
        city: String,
    }

    #[test]
    fn the_fields_come_back_only_for_the_form_they_were_kept_for() {
        let json = serde_json::to_vec(&Form { city: "João Pessoa; PB".into() }).unwrap();
        let cookie = echo_cookie("personal", &json, false);
        assert!(cookie.ends_with("; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"), "{cookie}");
        assert!(echo_cookie("personal", &json, true).ends_with("; Secure"));
        let value = cookie.split(';').next().unwrap();
        let header = format!("atrium_lang=en; {value}; other=1");
        assert_eq!(read_echo::<Form>(&header, "personal"), Some(Form { city: "João Pessoa; PB".into() }));
        assert_eq!(read_echo::<Form>(&header, "guardian"), None, "another form's fields");
        assert_eq!(read_echo::<Form>(&header, "person"), None, "a key that is a prefix");
        assert_eq!(read_echo::<Form>("atrium_echo=personal.bm90LWpzb24", "personal"), None, "not JSON");
        assert_eq!(read_echo::<Form>("x=1", "personal"), None);
    }
}
