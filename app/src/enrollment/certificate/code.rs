//! Verification codes of the comprovante de matrícula: 10 characters of Crockford's base32 (50 random bits), shown
//! as `XXXXX-XXXXX`. Short enough to type from paper; with the public check rate limited per address, guessing one
//! is hopeless. Typing is forgiving the Crockford way: any case, spaces and hyphens ignored, I/L read as 1, O as 0.

/// Crockford's alphabet: digits and letters without I, L, O and U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const LENGTH: usize = 10;

/// A new random code (50 bits from the operating system's generator, through a v4 UUID).
pub fn new_code() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    // Bytes 0–5 and 9–15 of a v4 UUID are wholly random (6 and 8 carry the version and variant bits).
    let random = u64::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[9], bytes[10]]);
    (0..LENGTH).map(|index| char::from(ALPHABET[((random >> (5 * index)) & 31) as usize])).collect()
}

/// What a person typed, as stored (`None` when it cannot be a code).
pub fn normalize(typed: &str) -> Option<String> {
    let mut code = String::with_capacity(LENGTH);
    for character in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let character = match character.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            other => other,
        };
        if !character.is_ascii() || !ALPHABET.contains(&(character as u8)) || code.len() == LENGTH {
            return None;
        }
        code.push(character);
    }
    (code.len() == LENGTH).then_some(code)
}

/// `ABCDE-FGHJK`: how the code is printed.
pub fn grouped(code: &str) -> String {
    match code.split_at_checked(LENGTH / 2) {
        Some((head, tail)) => format!("{head}-{tail}"),
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_codes_are_ten_crockford_characters_and_differ() {
        let codes: std::collections::HashSet<String> = (0..1000).map(|_| new_code()).collect();
        assert_eq!(codes.len(), 1000);
        for code in &codes {
            assert_eq!(normalize(code).as_deref(), Some(code.as_str()));
        }
    }

    #[test]
    fn typing_is_forgiving_but_not_of_wrong_characters_or_lengths() {
        assert_eq!(normalize(" abcde-fghjk ").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(normalize("oi l23 45678").as_deref(), Some("01123456 78".replace(' ', "").as_str()));
        assert_eq!(normalize("ABCDE-FGHJU"), None, "U is not in the alphabet");
        assert_eq!(normalize("ABCDE-FGHJ"), None);
        assert_eq!(normalize("ABCDE-FGHJKM"), None);
        assert_eq!(normalize("ÁBCDE-FGHJK"), None);
        assert_eq!(grouped("ABCDEFGHJK"), "ABCDE-FGHJK");
    }
}
