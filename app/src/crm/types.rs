//! CRM wire types: what the board, the lead drawer and the public form exchange with the server. Money is integer
//! cents (BRL). A [`LeadCard`] holds only the fields every watcher of the board may see; the private ones
//! ([`LeadDetails`]) come only to the lead's consultant and to staff and owner.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Text;

/// What a pipeline finances; each tenant has at most one pipeline per product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Product {
    RealEstate,
    Vehicle,
}

impl Product {
    pub const ALL: [Self; 2] = [Self::RealEstate, Self::Vehicle];

    pub fn code(self) -> &'static str {
        match self {
            Self::RealEstate => "real_estate",
            Self::Vehicle => "vehicle",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|product| product.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::RealEstate => Text::new("Financiamento imobiliário", "Real-estate financing"),
            Self::Vehicle => Text::new("Financiamento de veículos", "Vehicle financing"),
        }
    }
}

/// Where a lead came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Whatsapp,
    WebForm,
    Manual,
}

impl Source {
    pub const ALL: [Self; 3] = [Self::Whatsapp, Self::WebForm, Self::Manual];

    pub fn code(self) -> &'static str {
        match self {
            Self::Whatsapp => "whatsapp",
            Self::WebForm => "web_form",
            Self::Manual => "manual",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|source| source.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Whatsapp => Text::new("WhatsApp", "WhatsApp"),
            Self::WebForm => Text::new("Formulário", "Web form"),
            Self::Manual => Text::new("Manual", "Manual"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pipeline {
    pub id: Uuid,
    pub product: Product,
    pub name: String,
}

/// A column of the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub id: Uuid,
    pub name: String,
    /// `won` or `lost` ends a lead.
    pub outcome: Option<String>,
    pub stale_after_days: Option<i32>,
}

/// A card: what every watcher of the board may see of a lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadCard {
    pub id: Uuid,
    pub stage_id: Uuid,
    pub name: String,
    pub value_cents: Option<i64>,
    pub score: Option<i16>,
    /// The score came from the AI qualification (otherwise from rules).
    pub score_by_ai: bool,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    /// Whole days since the lead arrived.
    pub age_days: i32,
    /// Longer without activity than its stage allows.
    pub stale: bool,
    pub position: i64,
    pub version: i64,
}

/// A consultant (or anyone who may own leads), for the filter and the assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
}

/// The board's filters, as they sit in the address (`?funil=…&consultor=…&busca=…&meus=1`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardFilter {
    #[serde(default)]
    pub pipeline: Option<Uuid>,
    #[serde(default)]
    pub consultant: Option<Uuid>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub mine: bool,
}

impl BoardFilter {
    /// From the address's query (`get` answers a key's value): what the board and the CSV export read.
    pub fn from_url(get: impl Fn(&str) -> Option<String>) -> Self {
        let id = |key: &str| get(key).and_then(|value| Uuid::parse_str(&value).ok());
        Self {
            pipeline: id("funil"),
            consultant: id("consultor"),
            text: get("busca").unwrap_or_default(),
            mine: get("meus").as_deref() == Some("1"),
        }
    }

    /// Whose leads the filter keeps: the viewer's for "my leads", else the chosen consultant's, else anyone's.
    pub fn owner(&self, viewer: Uuid) -> Option<Uuid> {
        if self.mine { Some(viewer) } else { self.consultant }
    }

    /// The pipeline shown: the chosen one, or the first.
    pub fn pick(&self, pipelines: &[Pipeline]) -> Option<Pipeline> {
        match self.pipeline {
            Some(id) => pipelines.iter().find(|pipeline| pipeline.id == id),
            None => pipelines.first(),
        }
        .cloned()
    }
}

/// One board, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub pipelines: Vec<Pipeline>,
    pub pipeline: Pipeline,
    pub stages: Vec<Stage>,
    /// In board order: by stage, then position.
    pub cards: Vec<LeadCard>,
    pub consultants: Vec<Person>,
    pub viewer_id: Uuid,
    /// Staff and owner: may move and assign any lead, and export.
    pub manages: bool,
}

/// A lead as the drawer shows it: the card, and the private details only to those who may read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadView {
    pub card: LeadCard,
    pub product: Product,
    pub source: Source,
    pub details: Option<LeadDetails>,
}

/// What only the lead's consultant, staff and owner read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadDetails {
    /// E.164.
    pub phone: String,
    pub email: Option<String>,
    pub cpf: Option<String>,
    pub down_payment_cents: Option<i64>,
    pub monthly_income_cents: Option<i64>,
    pub qualification: String,
    pub notes: Vec<Note>,
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub author: Option<String>,
    pub body: String,
    /// dd/mm/aaaa hh:mm, Brasília.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// created, moved, assigned, edited, note, attached, queued.
    pub kind: String,
    /// Why an `assigned` entry happened: rotation, returning_lead, manual, queue_drain.
    #[serde(default)]
    pub reason: Option<String>,
    pub actor: Option<String>,
    pub at: String,
}

/// The drawer's editable fields, as typed (money as `1.234,56`, empty for none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadForm {
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub cpf: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub down_payment: String,
    #[serde(default)]
    pub monthly_income: String,
}

/// The public form (`/:tenant/simular`), as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicLeadForm {
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// `real_estate` or `vehicle`.
    pub product: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub down_payment: String,
    #[serde(default)]
    pub monthly_income: String,
    /// The visitor agreed to be contacted (the consent text beside the box).
    #[serde(default)]
    pub consent: bool,
}
