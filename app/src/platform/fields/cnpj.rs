//! CNPJ: the Brazilian company taxpayer number, 12 characters plus 2 check digits.
//!
//! From July 2026 the Receita Federal also issues alphanumeric CNPJs (`12.ABC.345/01DE-35`): the first 12
//! characters may be letters A–Z, the check digits stay numeric, and each character counts as its ASCII code
//! minus 48 (so digits keep their value). That is the same arithmetic, so both kinds are accepted here.

use serde::{Deserialize, Serialize};

use super::{all_same, without_separators};
use crate::i18n::Text;

const EMPTY: Text = Text::new("Informe o CNPJ.", "Enter the CNPJ.");
const SHAPE: Text = Text::new(
    "O CNPJ tem 14 caracteres, como 11.222.333/0001-81.",
    "A CNPJ has 14 characters, like 11.222.333/0001-81.",
);
const INVALID: Text =
    Text::new("Este CNPJ não é válido. Confira os números.", "This CNPJ is not valid. Please check the digits.");

const FIRST_WEIGHTS: [u32; 12] = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const SECOND_WEIGHTS: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/// A CNPJ whose check digits are right. Stored as its 14 characters (digits, or upper-case letters in the
/// first 12 for the alphanumeric CNPJ); shown as `11.222.333/0001-81`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cnpj(String);

impl Cnpj {
    /// Accepts `11.222.333/0001-81`, `11222333000181`, spaced variants and alphanumeric CNPJs (any case).
    pub fn parse(input: &str) -> Result<Self, Text> {
        let value = without_separators(input).to_ascii_uppercase();
        if value.is_empty() {
            return Err(EMPTY);
        }
        let bytes = value.as_bytes();
        if bytes.len() != 14
            || !bytes[..12].iter().all(u8::is_ascii_alphanumeric)
            || !bytes[12..].iter().all(u8::is_ascii_digit)
        {
            return Err(SHAPE);
        }
        // 00.000.000/0000-00 and friends pass the arithmetic but are not real CNPJs.
        if all_same(&value) {
            return Err(INVALID);
        }
        // '0'..'9' → 0..9 and 'A'..'Z' → 17..42, as the Receita specifies.
        let values: Vec<u32> = bytes.iter().map(|&b| u32::from(b - b'0')).collect();
        if values[12] != check_digit(&values[..12], &FIRST_WEIGHTS)
            || values[13] != check_digit(&values[..13], &SECOND_WEIGHTS)
        {
            return Err(INVALID);
        }
        Ok(Self(value))
    }

    /// The 14 characters without punctuation (how it is stored).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_digit(values: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = values.iter().zip(weights).map(|(value, weight)| value * weight).sum();
    let rest = sum % 11;
    if rest < 2 { 0 } else { 11 - rest }
}

impl std::fmt::Display for Cnpj {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.0;
        write!(f, "{}.{}.{}/{}-{}", &c[0..2], &c[2..5], &c[5..8], &c[8..12], &c[12..14])
    }
}

parse_conversions!(Cnpj);
into_string!(Cnpj);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_cnpjs_formatted_or_not() {
        // Check digits verified by hand: 11.222.333/0001 → 8 then 1; 45.723.174/0001 → 1 then 0.
        for input in ["11.222.333/0001-81", "11222333000181", "45.723.174/0001-10", " 45 723 174 0001 10 "] {
            assert!(Cnpj::parse(input).is_ok(), "{input}");
        }
    }

    #[test]
    fn stores_digits_and_displays_formatted() {
        let cnpj = Cnpj::parse("11222333000181").unwrap();
        assert_eq!(cnpj.as_str(), "11222333000181");
        assert_eq!(cnpj.to_string(), "11.222.333/0001-81");
    }

    #[test]
    fn accepts_alphanumeric_cnpj() {
        // The Receita Federal's own example.
        let cnpj = Cnpj::parse("12.abc.345/01de-35").unwrap();
        assert_eq!(cnpj.as_str(), "12ABC34501DE35");
        assert_eq!(cnpj.to_string(), "12.ABC.345/01DE-35");
        assert_eq!(Cnpj::parse("12.ABC.345/01DE-36"), Err(INVALID));
    }

    #[test]
    fn empty_has_its_own_message() {
        assert_eq!(Cnpj::parse("  "), Err(EMPTY));
    }

    #[test]
    fn rejects_wrong_shape() {
        assert_eq!(Cnpj::parse("11.222.333/0001-8"), Err(SHAPE));
        assert_eq!(Cnpj::parse("11.222.333/0001-811"), Err(SHAPE));
        // Check digits are always numeric; other symbols are never allowed.
        assert_eq!(Cnpj::parse("11.222.333/0001-8A"), Err(SHAPE));
        assert_eq!(Cnpj::parse("11.222.333/0001_81"), Err(SHAPE));
        assert_eq!(Cnpj::parse("11.222.333/0ção-81"), Err(SHAPE));
    }

    #[test]
    fn rejects_all_same_character() {
        assert_eq!(Cnpj::parse("00.000.000/0000-00"), Err(INVALID));
        assert_eq!(Cnpj::parse("11111111111111"), Err(INVALID));
    }

    #[test]
    fn rejects_wrong_check_digits() {
        assert_eq!(Cnpj::parse("11.222.333/0001-80"), Err(INVALID));
        assert_eq!(Cnpj::parse("11.222.333/0001-91"), Err(INVALID));
        assert_eq!(Cnpj::parse("45.723.174/0001-11"), Err(INVALID));
    }

    #[test]
    fn serde_refuses_bad_values() {
        assert_eq!(String::from(Cnpj::parse("11.222.333/0001-81").unwrap()), "11222333000181");
        assert!(Cnpj::try_from("11.222.333/0001-80".to_owned()).is_err());
    }
}
