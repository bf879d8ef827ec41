//! The one door for fetching a URL that came from outside (a media link in a webhook body, and whatever comes
//! next): without it, anyone who can reach a webhook could make the server fetch its own network — the cloud
//! metadata service, the database, an admin port on localhost (SSRF).
//!
//! Three checks, each closing what the one before cannot:
//! 1. The URL: `https` only, no user info, a host *name* (never an address literal) on the integration's
//!    allowlist (`f004.backblazeb2.com`, or `*.example.com` for any subdomain), on port 443 unless the entry
//!    names another.
//! 2. The addresses, at connect time: the client resolves names through [`PublicOnly`], which drops every
//!    loopback, private, link-local, CGNAT, metadata, unique-local, multicast, documentation or otherwise
//!    special address (v4, and v6 including v4-mapped, 6to4 and NAT64). The connection is made to the addresses
//!    that passed, so a name that re-resolves to 127.0.0.1 between a check and the connect (DNS rebinding) gets
//!    nowhere. A name with no public address is refused ([`OutboundError::Refused`]).
//! 3. No redirects and no proxy (a redirect would skip check 1, a proxy would resolve names itself).
//!
//! The only exception is [`FetchPolicy::allow_origins`]: exact origins (scheme, host and port) fetched as they
//! are. Start-up fills it with the in-process fakes' origins when, and only when, the fakes run (development and
//! tests); with real providers it is empty.
//!
//! Errors never carry the body a host answered with (it ends up in a job's `last_error`, which people read).

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use reqwest::{
    Response, Url,
    dns::{Addrs, Name, Resolve, Resolving},
};

use super::{Idempotency, OutboundClient, OutboundError, OutboundSettings};

/// An origin: scheme, host and port, e.g. `http://127.0.0.1:4010`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of `url` (`http://127.0.0.1:4010` from `http://127.0.0.1:4010/v3`), if it has a host.
    pub fn parse(url: &str) -> Option<Self> {
        let url = Url::parse(url).ok()?;
        Some(Self {
            scheme: url.scheme().to_owned(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default()?,
        })
    }

    fn of(url: &Url) -> Option<Self> {
        Self::parse(url.as_str())
    }
}

/// One allowlist entry: `host`, `host:port` or `*.domain` (any subdomain of `domain`, not `domain` itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost {
    /// Lower case; for a wildcard, the part after `*.`.
    name: String,
    wildcard: bool,
    port: u16,
}

impl AllowedHost {
    /// Reads one entry; `Err` says what is wrong with it. Address literals are refused: allow names.
    pub fn parse(entry: &str) -> Result<Self, String> {
        let entry = entry.trim().to_ascii_lowercase();
        let (host, port) = match entry.rsplit_once(':') {
            Some((host, port)) => {
                (host, port.parse::<u16>().map_err(|_| format!("`{entry}`: the port is not a number"))?)
            }
            None => (entry.as_str(), 443),
        };
        let (name, wildcard) = match host.strip_prefix("*.") {
            Some(rest) => (rest, true),
            None => (host, false),
        };
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
        };
        if name.parse::<IpAddr>().is_ok() || !name.split('.').all(label_ok) {
            return Err(format!("`{entry}` is not a host name like media.example.com or *.example.com"));
        }
        Ok(Self { name: name.to_owned(), wildcard, port })
    }

    /// Comma-separated entries (`a.example.com, *.cdn.example.com:8443`).
    pub fn parse_list(list: &str) -> Result<Vec<Self>, String> {
        list.split(',').filter(|entry| !entry.trim().is_empty()).map(Self::parse).collect()
    }

    fn matches(&self, host: &str, port: u16) -> bool {
        let name_matches = if self.wildcard {
            host.strip_suffix(self.name.as_str()).is_some_and(|prefix| prefix.len() > 1 && prefix.ends_with('.'))
        } else {
            host == self.name
        };
        name_matches && port == self.port
    }
}

impl std::fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let wildcard = if self.wildcard { "*." } else { "" };
        write!(f, "{wildcard}{}", self.name)?;
        if self.port != 443 {
            write!(f, ":{}", self.port)?;
        }
        Ok(())
    }
}

/// What one integration may fetch.
#[derive(Debug, Clone, Default)]
pub struct FetchPolicy {
    /// Hosts reachable over https (their addresses still checked at connect time).
    pub hosts: Vec<AllowedHost>,
    /// Exact origins fetched as they are, whatever their scheme and address: the in-process fakes, filled at
    /// start-up only while they run. Never a real provider's.
    pub allow_origins: Vec<Origin>,
}

/// Why a URL is not fetched (before any network).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("not a URL")]
    NotAUrl,
    #[error("only https URLs are fetched")]
    NotHttps,
    #[error("URLs with user info are not fetched")]
    UserInfo,
    #[error("the URL names an address, not a host")]
    AddressLiteral,
    #[error("the host is not on the allowlist")]
    HostNotAllowed,
}

