//! Decides, once per request, which address the client has, and puts it on the request as
//! `app::platform::auth::ClientAddr` for every per-address limit.
//!
//! The TCP peer is the client unless it is one of `ATRIUM_TRUSTED_PROXIES`: then `X-Forwarded-For` says who the
//! proxy was talking to. That header is a list the client can start itself, so it is read from the right: each
//! trusted proxy appends the address it saw, and the first address from the right that is not a trusted proxy is
//! the client. Anything left of it is whatever the client chose to send. From an untrusted peer the header is
//! ignored altogether (anyone can forge it).

use std::net::{IpAddr, SocketAddr};

use app::platform::auth::ClientAddr;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

static X_FORWARDED_FOR: http::HeaderName = http::HeaderName::from_static("x-forwarded-for");

/// The proxies (load balancers, reverse proxies) whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    /// `10.0.0.0/8, 192.168.1.7, fd00::/8`: CIDR blocks or single addresses, separated by commas or spaces.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{item}` is not an address or CIDR block (e.g. 10.0.0.0/8)"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        let addr = canonical(addr);
        self.0.iter().any(|net| net.contains(&addr))
    }

    /// The client behind `peer`, given the request's `X-Forwarded-For` header values (in order).
    pub fn client<'a>(&self, peer: IpAddr, forwarded_for: impl DoubleEndedIterator<Item = &'a str>) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        // Every header line, then every hop of a line, right to left.
        for hop in forwarded_for.rev().flat_map(|line| line.rsplit(',')) {
            let Some(hop) = parse_hop(hop) else {
                // Garbage at this point was not written by a trusted proxy: stop at the last hop we believe.
                return client;
            };
            client = hop;
            if !self.trusts(hop) {
                return hop;
            }
        }
        client
    }
}

/// `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is `10.0.0.1`.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        IpAddr::V4(_) => addr,
    }
}

/// One hop: an address, possibly with a port (`203.0.113.7:5123`, `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| hop.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')).and_then(|v6| v6.parse().ok()))
        .map(canonical)
}

/// The middleware: puts `ClientAddr` on every request.
pub async fn decide(State(proxies): State<TrustedProxies>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(addr)| addr.ip());
    let headers = request.headers().get_all(&X_FORWARDED_FOR);
    let lines: Vec<&str> = headers.iter().filter_map(|value| value.to_str().ok()).collect();
    let client = proxies.client(peer, lines.into_iter());
    request.extensions_mut().insert(ClientAddr(client));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("203.0.113.9"), ["1.2.3.4"].into_iter()), ip("203.0.113.9"));
        let some = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(some.client(ip("203.0.113.9"), ["1.2.3.4"].into_iter()), ip("203.0.113.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.0.1").unwrap();
        // The client forged the first entry; the proxy appended what it saw.
        let header = ["6.6.6.6, 198.51.100.4"];
        assert_eq!(proxies.client(ip("10.1.2.3"), header.into_iter()), ip("198.51.100.4"));
        // Two proxies in a row, across two header lines.
        let lines = ["6.6.6.6, 198.51.100.4", "192.168.0.1"];
        assert_eq!(proxies.client(ip("10.1.2.3"), lines.into_iter()), ip("198.51.100.4"));
        // Ports and IPv6 brackets.
        assert_eq!(proxies.client(ip("10.1.2.3"), ["[2001:db8::7]:443"].into_iter()), ip("2001:db8::7"));
        assert_eq!(proxies.client(ip("10.1.2.3"), ["198.51.100.4:5123"].into_iter()), ip("198.51.100.4"));
        // No header, or garbage: the last address we can believe.
        assert_eq!(proxies.client(ip("10.1.2.3"), std::iter::empty()), ip("10.1.2.3"));
        assert_eq!(proxies.client(ip("10.1.2.3"), ["not-an-ip"].into_iter()), ip("10.1.2.3"));
        // An IPv4 peer seen through a dual-stack socket.
        assert_eq!(proxies.client(ip("::ffff:10.1.2.3"), ["198.51.100.4"].into_iter()), ip("198.51.100.4"));
    }

    #[test]
    fn the_list_takes_blocks_and_single_addresses_and_names_a_bad_entry() {
        assert_eq!(TrustedProxies::parse("").unwrap(), TrustedProxies::default());
        assert_eq!(TrustedProxies::parse("10.0.0.0/8 ,fd00::/8, 127.0.0.1").unwrap().0.len(), 3);
        assert!(TrustedProxies::parse("10.0.0.0/8, proxy.local").unwrap_err().contains("proxy.local"));
    }
}
