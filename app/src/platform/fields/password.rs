//! A password someone is choosing (sign-up, reset, change). Not for signing in: a sign-in checks the stored
//! hash, whatever the rules were when that password was chosen.
//!
//! The rules follow NIST SP 800-63B: length matters, composition rules ("one symbol, one capital") do not,
//! and the passwords everyone tries first are refused. The password is taken exactly as typed (not trimmed:
//! spaces are allowed and count). It is a secret, so it is never serialized and `Debug` does not show it.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// A password as it travels in a form or a server function's arguments (sign-in, sign-up, change, reset), before
/// any rule is applied. Serialized as the plain string (the browser has to send it), but `Debug` never shows it:
/// server functions' argument structs derive `Debug`, and any of them may end up in a log line.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(String);

impl Password {
    /// The password itself, to check or hash it. Never log, store or send it elsewhere.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Self(password)
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

const EMPTY: Text = Text::new("Informe uma senha.", "Enter a password.");
const TOO_SHORT: Text =
    Text::new("A senha precisa ter pelo menos 10 caracteres.", "The password must be at least 10 characters long.");
const TOO_LONG: Text =
    Text::new("A senha pode ter no máximo 128 caracteres.", "The password can be at most 128 characters long.");
const REPEATED: Text = Text::new("Não use o mesmo caractere repetido.", "Do not use the same character over and over.");
const ONLY_DIGITS: Text = Text::new(
    "Não use só números. Misture palavras, letras ou símbolos.",
    "Do not use only digits. Mix in words, letters or symbols.",
);
const COMMON: Text = Text::new(
    "Esta senha é muito comum e fácil de adivinhar. Escolha outra.",
    "This password is too common and easy to guess. Please choose another.",
);
const IS_EMAIL: Text = Text::new("Não use o seu e-mail como senha.", "Do not use your e-mail as the password.");

const MIN_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing stays cheap.
const MAX_CHARS: usize = 128;

/// Passwords of 10+ characters that top the leaked-password lists (in lower case; compared ignoring case).
/// Shorter favourites (`123456`, `senha123`) are already refused by the length rule.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "0123456789",
    "12345678910",
    "1234567891",
    "0987654321",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "asdfghjkl1",
    "asdfghjklç",
    "abcdefghij",
    "abc1234567",
    "abcd123456",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "iloveyou12",
    "senha12345",
    "senha123456",
    "minhasenha",
    "minhasenha123",
    "mudar12345",
    "trocar1234",
    "admin12345",
    "administrador",
    "brasil1234",
    "brasil12345",
    "corinthians",
    "flamengo123",
    "palmeiras123",
    "atrium1234",
    "atrium12345",
];

/// A password that passed the rules above.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, Text> {
        Self::parse_for(input, None)
    }

    /// Like [`NewPassword::parse`], also refusing the person's own e-mail address or the part before its `@`.
    pub fn parse_for(input: &str, email: Option<&str>) -> Result<Self, Text> {
        if input.is_empty() {
            return Err(EMPTY);
        }
        let chars = input.chars().count();
        if chars < MIN_CHARS {
            return Err(TOO_SHORT);
        }
        if chars > MAX_CHARS {
            return Err(TOO_LONG);
        }
        if super::all_same(input) {
            return Err(REPEATED);
        }
        if input.chars().all(|c| c.is_ascii_digit()) {
            return Err(ONLY_DIGITS);
        }
        let lower = input.to_lowercase();
        if COMMON_PASSWORDS.contains(&lower.as_str()) {
            return Err(COMMON);
        }
        if let Some(email) = email.map(|email| email.trim().to_lowercase()) {
            let local = email.rsplit_once('@').map_or(email.as_str(), |(local, _)| local);
            if lower == email || lower == local {
                return Err(IS_EMAIL);
            }
        }
        Ok(Self(input.to_owned()))
    }

    /// The password itself, to hash it. Never log, store or send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

parse_conversions!(NewPassword);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_long_enough_passwords_as_typed() {
        for input in ["correct horse battery", "Minha casa 2024!", "abcdefghi1", " espaços contam "] {
            assert_eq!(NewPassword::parse(input).unwrap().expose(), input);
        }
    }

    #[test]
    fn empty_has_its_own_message() {
        assert_eq!(NewPassword::parse(""), Err(EMPTY));
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 9 characters but 18 bytes: still too short.
        assert_eq!(NewPassword::parse("çãçãçãçãx"), Err(TOO_SHORT));
        assert!(NewPassword::parse("çãçãçãçãxy").is_ok());
        assert_eq!(NewPassword::parse("abcdefgh1"), Err(TOO_SHORT));
    }

    #[test]
    fn enforces_maximum_length() {
        assert!(NewPassword::parse(&"ab".repeat(64)).is_ok());
        assert_eq!(NewPassword::parse(&format!("{}c", "ab".repeat(64))), Err(TOO_LONG));
    }

    #[test]
    fn rejects_one_repeated_character() {
        assert_eq!(NewPassword::parse("aaaaaaaaaaaa"), Err(REPEATED));
        assert_eq!(NewPassword::parse("          "), Err(REPEATED));
        assert_eq!(NewPassword::parse("1111111111"), Err(REPEATED));
    }

    #[test]
    fn rejects_only_digits() {
        assert_eq!(NewPassword::parse("83999991234"), Err(ONLY_DIGITS));
    }

    #[test]
    fn rejects_common_passwords_ignoring_case() {
        for input in ["Senha12345", "PASSWORD123", "qwertyuiop", "abcdefghij", "Atrium1234", "1q2w3e4r5t"] {
            assert_eq!(NewPassword::parse(input), Err(COMMON), "{input}");
        }
        // All digits is caught first, with its own (more helpful) message.
        assert_eq!(NewPassword::parse("1234567890"), Err(ONLY_DIGITS));
    }

    #[test]
    fn rejects_the_email_or_its_local_part() {
        let email = Some("Fulano.Silva@exemplo.com.br");
        assert_eq!(NewPassword::parse_for("fulano.silva", email), Err(IS_EMAIL));
        assert_eq!(NewPassword::parse_for("FULANO.SILVA@EXEMPLO.COM.BR", email), Err(IS_EMAIL));
        assert!(NewPassword::parse_for("fulano.silva!", email).is_ok());
        assert!(NewPassword::parse_for("fulano.silva", None).is_ok());
    }

    #[test]
    fn debug_does_not_show_the_password() {
        let password = NewPassword::parse("segredo muito bom").unwrap();
        let debug = format!("{password:?}");
        assert!(!debug.contains("segredo"), "{debug}");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_password_in_a_form_travels_as_a_plain_string_but_debug_hides_it() {
        let password = Password::from("segredo muito bom".to_owned());
        assert!(!format!("{password:?}").contains("segredo"));
        assert_eq!(serde_json::to_string(&password).unwrap(), "\"segredo muito bom\"");
        assert_eq!(serde_json::from_str::<Password>("\"segredo muito bom\"").unwrap(), password);
    }

    #[test]
    fn deserializes_only_valid_passwords() {
        assert!(NewPassword::try_from("segredo muito bom".to_owned()).is_ok());
        assert!(NewPassword::try_from("curta".to_owned()).is_err());
    }
}
