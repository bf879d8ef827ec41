//! CPF: the Brazilian individual taxpayer number, 9 digits plus 2 check digits.

use serde::{Deserialize, Serialize};

use super::{all_same, without_separators};
use crate::i18n::Text;

const EMPTY: Text = Text::new("Informe o CPF.", "Enter the CPF.");
const SHAPE: Text =
    Text::new("O CPF tem 11 números, como 529.982.247-25.", "A CPF has 11 digits, like 529.982.247-25.");
const INVALID: Text =
    Text::new("Este CPF não é válido. Confira os números.", "This CPF is not valid. Please check the digits.");

/// A CPF whose check digits are right. Stored as its 11 digits; shown as `529.982.247-25`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cpf(String);

impl Cpf {
    /// Accepts `529.982.247-25`, `52998224725` and spaced variants.
    pub fn parse(input: &str) -> Result<Self, Text> {
        let digits = without_separators(input);
        if digits.is_empty() {
            return Err(EMPTY);
        }
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SHAPE);
        }
        // 000.000.000-00, 111.111.111-11, … pass the check-digit arithmetic but are not real CPFs.
        if all_same(&digits) {
            return Err(INVALID);
        }
        let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        if values[9] != check_digit(&values[..9]) || values[10] != check_digit(&values[..10]) {
            return Err(INVALID);
        }
        Ok(Self(digits))
    }

    /// The CPF whose first nine digits are `base`, with its check digits computed (demo data, tests).
    pub fn completing(base: &str) -> Result<Self, Text> {
        let mut values: Vec<u32> = base.chars().filter_map(|c| c.to_digit(10)).collect();
        if values.len() != 9 || base.chars().filter(char::is_ascii_digit).count() != base.chars().count() {
            return Err(SHAPE);
        }
        values.push(check_digit(&values));
        values.push(check_digit(&values));
        Self::parse(&values.iter().filter_map(|value| char::from_digit(*value, 10)).collect::<String>())
    }

    /// The 11 digits, without punctuation (how it is stored).
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// Same as [`Cpf::digits`]: the canonical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The mod-11 check digit of `values`, weighted from `len + 1` down to 2.
fn check_digit(values: &[u32]) -> u32 {
    let weights = (2..=values.len() as u32 + 1).rev();
    let sum: u32 = values.iter().zip(weights).map(|(value, weight)| value * weight).sum();
    let rest = sum % 11;
    if rest < 2 { 0 } else { 11 - rest }
}

impl std::fmt::Display for Cpf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = &self.0;
        write!(f, "{}.{}.{}-{}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }
}

parse_conversions!(Cpf);
into_string!(Cpf);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_cpfs_formatted_or_not() {
        for input in ["529.982.247-25", "52998224725", " 529 982 247 25 ", "111.444.777-35", "11144477735"] {
            assert!(Cpf::parse(input).is_ok(), "{input}");
        }
    }

    #[test]
    fn stores_digits_and_displays_formatted() {
        let cpf = Cpf::parse("529 982 247 25").unwrap();
        assert_eq!(cpf.digits(), "52998224725");
        assert_eq!(cpf.to_string(), "529.982.247-25");
    }

    #[test]
    fn empty_has_its_own_message() {
        assert_eq!(Cpf::parse(""), Err(EMPTY));
        assert_eq!(Cpf::parse(" .- "), Err(EMPTY));
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        assert_eq!(Cpf::parse("529.982.247-2"), Err(SHAPE));
        assert_eq!(Cpf::parse("529.982.247-255"), Err(SHAPE));
        assert_eq!(Cpf::parse("529.982.247-2a"), Err(SHAPE));
    }

    #[test]
    fn rejects_all_same_digit() {
        assert_eq!(Cpf::parse("111.111.111-11"), Err(INVALID));
        assert_eq!(Cpf::parse("00000000000"), Err(INVALID));
    }

    #[test]
    fn completes_nine_digits_with_their_check_digits() {
        assert_eq!(Cpf::completing("529982247").map(|cpf| cpf.digits().to_string()), Ok("52998224725".to_string()));
        assert_eq!(Cpf::completing("123456789").map(|cpf| cpf.digits().to_string()), Ok("12345678909".to_string()));
        assert!(Cpf::completing("12345678").is_err() && Cpf::completing("12345678x9").is_err());
    }

    #[test]
    fn rejects_wrong_check_digits() {
        assert_eq!(Cpf::parse("529.982.247-24"), Err(INVALID));
        assert_eq!(Cpf::parse("529.982.247-15"), Err(INVALID));
        assert_eq!(Cpf::parse("123.456.789-00"), Err(INVALID));
    }

    #[test]
    fn serde_uses_digits_and_refuses_bad_values() {
        let cpf = Cpf::parse("529.982.247-25").unwrap();
        assert_eq!(String::from(cpf.clone()), "52998224725");
        assert_eq!(Cpf::try_from("529.982.247-25".to_owned()), Ok(cpf));
        assert!(Cpf::try_from("111.111.111-11".to_owned()).is_err());
    }
}
