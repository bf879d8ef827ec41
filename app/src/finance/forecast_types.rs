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

/// The chart's geometry in a `0 0 WIDTH HEIGHT` view box, integers only: a step line of the total (flat until a
/// day's movements, then a step), its points (one per day with movements) and the zero line's height.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartGeometry {
    pub path: String,
    pub points: Vec<(i64, i64)>,
    pub zero_y: i64,
}

pub const CHART_WIDTH: i64 = 800;
pub const CHART_HEIGHT: i64 = 240;
const PAD: i64 = 12;

impl Forecast {
    pub fn chart(&self) -> ChartGeometry {
        let span = (self.end - self.today).num_days().max(1);
        let balances = self.days.iter().map(|day| day.balance_cents).chain([self.start_cents, 0]);
        let (low, high) = balances.fold((i64::MAX, i64::MIN), |(low, high), b| (low.min(b), high.max(b)));
        let range = (high - low).max(1);
        let x = |date: NaiveDate| PAD + (date - self.today).num_days().clamp(0, span) * (CHART_WIDTH - 2 * PAD) / span;
        let y = |cents: i64| {
            let scaled = i128::from(high - cents) * i128::from(CHART_HEIGHT - 2 * PAD) / i128::from(range);
            PAD + i64::try_from(scaled).unwrap_or(0)
        };
        let mut path = format!("M{} {}", x(self.today), y(self.start_cents));
        let mut points = Vec::with_capacity(self.days.len());
        for day in &self.days {
            let (px, py) = (x(day.date), y(day.balance_cents));
            path.push_str(&format!(" H{px} V{py}"));
            points.push((px, py));
        }
        path.push_str(&format!(" H{}", x(self.end)));
        ChartGeometry { path, points, zero_y: y(0) }
    }
}
