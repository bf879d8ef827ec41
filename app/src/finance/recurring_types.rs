//! Recurring rules as the pages and the service exchange them, and the calendar arithmetic of their schedules
//! (pure, so it is unit-tested): which dates a version falls on, day 31 in a short month, the next business day.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::types::EntryKind;
use crate::i18n::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Weekly,
    Yearly,
    /// Every N months (1–24).
    EveryMonths(u8),
}

impl Frequency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Weekly => "weekly",
            Self::Yearly => "yearly",
            Self::EveryMonths(_) => "months",
        }
    }

    pub fn every_months(self) -> u8 {
        match self {
            Self::EveryMonths(months) => months,
            Self::Yearly => 12,
            _ => 1,
        }
    }

    pub fn from_code(code: &str, every_months: u8) -> Option<Self> {
        match code {
            "monthly" => Some(Self::Monthly),
            "weekly" => Some(Self::Weekly),
            "yearly" => Some(Self::Yearly),
            "months" if (1..=24).contains(&every_months) => Some(Self::EveryMonths(every_months)),
            _ => None,
        }
    }

    pub fn label(self) -> Text {
        match self {
            Self::Monthly => Text::new("Mensal", "Monthly"),
            Self::Weekly => Text::new("Semanal", "Weekly"),
            Self::Yearly => Text::new("Anual", "Yearly"),
            Self::EveryMonths(_) => Text::new("A cada N meses", "Every N months"),
        }
    }
}

/// When a version falls: its frequency, the day (of the month; ISO weekday 1–7 for weekly) and whether a date on
/// a weekend or bank holiday moves to the next business day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schedule {
    pub frequency: Frequency,
    pub day: u8,
    pub business_days: bool,
}

impl Schedule {
    /// The scheduled (nominal) dates in `from..=to`, counted from the rule's `anchor`: months step from the
    /// anchor's month (so every three months stays in phase across versions), weeks from the first matching
    /// weekday on or after it. Day 31 in a shorter month is its last day. Never before the anchor.
    pub fn dates(&self, anchor: NaiveDate, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let mut dates = Vec::new();
        if self.frequency == Frequency::Weekly {
            let target = u32::from(self.day.clamp(1, 7)) - 1;
            let offset = (7 + target - anchor.weekday().num_days_from_monday()) % 7;
            let mut date = anchor + Duration::days(i64::from(offset));
            if date < from {
                let weeks = (from - date).num_days().div_euclid(7);
                date += Duration::weeks(weeks);
            }
            while date <= to {
                if date >= from {
                    dates.push(date);
                }
                date += Duration::weeks(1);
            }
            return dates;
        }
        let step = u32::from(self.frequency.every_months().max(1));
        let first_month = anchor.with_day(1).unwrap_or(anchor);
        for k in 0.. {
            let Some(month) = first_month.checked_add_months(Months::new(k * step)) else { break };
            if month > to {
                break;
            }
            let date = clamp_day(month, u32::from(self.day));
            if date >= anchor && date >= from && date <= to {
                dates.push(date);
            }
        }
        dates
    }

    /// When a scheduled date is due: itself, or the next business day when the rule moves them.
    pub fn due(&self, date: NaiveDate, holidays: &BTreeSet<NaiveDate>) -> NaiveDate {
        if !self.business_days {
            return date;
        }
        let mut due = date;
        while matches!(due.weekday(), Weekday::Sat | Weekday::Sun) || holidays.contains(&due) {
            due += Duration::days(1);
        }
        due
    }
}

/// Day `day` of `month`'s month, or its last day when the month is shorter.
pub fn clamp_day(month: NaiveDate, day: u32) -> NaiveDate {
    (1..=day.clamp(1, 31)).rev().find_map(|day| month.with_day(day)).unwrap_or(month)
}

/// A version as stored: valid from / to (inclusive; `None` while current).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVersion {
    pub id: Uuid,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub amount_cents: i64,
    pub category_id: Uuid,
    pub account_id: Uuid,
    pub schedule: Schedule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: Uuid,
    pub name: String,
    pub kind: EntryKind,
    pub starts_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// Oldest first.
    pub versions: Vec<RuleVersion>,
}

/// What a new version sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionTerms {
    pub amount_cents: i64,
    pub category_id: Uuid,
    pub account_id: Uuid,
    pub schedule: Schedule,
}

