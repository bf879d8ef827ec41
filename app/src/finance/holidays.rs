//! Brazil's national bank holidays for any year, computed rather than listed, so a rule that moves to the next
//! business day never silently stops moving when a hand-kept list runs out: the fixed dates of federal law, and
//! the movable ones counted from Easter Sunday (Gregorian computus) — Carnaval Monday and Tuesday (47 and 48 days
//! before), Sexta-feira Santa (2 days before) and Corpus Christi (60 days after), the days banks close
//! (FEBRABAN's calendar). Local holidays (a city's anniversary) are not national and are not here.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate};

/// Fixed-date national holidays as (month, day, name, first year it is national).
const FIXED: [(u32, u32, &str, i32); 9] = [
    (1, 1, "Confraternização Universal", i32::MIN),
    (4, 21, "Tiradentes", i32::MIN),
    (5, 1, "Dia do Trabalho", i32::MIN),
    (9, 7, "Independência", i32::MIN),
    (10, 12, "Nossa Senhora Aparecida", i32::MIN),
    (11, 2, "Finados", i32::MIN),
    (11, 15, "Proclamação da República", i32::MIN),
    // Lei 14.759/2023 made it national from 2024 on.
    (11, 20, "Consciência Negra", 2024),
    (12, 25, "Natal", i32::MIN),
];

/// Easter-based holidays as (days from Easter Sunday, name).
const MOVABLE: [(i64, &str); 4] =
    [(-48, "Carnaval"), (-47, "Carnaval"), (-2, "Sexta-feira Santa"), (60, "Corpus Christi")];

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The national bank holidays of `year`, in date order, with their names.
pub fn of_year(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let fixed = FIXED
        .iter()
        .filter(|(_, _, _, since)| year >= *since)
        .filter_map(|(month, day, name, _)| Some((NaiveDate::from_ymd_opt(year, *month, *day)?, *name)));
    let movable = easter(year).into_iter().flat_map(|easter| {
        MOVABLE.iter().filter_map(move |(offset, name)| {
            let date = if *offset < 0 {
                easter.checked_sub_days(Days::new(offset.unsigned_abs()))
            } else {
                easter.checked_add_days(Days::new(offset.unsigned_abs()))
            };
            Some((date?, *name))
        })
    });
    let mut days: Vec<_> = fixed.chain(movable).collect();
    days.sort_unstable();
    days
}

/// The national bank holidays from `from` to `to`, both included.
pub fn between(from: NaiveDate, to: NaiveDate) -> BTreeSet<NaiveDate> {
    (from.year()..=to.year())
        .flat_map(of_year)
        .map(|(date, _)| date)
        .filter(|date| (from..=to).contains(date))
        .collect()
}

/// Whether banks open on `date`: Monday to Friday, not a national bank holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    use chrono::Weekday;
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && of_year(date.year()).iter().all(|(day, _)| *day != date)
}

/// The `count`-th business day after `date` (a boleto's grace: "vencimento + 3 dias úteis"). Zero answers `date`.
pub fn add_business_days(date: NaiveDate, count: u32) -> NaiveDate {
    let mut day = date;
    let mut left = count;
    while left > 0 {
        let Some(next) = day.checked_add_days(Days::new(1)) else { return day };
        day = next;
        if is_business_day(day) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_days_skip_weekends_and_national_holidays() {
        // Friday 04/12/2026 + 3 business days: Monday 7, Tuesday 8, Wednesday 9.
        assert_eq!(add_business_days(day(2026, 12, 4), 3), day(2026, 12, 9));
        // Wednesday 18/11/2026: Thursday 19, (Friday 20 is Consciência Negra), Monday 23, Tuesday 24.
        assert_eq!(add_business_days(day(2026, 11, 18), 3), day(2026, 11, 24));
        // Christmas Eve 2026 is a Thursday: Christmas and the weekend are skipped.
        assert_eq!(add_business_days(day(2026, 12, 24), 1), day(2026, 12, 28));
        assert_eq!(add_business_days(day(2026, 12, 4), 0), day(2026, 12, 4));
        assert!(!is_business_day(day(2026, 12, 5)) && is_business_day(day(2026, 12, 7)));
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn easter_matches_known_years() {
        for (year, month, date) in [
            (1818, 3, 22), // the earliest possible
            (1943, 4, 25), // the latest possible
            (2000, 4, 23),
            (2008, 3, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2029, 4, 1),
            (2030, 4, 21),
            (2038, 4, 25),
            (2100, 3, 28),
        ] {
            assert_eq!(easter(year), Some(day(year, month, date)), "Easter {year}");
        }
    }

    #[test]
    fn the_years_the_old_table_listed_come_out_the_same() {
        let listed = [
            "2026-01-01",
            "2026-02-16",
            "2026-02-17",
            "2026-04-03",
            "2026-04-21",
            "2026-05-01",
            "2026-06-04",
            "2026-09-07",
            "2026-10-12",
            "2026-11-02",
            "2026-11-15",
            "2026-11-20",
            "2026-12-25",
            "2027-01-01",
            "2027-02-08",
            "2027-02-09",
            "2027-03-26",
            "2027-04-21",
            "2027-05-01",
            "2027-05-27",
            "2027-09-07",
            "2027-10-12",
            "2027-11-02",
            "2027-11-15",
            "2027-11-20",
            "2027-12-25",
            "2028-01-01",
            "2028-02-28",
            "2028-02-29",
            "2028-04-14",
            "2028-04-21",
            "2028-05-01",
            "2028-06-15",
            "2028-09-07",
            "2028-10-12",
            "2028-11-02",
            "2028-11-15",
            "2028-11-20",
            "2028-12-25",
        ];
        let listed: BTreeSet<NaiveDate> = listed.iter().filter_map(|text| text.parse().ok()).collect();
        assert_eq!(listed.len(), 39);
        assert_eq!(between(day(2026, 1, 1), day(2028, 12, 31)), listed);
    }

    #[test]
    fn years_after_any_list_still_have_their_movable_holidays() {
        let names = |year| of_year(year).into_iter().map(|(date, name)| (date, name.to_string())).collect::<Vec<_>>();
        let of_2029 = names(2029);
        assert_eq!(of_2029.len(), 13);
        for (date, name) in [
            (day(2029, 2, 12), "Carnaval"),
            (day(2029, 2, 13), "Carnaval"),
            (day(2029, 3, 30), "Sexta-feira Santa"),
            (day(2029, 5, 31), "Corpus Christi"),
        ] {
            assert!(of_2029.contains(&(date, name.to_string())), "{date} {name}");
        }
        assert_eq!(names(2035).iter().filter(|(_, name)| name == "Carnaval").count(), 2);
        assert!(!between(day(2023, 1, 1), day(2023, 12, 31)).contains(&day(2023, 11, 20)), "national from 2024");
        assert_eq!(between(day(2029, 12, 24), day(2030, 1, 2)), BTreeSet::from([day(2029, 12, 25), day(2030, 1, 1)]));
    }
}
