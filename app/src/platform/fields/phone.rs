//! Phone numbers, stored in E.164 (`+5583999991234`) so they can be compared, deduplicated and handed to an
//! SMS/WhatsApp provider as they are. Brazilian numbers are checked for real: a valid DDD, and a subscriber
//! number that is a mobile (9 digits starting with 9) or a landline (8 digits starting with 2–5). Numbers from
//! other countries are accepted only with `+` and their country code, checked only for length.

use serde::{Deserialize, Serialize};

use super::without_separators;
use crate::i18n::Text;

const EMPTY: Text = Text::new("Informe o telefone.", "Enter the phone number.");
const INVALID: Text =
    Text::new("Informe um telefone válido, como (83) 99999-1234.", "Enter a valid phone number, like (83) 99999-1234.");
const NO_DDD: Text =
    Text::new("Inclua o DDD, como (83) 99999-1234.", "Include the area code (DDD), like (83) 99999-1234.");
const BAD_DDD: Text = Text::new(
    "Este DDD não existe. Confira os dois primeiros números.",
    "This area code (DDD) does not exist. Please check the first two digits.",
);
const BAD_NUMBER: Text = Text::new(
    "Celulares têm 9 números começando com 9; fixos, 8 números começando de 2 a 5.",
    "Mobile numbers have 9 digits starting with 9; landlines have 8 digits starting with 2 to 5.",
);
const BAD_INTERNATIONAL: Text = Text::new(
    "Para outros países, use + e o código do país, com 8 a 15 números no total.",
    "For other countries, use + and the country code, 8 to 15 digits in all.",
);

/// The DDDs (area codes) Anatel has assigned.
const DDDS: [u8; 67] = [
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46, 47, 48,
    49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89,
    91, 92, 93, 94, 95, 96, 97, 98, 99,
];

/// A phone number in E.164. Shown as `(83) 99999-1234` when Brazilian, `+<digits>` otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts `(83) 99999-1234`, `83 3333-1234`, `+55 83 99999-1234`, `5583999991234`, `083999991234` (trunk
    /// 0) and `+<country code and number>`, with any spaces, dots, dashes and parentheses.
    pub fn parse(input: &str) -> Result<Self, Text> {
        let trimmed = input.trim();
        let (international, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let digits = without_separators(rest);
        if digits.is_empty() {
            return Err(if international { INVALID } else { EMPTY });
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(INVALID);
        }
        let national = if international {
            match digits.strip_prefix("55") {
                Some(national) => national,
                None if (8..=15).contains(&digits.len()) && !digits.starts_with('0') => {
                    return Ok(Self(format!("+{digits}")));
                }
                None => return Err(BAD_INTERNATIONAL),
            }
        } else {
            match digits.len() {
                // With the country code, without the '+'. No national number is this long, so it is unambiguous.
                12 | 13 if digits.starts_with("55") => &digits[2..],
                // With the trunk prefix 0, as dialled between area codes.
                11 | 12 if digits.starts_with('0') => &digits[1..],
                8 | 9 => return Err(NO_DDD),
                _ => &digits,
            }
        };
        brazilian(national).map(|national| Self(format!("+55{national}")))
    }

    /// The number in E.164, like `+5583999991234` (how it is stored).
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// Same as [`Phone::e164`]: the canonical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_brazilian(&self) -> bool {
        self.0.starts_with("+55")
    }
}

/// Checks a Brazilian national number (DDD + subscriber number, digits only) and returns it.
fn brazilian(national: &str) -> Result<&str, Text> {
    if !(10..=11).contains(&national.len()) {
        return Err(INVALID);
    }
    let (ddd, number) = national.split_at(2);
    if !ddd.parse::<u8>().is_ok_and(|ddd| DDDS.contains(&ddd)) {
        return Err(BAD_DDD);
    }
    let mobile = number.len() == 9 && number.starts_with('9');
    let landline = number.len() == 8 && number.starts_with(['2', '3', '4', '5']);
    if mobile || landline { Ok(national) } else { Err(BAD_NUMBER) }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.strip_prefix("+55") {
            Some(national) => {
                let (ddd, number) = national.split_at(2);
                let (first, last) = number.split_at(number.len() - 4);
                write!(f, "({ddd}) {first}-{last}")
            }
            None => f.write_str(&self.0),
        }
    }
}

