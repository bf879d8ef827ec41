//! Money is integer cents plus a currency, never a float.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    #[serde(rename = "BRL")]
    Brl,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Brl => "BRL",
        }
    }
}

/// An amount of money. Stored in PostgreSQL as `bigint` cents next to a currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub cents: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn brl(cents: i64) -> Self {
        Self { cents, currency: Currency::Brl }
    }

    /// Adds two amounts of the same currency; `None` on overflow or mixed currencies.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        (self.currency == other.currency)
            .then(|| self.cents.checked_add(other.cents))
            .flatten()
            .map(|cents| Self { cents, currency: self.currency })
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.currency {
            Currency::Brl => f.write_str(&crate::i18n::format_brl(self.cents)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_brazilian_reais() {
        assert_eq!(Money::brl(123_456).to_string(), "R$ 1.234,56");
    }

    #[test]
    fn addition_refuses_overflow() {
        assert_eq!(Money::brl(i64::MAX).checked_add(Money::brl(1)), None);
        assert_eq!(Money::brl(150).checked_add(Money::brl(250)), Some(Money::brl(400)));
    }
}
