//! Form fields as types ("parse, don't validate"): each value is checked once, where it enters the system
//! (a form, a server function's arguments, a row), and from then on its type says it is valid.
//!
//! Every type has `parse(&str) -> Result<Self, Text>`: the error is a short message in pt-BR and English,
//! ready to show next to the field. The same types run on the server and in the browser, so a form can check
//! as the person types and the server checks again with the very same rules.
//!
//! Serde goes through the canonical string (`#[serde(try_from = "String", into = "String")]`), so a bad
//! value cannot be deserialized into one of these types. `NewPassword` is the exception on the way out: it is
//! a secret, so it is never serialized and its `Debug` is redacted.

/// `FromStr` (error: the `Text` message) and `TryFrom<String>` (for serde; its error is the English message,
/// since serde errors end up in logs, not in front of people) for a type with `parse`.
macro_rules! parse_conversions {
    ($type:ident) => {
        impl std::str::FromStr for $type {
            type Err = crate::i18n::Text;

            fn from_str(input: &str) -> Result<Self, Self::Err> {
                Self::parse(input)
            }
        }

        impl TryFrom<String> for $type {
            type Error = &'static str;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value).map_err(|text| text.en)
            }
        }
    };
}

/// `From<T> for String` (for serde's `into = "String"`) for a type whose canonical form is `as_str()`.
macro_rules! into_string {
    ($type:ident) => {
        impl From<$type> for String {
            fn from(value: $type) -> Self {
                value.as_str().to_owned()
            }
        }
    };
}

mod cnpj;
mod cpf;
mod email;
mod name;
mod password;
mod phone;
mod slug;

pub use cnpj::Cnpj;
pub use cpf::Cpf;
pub use email::Email;
pub use name::{OrganizationName, PersonName};
pub use password::{NewPassword, Password};
pub use phone::Phone;
pub use slug::Slug;

/// `input` without the separators people type between digits (spaces, dots, dashes, slashes, parentheses).
fn without_separators(input: &str) -> String {
    input.chars().filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '/' | '(' | ')'))).collect()
}

/// True when every character of `value` is the same one (and there is at least one).
fn all_same(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(|first| chars.all(|c| c == first))
}