/// What an edit from a date does to one scheduled date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviewChange {
    /// Before the date: never touched.
    Stays,
    /// Paid: never changed by a rule edit.
    Paid,
    /// Booked and booked again the same.
    Same,
    Changes,
    New,
    Removed,
}

impl PreviewChange {
    pub fn label(self) -> Text {
        match self {
            Self::Stays => Text::new("Mantida (antes da data)", "Stays (before the date)"),
            Self::Paid => Text::new("Mantida (já paga)", "Stays (already paid)"),
            Self::Same => Text::new("Sem mudança", "Unchanged"),
            Self::Changes => Text::new("Muda", "Changes"),
            Self::New => Text::new("Nova", "New"),
            Self::Removed => Text::new("Removida", "Removed"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// The scheduled date.
    pub date: NaiveDate,
    /// (due date, amount) booked now.
    pub before: Option<(NaiveDate, i64)>,
    /// (due date, amount) after the edit.
    pub after: Option<(NaiveDate, i64)>,
    pub change: PreviewChange,
}

/// A version's terms as typed (dates `dd/mm/aaaa` or `aaaa-mm-dd`, amounts in reais); parsed on the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionForm {
    /// From when (edits) or the first day (a new rule).
    pub from: String,
    pub amount: String,
    pub category_id: String,
    pub account_id: String,
    /// `monthly`, `weekly`, `yearly` or `months`.
    pub frequency: String,
    #[serde(default)]
    pub every_months: String,
    pub day: String,
    /// `on` when dates on weekends and bank holidays move to the next business day.
    #[serde(default)]
    pub business_days: Option<String>,
}

/// The recurring page: the rules and what their forms choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesPage {
    pub rules: Vec<Rule>,
    pub accounts: Vec<super::types::Account>,
    pub categories: Vec<super::types::Category>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn day_31_is_the_last_day_of_shorter_months() {
        let schedule = Schedule { frequency: Frequency::Monthly, day: 31, business_days: false };
        let dates = schedule.dates(day(2026, 1, 1), day(2026, 1, 1), day(2026, 4, 30));
        assert_eq!(dates, [day(2026, 1, 31), day(2026, 2, 28), day(2026, 3, 31), day(2026, 4, 30)]);
        let leap = schedule.dates(day(2028, 2, 1), day(2028, 2, 1), day(2028, 2, 29));
        assert_eq!(leap, [day(2028, 2, 29)]);
    }

    #[test]
    fn weekends_and_holidays_move_to_the_next_business_day_when_asked() {
        let holidays = BTreeSet::from([day(2026, 4, 21)]);
        let shifting = Schedule { frequency: Frequency::Monthly, day: 18, business_days: true };
        // 18/04/2026 is a Saturday; Monday the 20th is a business day.
        assert_eq!(shifting.due(day(2026, 4, 18), &holidays), day(2026, 4, 20));
        // 19/04 Sunday → 20/04; 21/04 holiday (Tiradentes) → 22/04.
        assert_eq!(shifting.due(day(2026, 4, 21), &holidays), day(2026, 4, 22));
        let fixed = Schedule { business_days: false, ..shifting };
        assert_eq!(fixed.due(day(2026, 4, 18), &holidays), day(2026, 4, 18));
    }

    #[test]
    fn weekly_yearly_and_every_n_months_keep_their_phase() {
        let weekly = Schedule { frequency: Frequency::Weekly, day: 1, business_days: false };
        // 01/01/2026 is a Thursday: Mondays from the 5th.
        assert_eq!(
            weekly.dates(day(2026, 1, 1), day(2026, 1, 10), day(2026, 1, 26)),
            [day(2026, 1, 12), day(2026, 1, 19), day(2026, 1, 26)]
        );
        let quarterly = Schedule { frequency: Frequency::EveryMonths(3), day: 10, business_days: false };
        assert_eq!(
            quarterly.dates(day(2026, 2, 1), day(2026, 4, 1), day(2026, 12, 31)),
            [day(2026, 5, 10), day(2026, 8, 10), day(2026, 11, 10)]
        );
        let yearly = Schedule { frequency: Frequency::Yearly, day: 5, business_days: false };
        assert_eq!(
            yearly.dates(day(2026, 3, 20), day(2026, 1, 1), day(2028, 12, 31)),
            [day(2027, 3, 5), day(2028, 3, 5)]
        );
    }
}
