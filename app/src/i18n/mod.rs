//! Language and formatting. pt-BR is the default; English is the second locale, chosen per person and
//! remembered in a cookie. Amounts are BRL (`R$ 1.234,56`), dates `dd/mm/aaaa`, times in Brasília time.

mod format;
mod page;
mod switch;
mod text;

pub use format::{format_brl, format_date, format_datetime_brasilia, format_phone};
pub use page::FormatsPage;
pub use switch::{LanguageSwitch, initial_locale};
pub use text::{LocaleContext, Text, provide_locale, t, t_now, ts, use_locale};

/// The cookie that remembers the chosen language (a preference, not a secret: readable by scripts).
pub const LOCALE_COOKIE: &str = "atrium_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Locale {
    #[default]
    PtBr,
    En,
}

impl Locale {
    /// The BCP 47 tag, for `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Self::PtBr => "pt-BR",
            Self::En => "en",
        }
    }

    /// The name serde gives it: the value a form field carries to a server function taking a `Locale`.
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::PtBr => "PtBr",
            Self::En => "En",
        }
    }

    /// The locale a tag names; anything unknown falls back to pt-BR.
    pub fn from_tag(tag: &str) -> Self {
        if tag.trim().eq_ignore_ascii_case("en") { Self::En } else { Self::PtBr }
    }

    /// The locale remembered in a `Cookie:` header value (pt-BR when there is none).
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == LOCALE_COOKIE)
            .map_or(Self::PtBr, |(_, value)| Self::from_tag(value))
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::PtBr => "Português",
            Self::En => "English",
        }
    }
}

#[cfg(test)]
mod wire_name_tests {
    use super::Locale;

    #[test]
    fn the_wire_name_is_what_serde_reads() {
        for locale in [Locale::PtBr, Locale::En] {
            let read: Locale = serde_json::from_str(&format!("\"{}\"", locale.wire_name())).unwrap();
            assert_eq!(read, locale);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_header_picks_the_remembered_locale() {
        assert_eq!(Locale::from_cookie_header(""), Locale::PtBr);
        assert_eq!(Locale::from_cookie_header("id=abc; atrium_lang=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("atrium_lang=pt-BR; other=1"), Locale::PtBr);
        assert_eq!(Locale::from_cookie_header("atrium_lang=klingon"), Locale::PtBr);
        assert_eq!(Locale::from_cookie_header("xatrium_lang=en"), Locale::PtBr);
    }
}
