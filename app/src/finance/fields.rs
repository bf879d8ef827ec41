//! What people type into finance forms, parsed the same way in the browser and on the server: amounts in reais
//! (`1.234,56`, `1234.56`, `1234`) into integer cents, dates as `dd/mm/aaaa` or the date input's `aaaa-mm-dd`.

use chrono::{Datelike, NaiveDate};

use crate::i18n::Text;

pub const AMOUNT_REQUIRED: Text = Text::new("Informe o valor.", "Enter the amount.");
pub const AMOUNT_INVALID: Text =
    Text::new("Valor inválido. Use, por exemplo, 1.234,56.", "Invalid amount. Use, for example, 1,234.56.");
pub const AMOUNT_POSITIVE: Text = Text::new("O valor deve ser maior que zero.", "The amount must be above zero.");
pub const DATE_INVALID: Text = Text::new("Data inválida. Use dd/mm/aaaa.", "Invalid date. Use dd/mm/yyyy.");

/// Cents from an amount in reais. A sign is allowed (`-50,00`, for an opening balance in the red); the last `,` or
/// `.` followed by one or two digits is the decimal separator, any other `.`/`,`/space groups thousands.
pub fn parse_cents(input: &str) -> Result<i64, Text> {
    let trimmed = input.trim().trim_start_matches("R$").trim();
    if trimmed.is_empty() {
        return Err(AMOUNT_REQUIRED);
    }
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, trimmed),
    };
    let decimal_at = body.rfind([',', '.']).filter(|at| (1..=2).contains(&(body.len() - at - 1)));
    let (whole, fraction) = match decimal_at {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, ""),
    };
    let whole: String = whole.chars().filter(|c| !matches!(c, '.' | ',' | ' ')).collect();
    if whole.is_empty() && fraction.is_empty() {
        return Err(AMOUNT_INVALID);
    }
    if !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) || whole.len() > 13 {
        return Err(AMOUNT_INVALID);
    }
    let reais: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| AMOUNT_INVALID)? };
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().map_err(|_| AMOUNT_INVALID)? * 10,
        _ => fraction.parse().map_err(|_| AMOUNT_INVALID)?,
    };
    let total = reais.checked_mul(100).and_then(|value| value.checked_add(cents)).ok_or(AMOUNT_INVALID)?;
    Ok(if negative { -total } else { total })
}

/// Like `parse_cents`, for amounts that must be above zero (a transaction, a transfer).
pub fn parse_positive_cents(input: &str) -> Result<i64, Text> {
    match parse_cents(input)? {
        cents if cents > 0 => Ok(cents),
        _ => Err(AMOUNT_POSITIVE),
    }
}

/// A calendar date typed as `dd/mm/aaaa` or sent by a date input as `aaaa-mm-dd`.
pub fn parse_date(input: &str) -> Result<NaiveDate, Text> {
    let input = input.trim();
    NaiveDate::parse_from_str(input, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(input, "%Y-%m-%d"))
        .ok()
        .filter(|date| (1990..=2100).contains(&date.year()))
        .ok_or(DATE_INVALID)
}

/// The first day of `date`'s month: the key of rollups and closed months.
pub fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_reais_become_exact_cents() {
        assert_eq!(parse_cents("1.234,56"), Ok(123_456));
        assert_eq!(parse_cents("1234.56"), Ok(123_456));
        assert_eq!(parse_cents("R$ 1.234,5"), Ok(123_450));
        assert_eq!(parse_cents("1.234"), Ok(123_400), "three digits after a dot group thousands");
        assert_eq!(parse_cents("10"), Ok(1_000));
        assert_eq!(parse_cents("0,07"), Ok(7));
        assert_eq!(parse_cents("-50,00"), Ok(-5_000));
        assert_eq!(parse_cents(""), Err(AMOUNT_REQUIRED));
        assert_eq!(parse_cents("12a"), Err(AMOUNT_INVALID));
        assert_eq!(parse_cents("99999999999999999"), Err(AMOUNT_INVALID));
        assert_eq!(parse_positive_cents("0,00"), Err(AMOUNT_POSITIVE));
    }

    #[test]
    fn dates_in_brazilian_or_iso_form() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 31);
        assert_eq!(parse_date("31/03/2026").ok(), date);
        assert_eq!(parse_date("2026-03-31").ok(), date);
        assert_eq!(parse_date("31/02/2026"), Err(DATE_INVALID));
        assert_eq!(month_of(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default()).day(), 1);
    }
}