impl FetchPolicy {
    /// The URL to fetch, or why not.
    pub fn check(&self, raw: &str) -> Result<Url, Refusal> {
        let url = Url::parse(raw).map_err(|_| Refusal::NotAUrl)?;
        if Origin::of(&url).is_some_and(|origin| self.allow_origins.contains(&origin)) {
            return Ok(url);
        }
        if url.scheme() != "https" {
            return Err(Refusal::NotHttps);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Refusal::UserInfo);
        }
        // The URL parser has already turned every IPv4 spelling (`2130706433`, `0x7f.1`) into dotted form, and
        // IPv6 literals keep their brackets.
        let host = url.host_str().ok_or(Refusal::NotAUrl)?.to_ascii_lowercase();
        if host.starts_with('[') || host.parse::<Ipv4Addr>().is_ok() {
            return Err(Refusal::AddressLiteral);
        }
        let port = url.port_or_known_default().unwrap_or(443);
        if self.hosts.iter().any(|allowed| allowed.matches(&host, port)) {
            Ok(url)
        } else {
            Err(Refusal::HostNotAllowed)
        }
    }
}

/// What went wrong fetching an outside URL. Never carries a response body.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused to fetch the URL: {0}")]
    Refused(Refusal),
    #[error("refused to connect: {0}")]
    RefusedAddress(&'static str),
    #[error("{dependency} answered {status}")]
    Status { dependency: &'static str, status: reqwest::StatusCode },
    /// Unavailable, timeout, connect or transport error (none of which carries a body).
    #[error(transparent)]
    Failed(OutboundError),
}

impl FetchError {
    /// Worth trying again later: the host is down or slow, not refused by us nor refusing the URL.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Refused(_) | Self::RefusedAddress(_) => false,
            Self::Status { status, .. } => super::error::counts_as_failure(*status),
            Self::Failed(error) => error.is_transient(),
        }
    }
}

/// An outbound client for URLs that came from outside: the policy, the resolver and no redirects or proxy, on
/// top of the outbound kit's timeouts, retries, breaker and metrics. Cheap to clone.
#[derive(Debug, Clone)]
pub struct GuardedClient {
    outbound: OutboundClient,
    policy: Arc<FetchPolicy>,
}

impl GuardedClient {
    pub fn new(
        dependency: &'static str,
        settings: OutboundSettings,
        policy: FetchPolicy,
    ) -> Result<Self, OutboundError> {
        let trusted_names = policy.allow_origins.iter().map(|origin| origin.host.clone()).collect();
        let resolver = Arc::new(PublicOnly { trusted_names });
        let outbound =
            OutboundClient::build(dependency, settings, |builder| builder.dns_resolver(resolver).no_proxy())?;
        Ok(Self { outbound, policy: Arc::new(policy) })
    }

    pub fn outbound(&self) -> &OutboundClient {
        &self.outbound
    }

    /// GETs `url` if the policy allows it (retried like any safe call). A 2xx comes back as the response.
    pub async fn get(&self, url: &str) -> Result<Response, FetchError> {
        let url = self.policy.check(url).map_err(FetchError::Refused)?;
        match self.outbound.send(self.outbound.http().get(url), Idempotency::Safe).await {
            Ok(response) => Ok(response),
            Err(OutboundError::Refused { reason, .. }) => Err(FetchError::RefusedAddress(reason)),
            Err(OutboundError::Status { dependency, status, .. }) => Err(FetchError::Status { dependency, status }),
            Err(other) => Err(FetchError::Failed(other)),
        }
    }
}

/// The resolver error for a name whose every address is one we never connect to.
#[derive(Debug, thiserror::Error)]
#[error("{}", NonPublicAddress::REASON)]
pub(crate) struct NonPublicAddress;

impl NonPublicAddress {
    pub(crate) const REASON: &'static str = "the host resolves only to non-public addresses";
}

