//! An organization's slug: the part of its address that names it (`atrium.app/faculdade-famath`).
//!
//! Kept to plain lower-case ASCII so the address reads the same everywhere (no accents to mistype, no case
//! to get wrong), starting with a letter, and never one of the paths the app itself uses.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

const EMPTY: Text = Text::new("Informe o endereço da organização.", "Enter the organization's address.");
const LENGTH: Text =
    Text::new("O endereço precisa ter de 3 a 40 caracteres.", "The address must be 3 to 40 characters long.");
const CHARACTERS: Text = Text::new(
    "Use só letras sem acento, números e hífens, como faculdade-famath.",
    "Use only letters without accents, digits and hyphens, like faculdade-famath.",
);
const FIRST_LETTER: Text =
    Text::new("O endereço precisa começar com uma letra.", "The address must start with a letter.");
const HYPHENS: Text = Text::new(
    "Não termine com hífen nem use dois hífens seguidos.",
    "Do not end with a hyphen or use two hyphens in a row.",
);
const RESERVED: Text =
    Text::new("Este endereço é reservado. Escolha outro.", "This address is reserved. Please choose another.");

const MIN_LEN: usize = 3;
const MAX_LEN: usize = 40;

/// Paths the app (or the web in general) already uses at the top level, so no organization can take them.
/// Add to this list when adding a top-level route.
const RESERVED_SLUGS: &[&str] = &[
    "cadastro", "entrar", "sair", "design", "idioma", "api", "pkg", "healthz", "readyz", "metrics", "ws", "webhooks",
    "admin", "static", "assets", "public", "favicon", "robots", "atrium", "app", "www", "conta", "dev",
];

/// A valid, unreserved organization slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// Trims and lower-cases `input`, and otherwise takes it as it is: what the person sees is what they get.
    /// ASCII lower-casing: a slug is ASCII anyway, and Unicode's case tables are kilobytes of the main wasm that the
    /// landing page (which parses slugs) would otherwise carry.
    pub fn parse(input: &str) -> Result<Self, Text> {
        let slug = input.trim().to_ascii_lowercase();
        if slug.is_empty() {
            return Err(EMPTY);
        }
        if !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(CHARACTERS);
        }
        if !(MIN_LEN..=MAX_LEN).contains(&slug.len()) {
            return Err(LENGTH);
        }
        if !slug.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(FIRST_LETTER);
        }
        if slug.ends_with('-') || slug.contains("--") {
            return Err(HYPHENS);
        }
        if RESERVED_SLUGS.contains(&slug.as_str()) {
            return Err(RESERVED);
        }
        Ok(Self(slug))
    }

    /// A slug made from an organization's name, to pre-fill the field: "Faculdade Famath Ltda." →
    /// `faculdade-famath-ltda`. Accents are dropped, anything else that is not a letter or digit becomes a
    /// single hyphen, leading digits go (a slug starts with a letter), and a long name is cut at a word
    /// boundary. `None` when nothing usable is left, or the result is reserved (the person then types one).
    pub fn suggest(name: &str) -> Option<Slug> {
        let mut slug = String::new();
        for c in name.chars().flat_map(char::to_lowercase).map(without_accent) {
            if c.is_ascii_lowercase() || (c.is_ascii_digit() && !slug.is_empty()) {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        if slug.len() > MAX_LEN {
            // Cut before the last hyphen that keeps it within the limit, or mid-word if there is none.
            let cut = slug[..=MAX_LEN].rfind('-').filter(|&at| at >= MIN_LEN).unwrap_or(MAX_LEN);
            slug.truncate(cut);
        }
        Slug::parse(slug.trim_end_matches('-')).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The unaccented letter for the accented ones Portuguese (and a few neighbours) use; anything else as is.
fn without_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

parse_conversions!(Slug);
into_string!(Slug);

#[cfg(test)]
mod tests {
    use super::*;

    fn suggest(name: &str) -> Option<String> {
        Slug::suggest(name).map(String::from)
    }

    #[test]
    fn accepts_good_slugs_trimmed_and_lowercased() {
        assert_eq!(Slug::parse(" Faculdade-Famath ").unwrap().as_str(), "faculdade-famath");
        for input in ["abc", "escola-2024", "a1b2c3", &"a".repeat(40)] {
            assert!(Slug::parse(input).is_ok(), "{input}");
        }
    }

    #[test]
    fn empty_has_its_own_message() {
        assert_eq!(Slug::parse("  "), Err(EMPTY));
    }

    #[test]
    fn rejects_other_characters_without_transforming_them() {
        // The Kelvin sign (U+212A) lower-cases to an ASCII `k` in Unicode: not a slug character either.
        for input in ["escola famath", "escola_famath", "educação", "escola.famath", "escola/x", "\u{212A}urso"] {
            assert_eq!(Slug::parse(input), Err(CHARACTERS), "{input}");
        }
    }

    #[test]
    fn enforces_length() {
        assert_eq!(Slug::parse("ab"), Err(LENGTH));
        assert_eq!(Slug::parse(&"a".repeat(41)), Err(LENGTH));
    }

    #[test]
    fn must_start_with_a_letter() {
        assert_eq!(Slug::parse("2024-escola"), Err(FIRST_LETTER));
        assert_eq!(Slug::parse("-escola"), Err(FIRST_LETTER));
    }

    #[test]
    fn rejects_bad_hyphens() {
        assert_eq!(Slug::parse("escola-"), Err(HYPHENS));
        assert_eq!(Slug::parse("escola--famath"), Err(HYPHENS));
    }

    #[test]
    fn rejects_reserved_slugs() {
        for reserved in RESERVED_SLUGS.iter().filter(|slug| slug.len() >= MIN_LEN) {
            assert_eq!(Slug::parse(reserved), Err(RESERVED), "{reserved}");
        }
        assert_eq!(Slug::parse("Admin"), Err(RESERVED));
        assert!(Slug::parse("admin-escola").is_ok());
    }

    #[test]
    fn suggests_from_names() {
        assert_eq!(suggest("Faculdade Famath Ltda.").as_deref(), Some("faculdade-famath-ltda"));
        assert_eq!(suggest("  Escola São João & Cia  ").as_deref(), Some("escola-sao-joao-cia"));
        assert_eq!(suggest("ÁÀÂÃÄ ÉÊÈ ÍÏ ÓÔÕÖ ÚÜ Ç Ñ").as_deref(), Some("aaaaa-eee-ii-oooo-uu-c-n"));
        assert_eq!(suggest("2º Colégio Nº 1").as_deref(), Some("colegio-n-1"));
    }

    #[test]
    fn suggestion_is_cut_at_a_word_boundary() {
        let name = "Centro Universitário de Educação Superior da Paraíba";
        assert_eq!(suggest(name).as_deref(), Some("centro-universitario-de-educacao"));
        let exact = format!("{} fim", "a".repeat(36));
        assert_eq!(suggest(&exact), Some(format!("{}-fim", "a".repeat(36))));
        assert_eq!(suggest(&"a".repeat(50)), Some("a".repeat(40)));
    }

    #[test]
    fn no_suggestion_when_nothing_usable_remains() {
        assert_eq!(suggest(""), None);
        assert_eq!(suggest("123 !!!"), None);
        assert_eq!(suggest("AB"), None);
        assert_eq!(suggest("Atrium"), None);
    }
}
