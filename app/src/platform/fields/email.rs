//! E-mail addresses, as people type them into sign-up and invitation forms.
//!
//! The whole address is lower-cased. Strictly the local part is case-sensitive, but no provider people use
//! treats it so, and people do type `Fulano@Gmail.com` one day and `fulano@gmail.com` the next: lower-casing
//! makes the address a reliable key for accounts and invitations (one person, one account).
//!
//! The rules are deliberately narrower than RFC 5322 (no quoted local parts, comments, IP-literal domains or
//! internationalized addresses): what remains is what real sign-ups use, and what every mail provider accepts.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

const EMPTY: Text = Text::new("Informe o e-mail.", "Enter the e-mail.");
const INVALID: Text =
    Text::new("Informe um e-mail válido, como nome@exemplo.com.br.", "Enter a valid e-mail, like name@example.com.");
const TOO_LONG: Text = Text::new("Este e-mail é longo demais.", "This e-mail is too long.");
const NOT_ASCII: Text = Text::new(
    "Use um e-mail sem acentos nem cedilha, como nome@exemplo.com.br.",
    "Use an e-mail without accents, like name@example.com.",
);

/// RFC 5321 limits: 254 characters for the address, 64 for the local part, 63 for a domain label.
const MAX_LEN: usize = 254;
const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;

/// A plausible e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, Text> {
        let address = input.trim().to_ascii_lowercase();
        if address.is_empty() {
            return Err(EMPTY);
        }
        if !address.is_ascii() {
            return Err(NOT_ASCII);
        }
        if address.len() > MAX_LEN {
            return Err(TOO_LONG);
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(INVALID);
        };
        if local.len() > MAX_LOCAL {
            return Err(TOO_LONG);
        }
        if !valid_local(local) || !valid_domain(domain) {
            return Err(INVALID);
        }
        Ok(Self(address))
    }

    /// The address, lower-cased (how it is stored).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or("", |(local, _)| local)
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, domain)| domain)
    }
}

/// Letters, digits and `._%+-'` (the apostrophe is for names like `o'neil`), with dots only between others.
fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._%+-'".contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

/// At least two labels of `[a-z0-9-]` not starting or ending with `-`; the last (the TLD) letters only.
/// A second `@` lands here and fails the label check.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=MAX_LABEL).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_lowercase())
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

parse_conversions!(Email);
into_string!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_lowercases() {
        let email = Email::parse("  Fulano@Exemplo.COM.br ").unwrap();
        assert_eq!(email.as_str(), "fulano@exemplo.com.br");
        assert_eq!(email.to_string(), "fulano@exemplo.com.br");
        assert_eq!(email.local_part(), "fulano");
        assert_eq!(email.domain(), "exemplo.com.br");
    }

    #[test]
    fn accepts_common_addresses() {
        for input in ["a.b@c.io", "nome+tag@gmail.com", "o'neil@x-y.com.br", "a_b%c-d@sub.dom1.org", "x@a.co"] {
            assert!(Email::parse(input).is_ok(), "{input}");
        }
    }

    #[test]
    fn empty_has_its_own_message() {
        assert_eq!(Email::parse("   "), Err(EMPTY));
    }

    #[test]
    fn rejects_malformed_addresses() {
        for input in [
            "a@b",
            "a@@b.com",
            "a@b@c.com",
            "a b@c.com",
            "ab.com",
            "@b.com",
            "a@.com",
            "a@b.",
            "a@b..com",
            "a@-b.com",
            "a@b-.com",
            "a@b.c",
            "a@b.c0m",
            "a@b_c.com",
            ".a@b.com",
            "a.@b.com",
            "a..b@c.com",
            "a\"b@c.com",
            "a<b@c.com",
        ] {
            assert_eq!(Email::parse(input), Err(INVALID), "{input}");
        }
    }

    #[test]
    fn rejects_non_ascii() {
        assert_eq!(Email::parse("ação@x.com"), Err(NOT_ASCII));
        assert_eq!(Email::parse("nome@exémplo.com"), Err(NOT_ASCII));
    }

    #[test]
    fn enforces_length_limits() {
        let local = "a".repeat(64);
        assert!(Email::parse(&format!("{local}@x.com")).is_ok());
        assert_eq!(Email::parse(&format!("a{local}@x.com")), Err(TOO_LONG));
        let label = "b".repeat(63);
        let domain = format!("{label}.{label}.{label}.{}.com", "b".repeat(56));
        assert_eq!(format!("a@{domain}").len(), 254);
        assert!(Email::parse(&format!("a@{domain}")).is_ok());
        assert_eq!(Email::parse(&format!("ab@{domain}")), Err(TOO_LONG));
        assert_eq!(Email::parse(&format!("a@{}.com", "b".repeat(64))), Err(INVALID));
    }

    #[test]
    fn serde_refuses_bad_values() {
        assert_eq!(String::from(Email::parse("A@B.com").unwrap()), "a@b.com");
        assert!(Email::try_from("a@b".to_owned()).is_err());
    }
}
