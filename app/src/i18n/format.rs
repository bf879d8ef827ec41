use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// `123456` cents → `R$ 1.234,56`; negative amounts keep the sign before the symbol: `-R$ 10,00`.
pub fn format_brl(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (reais, centavos) = (abs / 100, abs % 100);
    format!("{sign}R$ {},{centavos:02}", group_thousands(reais))
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// A Brazilian number as stored (`+5583991234567`) the way Brazilians write it: `(83) 99123-4567`; a landline's
/// eight digits `(83) 3212-3456`. Anything else (another country, an odd length) is shown as stored.
pub fn format_phone(stored: &str) -> String {
    let Some(national) = stored.strip_prefix("+55").filter(|rest| rest.bytes().all(|byte| byte.is_ascii_digit()))
    else {
        return stored.to_string();
    };
    let (area, number) = national.split_at(national.len().min(2));
    match number.len() {
        9 | 8 => {
            let (first, last) = number.split_at(number.len() - 4);
            format!("({area}) {first}-{last}")
        }
        _ => stored.to_string(),
    }
}

/// `2026-11-21` → `21/11/2026`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// An instant as Brasília reads it (UTC−3; Brazil has had no daylight saving time since 2019).
pub fn format_datetime_brasilia(instant: DateTime<Utc>) -> String {
    const BRASILIA: i32 = -3 * 3600;
    FixedOffset::east_opt(BRASILIA)
        .map(|offset| instant.with_timezone(&offset).format("%d/%m/%Y %H:%M:%S").to_string())
        .unwrap_or_else(|| instant.format("%d/%m/%Y %H:%M:%S UTC").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_read_as_brazilians_write_them() {
        assert_eq!(format_phone("+5583991234567"), "(83) 99123-4567");
        assert_eq!(format_phone("+558332123456"), "(83) 3212-3456");
        assert_eq!(format_phone("+14155550100"), "+14155550100", "another country as stored");
        assert_eq!(format_phone("+55839912"), "+55839912", "an odd length as stored");
    }

    #[test]
    fn brl_groups_thousands_with_dots_and_uses_a_comma_for_cents() {
        assert_eq!(format_brl(0), "R$ 0,00");
        assert_eq!(format_brl(5), "R$ 0,05");
        assert_eq!(format_brl(100), "R$ 1,00");
        assert_eq!(format_brl(123_456), "R$ 1.234,56");
        assert_eq!(format_brl(100_000_000), "R$ 1.000.000,00");
        assert_eq!(format_brl(-1_000), "-R$ 10,00");
        assert_eq!(format_brl(i64::MIN), "-R$ 92.233.720.368.547.758,08");
    }

    #[test]
    fn dates_read_day_month_year() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 7).expect("valid date");
        assert_eq!(format_date(date), "07/03/2026");
    }

    #[test]
    fn instants_are_shown_in_brasilia_time() {
        let instant = DateTime::parse_from_rfc3339("2026-11-21T02:30:00Z").expect("valid instant").to_utc();
        assert_eq!(format_datetime_brasilia(instant), "20/11/2026 23:30:00");
    }
}
