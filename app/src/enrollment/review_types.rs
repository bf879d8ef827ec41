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
    pub cpf: Option<String>,
    pub course: String,
    pub term: String,
    pub shift: Shift,
    pub status: ApplicationStatus,
    pub status_changed_at: DateTime<Utc>,
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
}