/// Resolves names with the system resolver and keeps only public addresses (the names of allowed origins are
/// trusted as they resolve).
#[derive(Debug)]
struct PublicOnly {
    trusted_names: Vec<String>,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let trusted = self.trusted_names.contains(&host);
        Box::pin(async move {
            let resolved = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = resolved.filter(|addr| trusted || is_public(addr.ip())).collect();
            if allowed.is_empty() {
                return Err(Box::new(NonPublicAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// IPv4 ranges that are never an outside service: (network, prefix length).
const SPECIAL_V4: &[([u8; 4], u32)] = &[
    ([0, 0, 0, 0], 8),       // "this network", unspecified
    ([10, 0, 0, 0], 8),      // private
    ([100, 64, 0, 0], 10),   // CGNAT shared space
    ([127, 0, 0, 0], 8),     // loopback
    ([169, 254, 0, 0], 16),  // link-local, cloud metadata (169.254.169.254)
    ([172, 16, 0, 0], 12),   // private
    ([192, 0, 0, 0], 24),    // IETF protocol assignments
    ([192, 0, 2, 0], 24),    // documentation
    ([192, 88, 99, 0], 24),  // 6to4 relay anycast
    ([192, 168, 0, 0], 16),  // private
    ([198, 18, 0, 0], 15),   // benchmarking
    ([198, 51, 100, 0], 24), // documentation
    ([203, 0, 113, 0], 24),  // documentation
    ([224, 0, 0, 0], 4),     // multicast
    ([240, 0, 0, 0], 4),     // reserved, broadcast
];

/// IPv6 ranges inside global unicast (2000::/3) that are still special: (network, prefix length). Everything
/// outside 2000::/3 (loopback, unspecified, v4-mapped, NAT64 64:ff9b::, unique-local fc00::/7 with AWS's
/// fd00:ec2::254, link-local, multicast…) is refused before this list is read.
const SPECIAL_V6: &[([u16; 8], u32)] = &[
    ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23), // IETF protocol assignments (Teredo 2001::/32 among them)
    ([0x2001, 0x0db8, 0, 0, 0, 0, 0, 0], 32), // documentation
    ([0x2002, 0, 0, 0, 0, 0, 0, 0], 16), // 6to4: embeds any IPv4 address
    ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20), // documentation
];

/// Whether `ip` may be an outside service we connect to.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let address = u32::from(ip);
    !SPECIAL_V4.iter().any(|(network, bits)| {
        let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
        address & mask == u32::from(Ipv4Addr::from(*network)) & mask
    })
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let address = u128::from(ip);
    let in_range = |network: Ipv6Addr, bits: u32| {
        let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
        address & mask == u128::from(network) & mask
    };
    let global_unicast = in_range(Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3);
    global_unicast
        && !SPECIAL_V6.iter().any(|(segments, bits)| {
            let [a, b, c, d, e, f, g, h] = *segments;
            in_range(Ipv6Addr::new(a, b, c, d, e, f, g, h), *bits)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().expect("an address"))
    }

    #[test]
    fn special_addresses_are_never_public() {
        for address in [
            "127.0.0.1",
            "127.8.9.10",
            "0.0.0.0",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "224.0.0.1",
            "255.255.255.255",
            "198.18.0.1",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "fd00:ec2::254",
            "fc00::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2002:a00:1::1",
            "2001::1",
        ] {
            assert!(!public(address), "{address} must not be public");
        }
        for address in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450::1"] {
            assert!(public(address), "{address} is public");
        }
    }

    fn policy() -> FetchPolicy {
        FetchPolicy {
            hosts: AllowedHost::parse_list("f004.backblazeb2.com, *.cdn.example.com, media.example.org:8443")
                .expect("valid"),
            allow_origins: vec![Origin::parse("http://127.0.0.1:4010").expect("an origin")],
        }
    }

    #[test]
    fn urls_must_be_https_to_an_allowed_host_name() {
        let policy = policy();
        assert!(policy.check("https://f004.backblazeb2.com/file/temp-file-download/instances/A/B/c.jpeg").is_ok());
        assert!(policy.check("https://F004.BackBlazeB2.com/x").is_ok(), "host names are case-insensitive");
        assert!(policy.check("https://a.cdn.example.com/x").is_ok());
        assert!(policy.check("https://media.example.org:8443/x").is_ok());
        let refused = |url: &str| policy.check(url).err();
        assert_eq!(refused("http://f004.backblazeb2.com/x"), Some(Refusal::NotHttps));
        assert_eq!(refused("https://evil.example.net/x"), Some(Refusal::HostNotAllowed));
        assert_eq!(refused("https://f004.backblazeb2.com.evil.net/x"), Some(Refusal::HostNotAllowed));
        assert_eq!(refused("https://cdn.example.com/x"), Some(Refusal::HostNotAllowed), "a wildcard is subdomains");
        assert_eq!(refused("https://f004.backblazeb2.com:8443/x"), Some(Refusal::HostNotAllowed), "other port");
        assert_eq!(refused("https://media.example.org/x"), Some(Refusal::HostNotAllowed), "its named port only");
        assert_eq!(refused("https://user:pw@f004.backblazeb2.com/x"), Some(Refusal::UserInfo));
        for literal in ["https://127.0.0.1/x", "https://10.0.0.1/x", "https://169.254.169.254/latest", "https://[::1]/"]
        {
            assert_eq!(refused(literal), Some(Refusal::AddressLiteral), "{literal}");
        }
        assert_eq!(refused("file:///etc/passwd"), Some(Refusal::NotHttps));
        assert_eq!(refused("not a url"), Some(Refusal::NotAUrl));
        assert_eq!(refused("https://2130706433/x"), Some(Refusal::AddressLiteral), "127.0.0.1 spelled as a number");
        // The fake's exact origin only: not another port on the same address.
        assert!(policy.check("http://127.0.0.1:4010/media/a.png").is_ok());
        assert_eq!(refused("http://127.0.0.1:4011/media/a.png"), Some(Refusal::NotHttps));
    }

    #[test]
    fn allowlist_entries_are_host_names() {
        assert!(AllowedHost::parse("10.0.0.1").is_err());
        assert!(AllowedHost::parse("[::1]").is_err());
        assert!(AllowedHost::parse("exa mple.com").is_err());
        assert!(AllowedHost::parse("example.com:http").is_err());
        assert_eq!(AllowedHost::parse(" *.Example.com ").map(|h| h.to_string()), Ok("*.example.com".into()));
    }
}
