//! Names of people and organizations. Names are too varied to police (one-word names, apostrophes, particles,
//! any script), so the rules only catch what is surely a mistake: nothing typed, a stray letter, no letter at
//! all, or a paste that brought line breaks and runs of spaces along (collapsed to single spaces).

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

const MIN_CHARS: usize = 2;
const MAX_CHARS: usize = 120;

/// The messages for one kind of name.
struct Messages {
    empty: Text,
    length: Text,
    no_letter: Text,
}

const PERSON: Messages = Messages {
    empty: Text::new("Informe o nome.", "Enter the name."),
    length: Text::new("O nome precisa ter de 2 a 120 caracteres.", "The name must be 2 to 120 characters long."),
    no_letter: Text::new("O nome precisa ter pelo menos uma letra.", "The name must contain at least one letter."),
};

const ORGANIZATION: Messages = Messages {
    empty: Text::new("Informe o nome da organização.", "Enter the organization's name."),
    length: Text::new(
        "O nome da organização precisa ter de 2 a 120 caracteres.",
        "The organization's name must be 2 to 120 characters long.",
    ),
    no_letter: Text::new(
        "O nome da organização precisa ter pelo menos uma letra.",
        "The organization's name must contain at least one letter.",
    ),
};

/// Trims, collapses whitespace (any kind, including line breaks) to single spaces, and checks the rules.
/// Other control characters count as whitespace too: they are never part of a name.
fn normalize(input: &str, messages: &Messages) -> Result<String, Text> {
    let name = input.split(|c: char| c.is_whitespace() || c.is_control()).filter(|word| !word.is_empty());
    let name = name.collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(messages.empty);
    }
    if !(MIN_CHARS..=MAX_CHARS).contains(&name.chars().count()) {
        return Err(messages.length);
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(messages.no_letter);
    }
    Ok(name)
}

/// A person's name, as they write it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, Text> {
        normalize(input, &PERSON).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An organization's name (a school, a company), as it wants to be shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganizationName(String);

impl OrganizationName {
    pub fn parse(input: &str) -> Result<Self, Text> {
        normalize(input, &ORGANIZATION).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for OrganizationName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

parse_conversions!(PersonName);
into_string!(PersonName);
parse_conversions!(OrganizationName);
into_string!(OrganizationName);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_collapses_whitespace() {
        let name = PersonName::parse("  Maria   da\tSilva\n D'Ávila ").unwrap();
        assert_eq!(name.as_str(), "Maria da Silva D'Ávila");
        assert_eq!(name.to_string(), "Maria da Silva D'Ávila");
        assert_eq!(PersonName::parse("Ana\u{0}Lu").unwrap().as_str(), "Ana Lu");
    }

    #[test]
    fn accepts_varied_names() {
        for input in ["Xu", "Madonna", "José Ñúñez", "Łukasz", "李小龍", "Maria-Clara O'Neil"] {
            assert!(PersonName::parse(input).is_ok(), "{input}");
        }
    }

    #[test]
    fn empty_has_its_own_message() {
        assert_eq!(PersonName::parse(" \n\t "), Err(PERSON.empty));
        assert_eq!(OrganizationName::parse(""), Err(ORGANIZATION.empty));
    }

    #[test]
    fn enforces_length_in_characters() {
        assert_eq!(PersonName::parse("A"), Err(PERSON.length));
        assert!(PersonName::parse(&"á".repeat(120)).is_ok());
        assert_eq!(PersonName::parse(&"á".repeat(121)), Err(PERSON.length));
        // Collapsing happens first: runs of spaces do not count against the limit.
        assert!(PersonName::parse(&format!("{}          {}", "a".repeat(59), "b".repeat(60))).is_ok());
    }

    #[test]
    fn needs_a_letter() {
        assert_eq!(PersonName::parse("12345"), Err(PERSON.no_letter));
        assert_eq!(PersonName::parse("-- !"), Err(PERSON.no_letter));
    }

    #[test]
    fn organization_names_follow_the_same_rules() {
        let name = OrganizationName::parse("  Faculdade   Famath  Ltda. ").unwrap();
        assert_eq!(name.to_string(), "Faculdade Famath Ltda.");
        assert!(OrganizationName::parse("3M").is_ok());
        assert_eq!(OrganizationName::parse("X"), Err(ORGANIZATION.length));
        assert_eq!(OrganizationName::parse("2024"), Err(ORGANIZATION.no_letter));
        assert_eq!(OrganizationName::parse(&"a".repeat(121)), Err(ORGANIZATION.length));
    }

    #[test]
    fn serde_refuses_bad_values() {
        assert_eq!(String::from(PersonName::parse(" Ana  Lu ").unwrap()), "Ana Lu");
        assert!(PersonName::try_from("1".to_owned()).is_err());
        assert!(OrganizationName::try_from("".to_owned()).is_err());
    }
}
