//! CSV for a Brazilian spreadsheet, shared by every export (enrollment applications, the DRE, CRM leads):
//! `;`-separated (what a pt-BR Excel expects), UTF-8 with a BOM (so Excel reads the accents), CRLF line ends,
//! amounts with a decimal comma and no thousands separator.

/// Starts every file: tells Excel the bytes are UTF-8.
pub const BOM: &str = "\u{FEFF}";

/// Appends one line of fields, each quoted or neutralised as [`field`] says.
pub fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    let line: Vec<String> = fields.map(|value| field(&value)).collect();
    out.push_str(&line.join(";"));
    out.push_str("\r\n");
}

/// One field: quoted when it holds the separator, a quote or a line break; a leading `=`, `+`, `-` or `@` is
/// neutralised with a `'` so a spreadsheet never runs a name as a formula.
pub fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_string() };
    if value.contains([';', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// `-123456` cents → `-1234,56`.
pub fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::{decimal, field};

    #[test]
    fn fields_are_quoted_when_needed_and_formulas_neutralised() {
        assert_eq!(field("Ana Souza"), "Ana Souza");
        assert_eq!(field("Souza; Ana"), "\"Souza; Ana\"");
        assert_eq!(field("Ana \"Aninha\""), "\"Ana \"\"Aninha\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
    }

    #[test]
    fn amounts_use_a_decimal_comma() {
        assert_eq!(decimal(-123_456), "-1234,56");
        assert_eq!(decimal(5), "0,05");
    }
}
