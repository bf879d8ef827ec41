//! Wire types of an application's documents: the checklist a student and staff see, the statuses, the reasons
//! staff give when they refuse one, and the limits the browser checks before sending.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::types::ApplicationStatus;
use crate::i18n::Text;

/// The largest document a student may send (phone photos are large). The upload route's body cap is this plus
/// room for the multipart envelope; the browser checks it before sending.
pub const DOCUMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The types a document may be, decided from its bytes.
pub const DOCUMENT_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

pub const WRONG_TYPE: Text = Text::new(
    "Este arquivo não é um PDF, JPEG ou PNG (conferimos o conteúdo, não o nome). Envie o documento em PDF ou uma foto.",
    "This file is not a PDF, JPEG or PNG (we check its content, not its name). Send the document as a PDF or a photo.",
);

pub const TOO_LARGE: Text = Text::new(
    "O arquivo passa de 10 MB. Envie uma foto menor ou um PDF mais leve.",
    "The file is over 10 MB. Send a smaller photo or a lighter PDF.",
);

/// Under this name (`platform::form_echo`) a refused plain upload (the page ships no wasm) tells the documents page
/// which document was refused and why.
pub const UPLOAD_ECHO: &str = "document-upload";

/// What a refused plain upload hands back to the documents page: the document's kind and the refusal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadRefusal {
    pub kind: Uuid,
    pub error: crate::platform::AppError,
}

/// The id of a document's row on the documents page: a plain upload comes back to `#<this>`, so the browser shows
/// the row it was about, not the top of the page.
pub fn row_anchor(kind: Uuid) -> String {
    format!("documento-{kind}")
}

/// Where a student sends a document (multipart: `kind`, `file`).
pub fn upload_url(tenant: &str, application_id: Uuid) -> String {
    format!("/{tenant}/portal/inscricao/{application_id}/documentos/enviar")
}

/// Where a document is served (to its student and the tenant's staff).
pub fn document_url(tenant: &str, application_id: Uuid, document_id: Uuid) -> String {
    format!("/{tenant}/portal/inscricao/{application_id}/documentos/{document_id}")
}

/// The state of one required document: the newest upload of its kind decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Missing,
    Pending,
    Approved,
    Rejected,
}

impl DocumentStatus {
    pub fn from_code(code: Option<&str>) -> Self {
        match code {
            Some("approved") => Self::Approved,
            Some("rejected") => Self::Rejected,
            Some(_) => Self::Pending,
            None => Self::Missing,
        }
    }

    /// Sent and not refused: what submitting needs of each required document.
    pub fn counts_as_sent(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Missing => Text::new("Faltando", "Missing"),
            Self::Pending => Text::new("Enviado", "Sent"),
            Self::Approved => Text::new("Aprovado", "Approved"),
            Self::Rejected => Text::new("Recusado", "Rejected"),
        }
    }
}

/// Why staff refused a document: a fixed list, plus free text for the student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    Illegible,
    WrongDocument,
    Expired,
    Incomplete,
    Other,
}

impl RejectionReason {
    pub const ALL: [Self; 5] = [Self::Illegible, Self::WrongDocument, Self::Expired, Self::Incomplete, Self::Other];

    /// The code stored in `application_documents.reason_code`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Illegible => "ilegivel",
            Self::WrongDocument => "documento_errado",
            Self::Expired => "vencido",
            Self::Incomplete => "incompleto",
            Self::Other => "outro",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Illegible => Text::new("Ilegível", "Illegible"),
            Self::WrongDocument => Text::new("Documento errado", "Wrong document"),
            Self::Expired => Text::new("Vencido", "Expired"),
            Self::Incomplete => Text::new("Incompleto", "Incomplete"),
            Self::Other => Text::new("Outro", "Other"),
        }
    }
}

/// One line of the checklist: a document the course asks for and its newest upload, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub kind_id: Uuid,
    pub kind_name: String,
    pub status: DocumentStatus,
    pub document_id: Option<Uuid>,
    pub original_name: Option<String>,
    pub mime: Option<String>,
    pub uploaded_at: Option<DateTime<Utc>>,
    pub reason: Option<RejectionReason>,
    pub reason_text: Option<String>,
}

/// What the student's documents page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentChecklist {
    pub application_id: Uuid,
    pub status: ApplicationStatus,
    /// Documents can be sent now (draft or changes requested).
    pub can_upload: bool,
    pub items: Vec<ChecklistItem>,
}

impl DocumentChecklist {
    /// Every required document is sent and none is refused: what submitting needs.
    pub fn complete(&self) -> bool {
        self.items.iter().all(|item| item.status.counts_as_sent())
    }
}
