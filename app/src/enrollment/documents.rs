//! An application's documents: a student uploads the ones their course asks for while the application is theirs
//! to edit (draft, or changes requested); a re-upload is a new row, the old one stays as history. Files are kept
//! through `platform::files::FileStorage` and reached only through a document row: served to the application's
//! student and the tenant's staff, every staff view audited (LGPD).

use uuid::Uuid;

use super::{
    document_types::{
        ChecklistItem, DOCUMENT_TYPES, DocumentChecklist, DocumentStatus, RejectionReason, TOO_LARGE, WRONG_TYPE,
    },
    store::{applications, documents as store},
    types::ApplicationStatus,
};
use crate::{
    i18n::Text,
    platform::{
        AppError, audit,
        files::{FileStorage, OpenedFile, StorageError},
        tenancy::TenantTx,
    },
};

const NOT_EDITABLE: Text = Text::new(
    "Os documentos só podem ser enviados enquanto a inscrição está em rascunho ou com correções pedidas.",
    "Documents can be sent only while the application is a draft or has changes requested.",
);
const NOT_REQUIRED: Text =
    Text::new("Este curso não pede esse documento.", "This course does not ask for that document.");
const ALREADY_APPROVED: Text =
    Text::new("Este documento já foi aprovado: não é preciso enviar de novo.", "This document is already approved.");
const EMPTY_FILE: Text = Text::new("Escolha um arquivo para enviar.", "Choose a file to send.");
/// Why an application cannot be submitted yet.
pub const INCOMPLETE: Text = Text::new(
    "Envie todos os documentos pedidos (e reenvie os recusados) antes de enviar a inscrição.",
    "Send every document asked for (and resend the rejected ones) before submitting the application.",
);
/// `application_documents.original_name` holds at most this many characters.
const NAME_MAX_CHARS: usize = 255;

/// One upload by a student.
pub struct Upload<'a> {
    pub student: Uuid,
    pub application_id: Uuid,
    pub kind_id: Uuid,
    /// The name the student's device gave the file: shown to staff, never used as a path.
    pub original_name: &'a str,
    pub bytes: &'a [u8],
}

/// Keeps `upload` as the newest document of its kind. Refuses (changing nothing) another student's application,
/// an application past its editable statuses, a kind the course does not ask for, an approved kind, and content
/// that is not PDF, JPEG or PNG.
pub async fn upload(tx: &mut TenantTx, files: &dyn FileStorage, upload: &Upload<'_>) -> Result<Uuid, AppError> {
    let Some(current) = applications::lock(tx, upload.application_id).await? else { return Err(AppError::NotFound) };
    if current.student_id != upload.student {
        return Err(AppError::NotFound);
    }
    if !matches!(current.status, ApplicationStatus::Draft | ApplicationStatus::ChangesRequested) {
        return Err(AppError::conflict(NOT_EDITABLE));
    }
    if !store::is_required(tx, upload.application_id, upload.kind_id).await? {
        return Err(AppError::invalid("kind", NOT_REQUIRED));
    }
    let approved = checklist_items(tx, upload.application_id)
        .await?
        .into_iter()
        .any(|item| item.kind_id == upload.kind_id && item.status == DocumentStatus::Approved);
    if approved {
        return Err(AppError::conflict(ALREADY_APPROVED));
    }
    if upload.bytes.is_empty() {
        return Err(AppError::invalid("file", EMPTY_FILE));
    }
    let file = files.store(tx, upload.bytes, &DOCUMENT_TYPES).await.map_err(|error| match error {
        StorageError::TypeNotAllowed { .. } => AppError::invalid("file", WRONG_TYPE),
        StorageError::TooLarge { .. } => AppError::invalid("file", TOO_LARGE),
        StorageError::Failed(error) => AppError::unexpected("document storage", error),
    })?;
    let name: String = upload.original_name.trim().chars().take(NAME_MAX_CHARS).collect();
    let name = if name.is_empty() { "documento".to_string() } else { name };
    let document = store::NewDocument {
        application_id: upload.application_id,
        kind_id: upload.kind_id,
        file_id: file.id,
        original_name: &name,
    };
    store::insert(tx, &document).await.map_err(|error| AppError::from_db("application document", error))
}

/// The checklist of application `application_id`: each document its course asks for, with its newest upload.
pub async fn checklist(tx: &mut TenantTx, application_id: Uuid) -> Result<DocumentChecklist, AppError> {
    let Some(current) = applications::read(tx, application_id).await? else { return Err(AppError::NotFound) };
    let items = checklist_items(tx, application_id).await?;
    Ok(DocumentChecklist {
        application_id,
        status: current.status,
        can_upload: matches!(current.status, ApplicationStatus::Draft | ApplicationStatus::ChangesRequested),
        items,
    })
}

