//! Wire types of the application wizard (shared by its pages, the other helper's documents page included).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::types::{ApplicationStatus, OpenClass};
use crate::i18n::Text;

/// The wizard's steps, in order. `applications.wizard_step` stores the last one completed (class … contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WizardStep {
    Class,
    Personal,
    Guardian,
    Documents,
    Contract,
    Review,
}

impl WizardStep {
    pub const ALL: [Self; 6] =
        [Self::Class, Self::Personal, Self::Guardian, Self::Documents, Self::Contract, Self::Review];

    /// The code stored in `applications.wizard_step` (review is never stored: it is where a completed contract
    /// leads).
    pub fn code(self) -> &'static str {
        match self {
            Self::Class => "class",
            Self::Personal => "personal",
            Self::Guardian => "guardian",
            Self::Documents => "documents",
            Self::Contract => "contract",
            Self::Review => "review",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Class => Text::new("Turma", "Class"),
            Self::Personal => Text::new("Seus dados", "Your details"),
            Self::Guardian => Text::new("Responsável", "Guardian"),
            Self::Documents => Text::new("Documentos", "Documents"),
            Self::Contract => Text::new("Contrato", "Contract"),
            Self::Review => Text::new("Enviar", "Submit"),
        }
    }

    /// The path segment after `/:tenant/portal/inscricao/:id/` (the class step is the application itself).
    pub fn segment(self) -> &'static str {
        match self {
            Self::Class => "",
            Self::Personal => "dados",
            Self::Guardian => "responsavel",
            Self::Documents => "documentos",
            Self::Contract => "contrato",
            Self::Review => "revisao",
        }
    }

    /// The step after this one.
    pub fn next(self) -> Self {
        let index = Self::ALL.iter().position(|step| *step == self).unwrap_or_default();
        Self::ALL.get(index + 1).copied().unwrap_or(Self::Review)
    }

    /// The step a student who completed `self` resumes at (choosing the class created the application, so the
    /// personal step follows it).
    pub fn resumes_at(self) -> Self {
        match self {
            Self::Class => Self::Personal,
            step => step.next(),
        }
    }

    /// Where a student who completed `self` resumes.
    pub fn path(self, slug: &str, application_id: Uuid) -> String {
        format!("/{slug}/portal/inscricao/{application_id}/{}", self.segment())
    }
}

/// The student's data the personal step collects (as typed; checked on the server).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalForm {
    /// `aaaa-mm-dd`, as the date input gives it.
    pub birth_date: String,
    pub phone: String,
    pub postal_code: String,
    pub street: String,
    pub street_number: String,
    #[serde(default)]
    pub complement: String,
    pub district: String,
    pub city: String,
    pub state: String,
}

/// The financial guardian: the student, or another person with a CPF.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianForm {
    pub is_student: bool,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub cpf: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// The tenant's current enrollment contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    pub id: Uuid,
    pub version: i32,
    pub title: String,
    pub body: String,
}

/// Everything the wizard's pages show of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardState {
    pub id: Uuid,
    pub status: ApplicationStatus,
    /// The last step completed.
    pub completed: WizardStep,
    pub class: Option<OpenClass>,
    pub course_name: String,
    pub personal: PersonalForm,
    pub guardian: GuardianForm,
    pub contract: Option<Contract>,
    /// When the student accepted `contract_accepted_version`.
    pub contract_accepted_at: Option<DateTime<Utc>>,
    pub contract_accepted_version: Option<i32>,
    pub email_verified: bool,
}

/// One of the student's applications, as their portal lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplication {
    pub id: Uuid,
    pub course_name: String,
    pub term: String,
    pub status: ApplicationStatus,
    /// The last wizard step completed: a draft resumes at the next one.
    pub completed: WizardStep,
}
