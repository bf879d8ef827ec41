//! The cash-flow forecast as the page reads it: the projected total of banks and cash day by day, per account,
//! and the first day it goes negative with the entries that move it that day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One movement the forecast expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastEntry {
    pub date: NaiveDate,
    pub description: String,
    /// Signed: income positive.
    pub amount_cents: i64,
    /// The account it moves (a card's invoice: the card's name).
    pub account: String,
}

/// A day with movements and the total after them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastDay {
    pub date: NaiveDate,
    pub balance_cents: i64,
    pub entries: Vec<ForecastEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountProjection {
    pub name: String,
    pub today_cents: i64,
    pub end_cents: i64,
    pub lowest_cents: i64,
    pub lowest_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegativeWarning {
    pub date: NaiveDate,
    pub balance_cents: i64,
    /// What moves the balance that day.
    pub entries: Vec<ForecastEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    pub months: u32,
    pub today: NaiveDate,
    pub end: NaiveDate,
    /// Banks and cash today.
    pub start_cents: i64,
    pub days: Vec<ForecastDay>,
    pub accounts: Vec<AccountProjection>,
    pub first_negative: Option<NegativeWarning>,
}

/// The horizons offered.
pub const HORIZONS: [u32; 3] = [3, 6, 12];
