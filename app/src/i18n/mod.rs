//! Language and formatting. pt-BR is the default; English is the second locale.
//! Amounts are BRL (`R$ 1.234,56`), dates `dd/mm/aaaa`, times in Brasília time.

mod format;
mod page;

pub use format::{format_brl, format_date, format_datetime_brasilia};
pub use page::FormatsPage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Locale {
    #[default]
    PtBr,
    En,
}

impl Locale {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::PtBr => "pt-BR",
            Self::En => "en",
        }
    }
}
