//! Security headers on every response. The CSP allows our own scripts, the wasm module and the inline
//! hydration scripts carrying this response's nonce, and nothing else; no framing at all (a served document sets
//! its own stricter policy, framable by our own pages only; the CRM's embeddable form, by its tenant's site only).

use axum::{extract::Request, extract::State, middleware::Next, response::Response};
use http::{HeaderValue, header};

/// A fresh random nonce per request, handed to Leptos so its inline scripts carry it.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Who may frame a response other than with `'none'` (set by a route that allows it, e.g. `embed`): a validated
/// origin. Only that response's CSP says so, and it carries no `X-Frame-Options` (which could not name the origin).
#[derive(Clone, Debug)]
pub struct FrameAncestors(pub String);

pub fn content_security_policy(nonce: &str) -> String {
    framed_by(nonce, "'none'")
}

fn framed_by(nonce: &str, ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {ancestors}"
    )
}

pub async fn headers(State(secure): State<bool>, mut request: Request, next: Next) -> Response {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    // A page from the page cache carries the nonce its scripts were rendered with.
    let nonce = response.extensions().get::<CspNonce>().map_or(nonce, |kept| kept.0.clone());
    let ancestors = response.extensions().get::<FrameAncestors>().map(|allowed| allowed.0.clone());
    let headers = response.headers_mut();
    // A response that brings its own policy and framing rule (a served document, shown framed in our own page)
    // keeps them; every other gets ours.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(csp) = HeaderValue::from_str(&framed_by(&nonce, ancestors.as_deref().unwrap_or("'none'")))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if ancestors.is_none() && !headers.contains_key(header::X_FRAME_OPTIONS) {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    );
    if secure {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    response
}
