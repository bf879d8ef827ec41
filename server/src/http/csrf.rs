//! Cross-site request forgery guard. Leptos server functions are plain POST endpoints and the session cookie
//! rides along with any request the browser makes, so a state-changing request must show it comes from our own
//! pages: its `Origin` must be this server (the `Host` it was sent to, or `ATRIUM_PUBLIC_URL`).
//!
//! A request with no `Origin` is let through only if the browser does not say it is cross-site
//! (`Sec-Fetch-Site`); such requests come from non-browser clients, which hold no victim's cookie.
//! SameSite=Lax on the session cookie is the second line of defence.

use std::sync::Arc;

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{HeaderMap, Method, StatusCode, header};

/// Origins allowed besides the request's own host: the configured public URL, if any.
#[derive(Debug, Clone, Default)]
pub struct TrustedOrigins(pub Arc<[String]>);

/// Paths authenticated by a secret rather than by the session cookie (provider webhooks): not subject to CSRF.
const EXEMPT_PREFIXES: &[&str] = &["/webhooks/"];

pub async fn same_origin_writes(State(trusted): State<TrustedOrigins>, mut request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE);
    let exempt = EXEMPT_PREFIXES.iter().any(|prefix| request.uri().path().starts_with(prefix));
    let ours = comes_from_us(request.headers(), &trusted);
    // The CRM's embedded form may also be posted from the tenant's own site, which only its server function
    // knows (it reads the tenant from the body): that one endpoint checks the Origin itself, told what we found.
    if !safe && request.uri().path() == app::crm::embed::SUBMIT_PATH {
        let origin = request.headers().get(header::ORIGIN).and_then(|value| value.to_str().ok()).map(str::to_string);
        request.extensions_mut().insert(app::crm::embed::RequestOrigin { ours, origin });
        return next.run(request).await;
    }
    if safe || exempt || ours {
        return next.run(request).await;
    }
    tracing::warn!(
        origin = ?request.headers().get(header::ORIGIN),
        // The route template, not the raw path (paths may carry tokens).
        route = request.extensions().get::<MatchedPath>().map_or("-", MatchedPath::as_str),
        "refused a cross-origin state-changing request"
    );
    (StatusCode::FORBIDDEN, "Pedido recusado: ele veio de outro site (proteção contra CSRF).").into_response()
}

/// The request shows it comes from our own pages (also the WebSocket handshake's check, `live`).
pub fn comes_from_us(headers: &HeaderMap, trusted: &TrustedOrigins) -> bool {
    let header_str = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    match header_str("origin") {
        Some(origin) => {
            let same_host = header_str("host")
                .zip(authority_of(origin))
                .is_some_and(|(host, authority)| host.eq_ignore_ascii_case(authority));
            same_host || trusted.0.iter().any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(origin))
        }
        None => header_str("sec-fetch-site").is_none_or(|site| matches!(site, "same-origin" | "none")),
    }
}

/// `https://atrium.example:8443` → `atrium.example:8443`; `null` (sandboxed or privacy-stripped) → none.
fn authority_of(origin: &str) -> Option<&str> {
    let (scheme, rest) = origin.split_once("://")?;
    matches!(scheme, "http" | "https").then_some(rest).filter(|rest| !rest.is_empty() && !rest.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, http::HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn own_origin_passes_and_others_do_not() {
        let none = TrustedOrigins::default();
        assert!(comes_from_us(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")]), &none));
        assert!(!comes_from_us(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")]), &none));
        assert!(!comes_from_us(&headers(&[("host", "127.0.0.1:3000"), ("origin", "null")]), &none));
        assert!(!comes_from_us(&headers(&[("host", "a.com"), ("origin", "http://a.com.evil.example")]), &none));
    }

    #[test]
    fn the_public_url_is_trusted_behind_a_proxy() {
        let trusted = TrustedOrigins(vec!["https://atrium.example".to_string()].into());
        let behind_proxy = headers(&[("host", "10.0.0.5:3000"), ("origin", "https://atrium.example")]);
        assert!(comes_from_us(&behind_proxy, &trusted));
    }

    #[test]
    fn without_origin_only_a_cross_site_fetch_is_refused() {
        let none = TrustedOrigins::default();
        assert!(comes_from_us(&headers(&[("host", "a.com")]), &none), "curl and other non-browser clients");
        assert!(comes_from_us(&headers(&[("sec-fetch-site", "same-origin")]), &none));
        assert!(!comes_from_us(&headers(&[("sec-fetch-site", "cross-site")]), &none));
        assert!(!comes_from_us(&headers(&[("sec-fetch-site", "same-site")]), &none));
    }
}