/// Every document the course asks for is sent and none of them is rejected: what submitting needs.
pub async fn complete(tx: &mut TenantTx, application_id: Uuid) -> Result<bool, AppError> {
    let items = checklist_items(tx, application_id).await?;
    Ok(items.iter().all(|item| item.status.counts_as_sent()))
}

async fn checklist_items(tx: &mut TenantTx, application_id: Uuid) -> Result<Vec<ChecklistItem>, AppError> {
    store::checklist(tx, application_id).await.map_err(|error| AppError::from_db("document checklist", error))
}

/// Who asks to see a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The application's student (anyone else's application is not found).
    Student(Uuid),
    /// Owner or staff of the tenant: the view is audited.
    Staff(Uuid),
}

/// The file of document `document_id` of application `application_id`, for `reader`; `NotFound` for a document
/// the reader may not see. A staff view is written to the audit log in `tx` (the caller commits before serving).
pub async fn open(
    tx: &mut TenantTx,
    files: &dyn FileStorage,
    reader: Reader,
    application_id: Uuid,
    document_id: Uuid,
) -> Result<OpenedFile, AppError> {
    let student = match reader {
        Reader::Student(student) => Some(student),
        Reader::Staff(_) => None,
    };
    let Some((file_id, kind_name)) = store::file_of(tx, application_id, document_id, student).await? else {
        return Err(AppError::NotFound);
    };
    let Some(file) = files.open(tx, file_id).await.map_err(|error| AppError::unexpected("document file", error))?
    else {
        return Err(AppError::NotFound);
    };
    if let Reader::Staff(person) = reader {
        let details = serde_json::json!({ "application_id": application_id, "kind": kind_name });
        audit::record(tx, Some(person), "enrollment.document.viewed", &document_id.to_string(), details).await?;
    }
    Ok(file)
}

/// What staff decide about a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Approve,
    /// A code from the fixed list, and text the student reads (required for `Other`).
    Reject {
        reason: RejectionReason,
        text: String,
    },
}

const NOT_UNDER_REVIEW: Text = Text::new(
    "Os documentos são avaliados enquanto a inscrição está em análise.",
    "Documents are reviewed while the application is under review.",
);
const SUPERSEDED: Text = Text::new(
    "O estudante já enviou um arquivo mais novo deste documento: avalie o mais recente.",
    "The student has sent a newer file of this document: review the latest one.",
);
const EXPLAIN_OTHER: Text =
    Text::new("Explique o motivo: o estudante vai ler.", "Give the reason: the student will read it.");
const TEXT_TOO_LONG: Text = Text::new("Use no máximo 2.000 caracteres.", "Use at most 2,000 characters.");

/// Records `staff`'s decision on document `document_id` of application `application_id` (under review, the
/// newest upload of its kind), audited.
pub async fn review(
    tx: &mut TenantTx,
    staff: Uuid,
    application_id: Uuid,
    document_id: Uuid,
    review: &Review,
) -> Result<(), AppError> {
    let Some(current) = applications::lock(tx, application_id).await? else { return Err(AppError::NotFound) };
    if current.status != ApplicationStatus::UnderReview {
        return Err(AppError::conflict(NOT_UNDER_REVIEW));
    }
    let items = checklist_items(tx, application_id).await?;
    if store::file_of(tx, application_id, document_id, None).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if !items.iter().any(|item| item.document_id == Some(document_id)) {
        return Err(AppError::conflict(SUPERSEDED));
    }
    let (status, reason, text) = match review {
        Review::Approve => ("approved", None, None),
        Review::Reject { reason, text } => {
            let text = text.trim();
            if text.chars().count() > 2000 {
                return Err(AppError::invalid("reason_text", TEXT_TOO_LONG));
            }
            if *reason == RejectionReason::Other && text.is_empty() {
                return Err(AppError::invalid("reason_text", EXPLAIN_OTHER));
            }
            ("rejected", Some(reason.code()), (!text.is_empty()).then(|| text.to_string()))
        }
    };
    store::set_review(tx, document_id, status, reason, text.as_deref(), staff)
        .await
        .map_err(|error| AppError::from_db("document review", error))?;
    let details = serde_json::json!({ "application_id": application_id, "reason": reason, "text": text });
    audit::record(tx, Some(staff), &format!("enrollment.document.{status}"), &document_id.to_string(), details).await?;
    Ok(())
}
