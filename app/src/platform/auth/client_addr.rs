//! Who is on the other end of a request, for per-address rate limits. The server's `client_addr` middleware
//! decides it once per request (the TCP peer, or the `X-Forwarded-For` hop a trusted proxy vouches for) and puts
//! it on the request as an extension; server functions read it here.

use std::net::{IpAddr, Ipv6Addr};

/// The client's address as the server decided it (see `server/src/http/client_addr.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The key per-address limits count under: an IPv4 address as is; an IPv6 address by its /64, since one
    /// subscriber usually gets a whole /64 and could otherwise take a fresh address for every attempt.
    pub fn rate_key(self) -> IpAddr {
        match self.0 {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let segments = v6.segments();
                    IpAddr::V6(Ipv6Addr::new(segments[0], segments[1], segments[2], segments[3], 0, 0, 0, 0))
                }
            },
        }
    }
}

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The current request's client address. Outside a request routed through the middleware (it always is in the
/// server) it falls back to the unspecified address, which then shares one limit with every such caller.
pub fn current_client_addr() -> ClientAddr {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddr>().copied())
        .unwrap_or(ClientAddr(IpAddr::from([0, 0, 0, 0])))
}

/// Whether the current request is a plain HTML form post (no wasm on the page): the browser asks for a page back
/// (`Accept: text/html`), where the server-function client asks for data.
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| asks_for_a_page(&parts.headers))
}

/// Whether a request with these headers asks for a page back (`Accept: text/html`): what a browser's own form post
/// does, and `fetch` does not. Also for routes outside the server functions (the document upload).
pub fn asks_for_a_page(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// Inside a server function: a plain form post that was taken is answered with a redirect to `to` (the page ships
/// no wasm, `routes::server_rendered_only`); with wasm the page goes on by itself, so nothing is done.
pub fn redirect_plain_post(to: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_and_ipv4_by_the_address() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ClientAddr(a).rate_key(), ClientAddr(b).rate_key(), "one /64 is one client");
        assert_ne!(ClientAddr(a).rate_key(), ClientAddr(other).rate_key(), "the next /64 is another");
        assert_eq!(ClientAddr(a).rate_key(), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        let v4: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(ClientAddr(v4).rate_key(), v4);
        assert_ne!(ClientAddr(v4).rate_key(), ClientAddr("203.0.113.8".parse().unwrap()).rate_key());
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(ClientAddr(mapped).rate_key(), v4, "an IPv4-mapped address is the IPv4 client");
    }
}
