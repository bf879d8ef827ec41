//! Webhook secrets: random tokens, kept only as SHA-256, compared in constant time.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// 32 random bytes (two v4 UUIDs' worth of the OS generator), URL-safe base64: fit for a URL path segment.
pub fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored and compared.
pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Whether `presented` hashes to `expected`, in time independent of where they differ. Comparing hashes (fixed
/// length) also hides the secret's length.
pub fn matches(presented: &[u8], expected: &[u8]) -> bool {
    let presented: [u8; 32] = Sha256::digest(presented).into();
    presented.ct_eq(expected).into()
}

/// A path token we could have issued: bounded length, URL-safe alphabet. Anything else is refused before a
/// database round trip.
pub fn plausible(token: &str) -> bool {
    (16..=128).contains(&token.len())
        && token.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_url_safe_and_match_only_themselves() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(plausible(&a) && a.len() == 43);
        assert!(matches(a.as_bytes(), &hash_secret(&a)));
        assert!(!matches(b.as_bytes(), &hash_secret(&a)));
        assert!(!matches(b"", &hash_secret(&a)));
        assert!(!plausible("../../etc/passwd") && !plausible("short"));
    }
}