parse_conversions!(Phone);
into_string!(Phone);

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str) -> String {
        Phone::parse(input).unwrap().e164().to_owned()
    }

    #[test]
    fn accepts_the_usual_brazilian_spellings() {
        assert_eq!(e164("(83) 99999-1234"), "+5583999991234");
        assert_eq!(e164("83 3333-1234"), "+558333331234");
        assert_eq!(e164("+55 83 99999-1234"), "+5583999991234");
        assert_eq!(e164("+55 (83) 3333.1234"), "+558333331234");
        assert_eq!(e164("5583999991234"), "+5583999991234");
        assert_eq!(e164("558333331234"), "+558333331234");
        assert_eq!(e164("083999991234"), "+5583999991234");
        assert_eq!(e164("(083) 3333-1234"), "+558333331234");
        assert_eq!(e164(" 11 5555 1234 "), "+551155551234");
    }

    #[test]
    fn displays_brazilian_numbers_in_national_format() {
        assert_eq!(Phone::parse("+5583999991234").unwrap().to_string(), "(83) 99999-1234");
        assert_eq!(Phone::parse("8333331234").unwrap().to_string(), "(83) 3333-1234");
    }

    #[test]
    fn empty_has_its_own_message() {
        assert_eq!(Phone::parse(""), Err(EMPTY));
        assert_eq!(Phone::parse(" ( ) - "), Err(EMPTY));
    }

    #[test]
    fn rejects_letters_and_misplaced_plus() {
        assert_eq!(Phone::parse("83 9999-ABCD"), Err(INVALID));
        assert_eq!(Phone::parse("83 +99999-1234"), Err(INVALID));
        assert_eq!(Phone::parse("+"), Err(INVALID));
    }

    #[test]
    fn asks_for_the_ddd_when_missing() {
        assert_eq!(Phone::parse("99999-1234"), Err(NO_DDD));
        assert_eq!(Phone::parse("3333-1234"), Err(NO_DDD));
    }

    #[test]
    fn rejects_unassigned_ddds() {
        for input in ["(10) 99999-1234", "(20) 99999-1234", "(23) 3333-1234", "(01) 3333-1234", "(52) 99999-1234"] {
            assert_eq!(Phone::parse(input), Err(BAD_DDD), "{input}");
        }
    }

    #[test]
    fn rejects_bad_subscriber_numbers() {
        // A 9-digit number must be a mobile starting with 9; an 8-digit one a landline starting with 2–5.
        for input in ["(83) 89999-1234", "(83) 9999-1234", "(83) 6333-1234", "(83) 1333-1234"] {
            assert_eq!(Phone::parse(input), Err(BAD_NUMBER), "{input}");
        }
        assert_eq!(Phone::parse("+55 83 99999-12345"), Err(INVALID));
        assert_eq!(Phone::parse("83 9999"), Err(INVALID));
    }

    #[test]
    fn accepts_other_countries_only_with_plus() {
        let phone = Phone::parse("+1 (415) 555-2671").unwrap();
        assert_eq!(phone.e164(), "+14155552671");
        assert_eq!(phone.to_string(), "+14155552671");
        assert!(!phone.is_brazilian());
        assert_eq!(Phone::parse("+351 912 345 678").unwrap().e164(), "+351912345678");
        assert_eq!(Phone::parse("+1 234"), Err(BAD_INTERNATIONAL));
        assert_eq!(Phone::parse("+1234567890123456"), Err(BAD_INTERNATIONAL));
        assert_eq!(Phone::parse("+0 12345678"), Err(BAD_INTERNATIONAL));
        // Without '+', a foreign number reads as a Brazilian one and fails as such.
        assert!(Phone::parse("14155552671").is_err());
    }

    #[test]
    fn serde_round_trips_through_e164() {
        let phone = Phone::parse("(83) 99999-1234").unwrap();
        let stored = String::from(phone.clone());
        assert_eq!(stored, "+5583999991234");
        assert_eq!(Phone::try_from(stored), Ok(phone));
        assert!(Phone::try_from("(10) 99999-1234".to_owned()).is_err());
    }
}
