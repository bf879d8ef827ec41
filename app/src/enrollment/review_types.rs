//! Wire types of the staff's applications list: the filters, a page of rows and the counts per status.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::types::{ApplicationStatus, Shift};

/// Rows per page of the applications list.
pub const PAGE_SIZE: i64 = 50;

/// What the list shows: every filter optional; `search` matches name or e-mail (any part) or CPF (its start).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationQuery {
    pub course: Option<Uuid>,
    pub class: Option<Uuid>,
    pub status: Option<ApplicationStatus>,
    /// The enrollment period, by its term (`2027.1`).
    pub term: Option<String>,
    #[serde(default)]
    pub search: String,
    /// From 1.
    #[serde(default)]
    pub page: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationListRow {
    pub id: Uuid,
    pub student: String,
    pub email: String,
    /// Masked (`***.456.789-**`) in the list; whole in the export.
    pub cpf: Option<String>,
    pub course: String,
    pub term: String,
    pub shift: Shift,
    pub status: ApplicationStatus,
    pub status_changed_at: DateTime<Utc>,
    /// When the student last submitted it (`None` for a draft).
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: ApplicationStatus,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationList {
    pub rows: Vec<ApplicationListRow>,
    /// Rows matching every filter, the status included.
    pub total: i64,
    /// Per status, for every filter but the status (the tabs above the list).
    pub counts: Vec<StatusCount>,
    pub page: i64,
    pub pages: i64,
}

/// What the staff's application page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationReview {
    pub id: Uuid,
    pub status: ApplicationStatus,
    pub student: String,
    pub email: String,
    pub cpf: Option<String>,
    pub phone: Option<String>,
    pub course: String,
    pub term: String,
    pub shift: Shift,
    pub guardian_is_student: bool,
    pub guardian_name: Option<String>,
    pub guardian_cpf: Option<String>,
    pub contract_accepted_at: Option<DateTime<Utc>>,
    pub timeline: Vec<super::types::TimelineEntry>,
    pub documents: super::document_types::DocumentChecklist,
    /// The enrollment charge and the flag that needs staff, if any.
    #[serde(default)]
    pub payment: super::payments::types::StaffPayment,
}

/// The list's filters in the page's address (`?curso=…&turma=…&situacao=…&periodo=…&busca=…&pagina=…`), so a
/// reload, the back button and a shared link keep them. Unknown or empty values read as "no filter".
impl ApplicationQuery {
    pub fn from_url(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).map(|value| value.trim().to_string()).filter(|value| !value.is_empty());
        Self {
            course: text("curso").and_then(|id| id.parse().ok()),
            class: text("turma").and_then(|id| id.parse().ok()),
            status: text("situacao").and_then(|code| ApplicationStatus::from_code(&code)),
            term: text("periodo"),
            search: text("busca").unwrap_or_default(),
            page: text("pagina").and_then(|page| page.parse().ok()).unwrap_or(1).max(1),
        }
    }

    /// The `(name, value)` pairs of the address, only the filters set (page 1 left out).
    pub fn url_pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("curso", self.course.map(|id| id.to_string())),
            ("turma", self.class.map(|id| id.to_string())),
            ("situacao", self.status.map(|status| status.code().to_string())),
            ("periodo", self.term.clone()),
            ("busca", Some(self.search.trim().to_string()).filter(|search| !search.is_empty())),
            ("pagina", (self.page > 1).then(|| self.page.to_string())),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| (key, value)))
        .collect()
    }

    /// The same filters on another page, or with another status (which starts again from page 1).
    #[must_use]
    pub fn with_page(&self, page: i64) -> Self {
        Self { page, ..self.clone() }
    }

    #[must_use]
    pub fn with_status(&self, status: Option<ApplicationStatus>) -> Self {
        Self { status, page: 1, ..self.clone() }
    }
}

/// A CPF with its first and last digits hidden, enough to tell two people apart on a shared screen:
/// `123.456.789-09` → `***.456.789-**`.
pub fn mask_cpf(cpf: &str) -> String {
    let digits: Vec<char> = cpf.chars().filter(char::is_ascii_digit).collect();
    match digits.as_slice() {
        [_, _, _, d, e, f, g, h, i, _, _] => format!("***.{d}{e}{f}.{g}{h}{i}-**"),
        _ => "***".to_string(),
    }
}

/// The calendar day of `instant` in Brasília (UTC−3, no daylight saving since 2019), for dd/mm/aaaa columns.
pub fn brasilia_day(instant: DateTime<Utc>) -> chrono::NaiveDate {
    (instant - chrono::Duration::hours(3)).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_round_trip_through_the_address_and_bad_values_are_ignored() {
        let course = Uuid::nil();
        let query = ApplicationQuery {
            course: Some(course),
            class: None,
            status: Some(ApplicationStatus::UnderReview),
            term: Some("2027.1".into()),
            search: " Ana ".into(),
            page: 3,
        };
        let pairs = query.url_pairs();
        assert_eq!(
            pairs,
            vec![
                ("curso", course.to_string()),
                ("situacao", "under_review".into()),
                ("periodo", "2027.1".into()),
                ("busca", "Ana".into()),
                ("pagina", "3".into()),
            ]
        );
        let read = ApplicationQuery::from_url(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()));
        assert_eq!(read, ApplicationQuery { search: "Ana".into(), ..query.clone() });
        let junk = |key: &str| Some(if key == "pagina" { "-4" } else { "nonsense" }.to_string());
        assert_eq!(
            ApplicationQuery::from_url(junk),
            ApplicationQuery {
                term: Some("nonsense".into()),
                search: "nonsense".into(),
                page: 1,
                ..Default::default()
            }
        );
        assert_eq!(query.with_status(None).page, 1, "another status starts from the first page");
    }

    #[test]
    fn a_cpf_shows_only_its_middle_digits() {
        assert_eq!(mask_cpf("12345678909"), "***.456.789-**");
        assert_eq!(mask_cpf("123.456.789-09"), "***.456.789-**");
        assert_eq!(mask_cpf("123"), "***");
    }

    #[test]
    fn the_day_is_brasilias() {
        let late = "2027-01-10T02:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(brasilia_day(late).to_string(), "2027-01-09");
    }
}
