//! What the leads table's server function answers. A row carries the shared fields of a lead (as a board card
//! does) and its phone and e-mail only when the viewer may read them (`leads::Actor::works`): otherwise `None`,
//! as the drawer's `details: null`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::query::LeadTableQuery;
use crate::crm::types::{Person, Pipeline, Source};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadRow {
    pub id: Uuid,
    pub pipeline_id: Uuid,
    pub name: String,
    pub stage: String,
    /// `won` or `lost` for a closed lead.
    pub outcome: Option<String>,
    pub owner_name: Option<String>,
    pub source: Source,
    pub value_cents: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    /// Private: only for the lead's consultant, staff and owner.
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A stage with how many leads every filter but the stage keeps (the chips, and the stage select's options).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageCount {
    pub id: Uuid,
    pub pipeline_id: Uuid,
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadTable {
    /// What was asked, with the page clamped to the last one.
    pub query: LeadTableQuery,
    pub rows: Vec<LeadRow>,
    /// Leads every filter keeps, the stage included.
    pub total: i64,
    pub pages: i64,
    pub pipelines: Vec<Pipeline>,
    /// In board order, pipeline by pipeline.
    pub stages: Vec<StageCount>,
    /// Who may own leads (the owner filter).
    pub people: Vec<Person>,
}
