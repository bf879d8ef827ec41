//! What the comprovante and its public check carry over the wire.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::enrollment::types::Shift;
use crate::i18n::Text;

/// The comprovante's name, on its page and on the link to it.
pub const CERTIFICATE: Text = Text::new("Comprovante de matrícula", "Enrollment certificate");

/// The comprovante de matrícula as the student prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub application_id: Uuid,
    pub institution: String,
    pub student: String,
    pub course: String,
    pub term: String,
    pub shift: Shift,
    pub enrolled_on: NaiveDate,
    pub issued_on: NaiveDate,
    /// Grouped for reading: `ABCDE-FGHJK`.
    pub code: String,
}

/// Where a verification code stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeStatus {
    Valid,
    /// Staff issued a new comprovante: this one no longer counts.
    Replaced,
    /// The enrollment itself ended (cancelled, refunded).
    Cancelled,
}

impl CodeStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Replaced => "replaced",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> Text {
        match self {
            Self::Valid => Text::new("Válido", "Valid"),
            Self::Replaced => Text::new("Substituído por um comprovante mais novo", "Replaced by a newer one"),
            Self::Cancelled => Text::new("Matrícula cancelada", "Enrollment cancelled"),
        }
    }
}

/// What a verifier may see of a code: no CPF, no e-mail, no money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub status: CodeStatus,
    pub student: String,
    pub course: String,
    pub term: String,
    pub enrolled_on: NaiveDate,
}
