//! The cash-flow forecast as the page reads it: the actual total of banks and cash over the recent past (from paid
//! transactions and transfers), then the projected total day by day, per account, and the first day it goes
//! negative with the entries that move it that day.

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

/// A past day with paid movements and the actual total of banks and cash at its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActualDay {
    pub date: NaiveDate,
    pub balance_cents: i64,
    /// What the day's paid movements added up to (income positive).
    pub moved_cents: i64,
    /// How many movements (transactions, transfers with a card, account openings).
    pub movements: i64,
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
    /// The first day of the actual part (`ACTUAL_DAYS` before today).
    pub since: NaiveDate,
    /// The actual total at the end of `since`.
    pub since_cents: i64,
    /// The days after `since` up to today with paid movements; the last balance is `start_cents`.
    pub actual: Vec<ActualDay>,
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

/// How far back the actual balance is drawn next to the projection.
pub const ACTUAL_DAYS: u64 = 30;

/// The chart's geometry in a `0 0 WIDTH HEIGHT` view box, integers only: the actual total as a step line from
/// `since` to today (drawn solid), the projected one from today to the end (drawn dashed), their points (one per
/// day with movements) and the zero line's height.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartGeometry {
    pub actual_path: String,
    pub actual_points: Vec<(i64, i64)>,
    pub path: String,
    pub points: Vec<(i64, i64)>,
    pub today_x: i64,
    pub zero_y: i64,
}

pub const CHART_WIDTH: i64 = 800;
pub const CHART_HEIGHT: i64 = 240;
const PAD: i64 = 12;

/// A step line from `start` through each point (flat until the point's day, then a step) to `x_end`.
fn step_line(start: (i64, i64), points: &[(i64, i64)], x_end: i64) -> String {
    let mut path = format!("M{} {}", start.0, start.1);
    for (x, y) in points {
        path.push_str(&format!(" H{x} V{y}"));
    }
    path.push_str(&format!(" H{x_end}"));
    path
}

impl Forecast {
    pub fn chart(&self) -> ChartGeometry {
        let span = (self.end - self.since).num_days().max(1);
        let balances = self
            .days
            .iter()
            .map(|day| day.balance_cents)
            .chain(self.actual.iter().map(|day| day.balance_cents))
            .chain([self.start_cents, self.since_cents, 0]);
        let (low, high) = balances.fold((i64::MAX, i64::MIN), |(low, high), b| (low.min(b), high.max(b)));
        let range = (high - low).max(1);
        let x = |date: NaiveDate| PAD + (date - self.since).num_days().clamp(0, span) * (CHART_WIDTH - 2 * PAD) / span;
        let y = |cents: i64| {
            let scaled = i128::from(high - cents) * i128::from(CHART_HEIGHT - 2 * PAD) / i128::from(range);
            PAD + i64::try_from(scaled).unwrap_or(0)
        };
        let actual_points: Vec<(i64, i64)> =
            self.actual.iter().map(|day| (x(day.date), y(day.balance_cents))).collect();
        let points: Vec<(i64, i64)> = self.days.iter().map(|day| (x(day.date), y(day.balance_cents))).collect();
        let today_x = x(self.today);
        ChartGeometry {
            actual_path: step_line((x(self.since), y(self.since_cents)), &actual_points, today_x),
            path: step_line((today_x, y(self.start_cents)), &points, x(self.end)),
            actual_points,
            points,
            today_x,
            zero_y: y(0),
        }
    }
}
