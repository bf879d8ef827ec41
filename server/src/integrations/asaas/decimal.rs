//! Asaas speaks decimal reais (`"value": 1234.56`); we keep integer cents. The conversion goes through the JSON
//! number's text (serde_json's `RawValue`), never through a float, so every amount round-trips exactly.

use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _, ser::Error as _};
use serde_json::value::RawValue;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an amount in reais with at most two decimals: {0:?}")]
pub struct DecimalError(pub String);

/// `123456` → `"1234.56"`, `-5` → `"-0.05"`.
pub fn cents_to_reais(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `"1234.56"` → `123456`; also `"1234"`, `"1234.5"`, `"1234.500"`. Refuses exponents, a third non-zero decimal
/// (a fraction of a cent) and amounts beyond `i64` cents.
pub fn reais_to_cents(text: &str) -> Result<i64, DecimalError> {
    let invalid = || DecimalError(text.chars().take(40).collect());
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || (unsigned.contains('.') && fraction.is_empty()) {
        return Err(invalid());
    }
    let (cents_part, rest) = fraction.split_at(fraction.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return Err(invalid());
    }
    let whole: i64 = whole.parse().map_err(|_| invalid())?;
    let cents: i64 = format!("{cents_part:0<2}").parse().map_err(|_| invalid())?;
    let total = whole.checked_mul(100).and_then(|w| w.checked_add(cents)).ok_or_else(invalid)?;
    Ok(if negative { -total } else { total })
}

/// `#[serde(with = "reais")]` on an `i64` of cents: written and read as a JSON number in reais. Reading also takes a
/// number in a string (`"12.50"`), which some endpoints answer.
pub mod reais {
    use super::*;

    pub fn serialize<S: Serializer>(cents: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        RawValue::from_string(cents_to_reais(*cents)).map_err(S::Error::custom)?.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get().trim();
        let text = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
        reais_to_cents(text).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Amount {
        #[serde(with = "reais")]
        value: i64,
    }

    #[test]
    fn cents_become_reais_text() {
        assert_eq!(cents_to_reais(1_234_567), "12345.67");
        assert_eq!(cents_to_reais(5), "0.05");
        assert_eq!(cents_to_reais(0), "0.00");
        assert_eq!(cents_to_reais(-150), "-1.50");
        assert_eq!(cents_to_reais(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn reais_text_becomes_cents_exactly() {
        for (text, cents) in [
            ("12345.67", 1_234_567),
            ("0.1", 10),
            ("129.9", 12_990),
            ("10", 1000),
            ("10.500", 1050),
            ("-1.50", -150),
            ("0.07", 7),
            ("92233720368547758.07", i64::MAX),
        ] {
            assert_eq!(reais_to_cents(text), Ok(cents), "{text}");
        }
    }

    #[test]
    fn fractions_of_a_cent_exponents_and_junk_are_refused() {
        for text in ["10.005", "1e3", "1.2E2", "", ".5", "5.", "-", "1.2.3", "12,50", "abc", "92233720368547758.08"] {
            assert!(reais_to_cents(text).is_err(), "{text}");
        }
    }

    #[test]
    fn json_numbers_round_trip_without_floats() {
        // 0.1 + 0.2 style values and values beyond f64's exact integer range survive.
        for json in [r#"{"value":0.3}"#, r#"{"value":12345.67}"#, r#"{"value":90071992547409.93}"#] {
            let amount: Amount = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&amount).unwrap().replace(".30", ".3"), json);
        }
        let amount: Amount = serde_json::from_str(r#"{"value":"12.50"}"#).unwrap();
        assert_eq!(amount.value, 1250);
        assert_eq!(serde_json::to_string(&Amount { value: 1_234_567 }).unwrap(), r#"{"value":12345.67}"#);
        assert!(serde_json::from_str::<Amount>(r#"{"value":1.005}"#).is_err());
    }
}
