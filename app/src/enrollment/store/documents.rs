//! Rows of `application_documents`: the uploads of an application, newest per kind deciding the checklist.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    enrollment::document_types::{ChecklistItem, DocumentStatus, RejectionReason},
    platform::tenancy::TenantTx,
};

/// Whether the course of application `application_id` asks for documents of kind `kind_id`.
pub async fn is_required(tx: &mut TenantTx, application_id: Uuid, kind_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (
           select from applications a
             join classes c on c.tenant_id = a.tenant_id and c.id = a.class_id
             join course_required_documents r on r.tenant_id = c.tenant_id and r.course_id = c.course_id
            where a.id = $1 and r.document_kind_id = $2)",
    )
    .bind(application_id)
    .bind(kind_id)
    .fetch_one(tx.conn())
    .await
}

pub struct NewDocument<'a> {
    pub application_id: Uuid,
    pub kind_id: Uuid,
    pub file_id: Uuid,
    pub original_name: &'a str,
}

/// A new upload. `clock_timestamp()`, not `now()`: a re-upload in the same transaction (the demo) must be newer.
pub async fn insert(tx: &mut TenantTx, document: &NewDocument<'_>) -> Result<Uuid, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "insert into application_documents (tenant_id, application_id, document_kind_id, file_id, original_name,
                                            uploaded_at)
         values ($1, $2, $3, $4, $5, clock_timestamp()) returning id",
    )
    .bind(tenant_id)
    .bind(document.application_id)
    .bind(document.kind_id)
    .bind(document.file_id)
    .bind(document.original_name)
    .fetch_one(tx.conn())
    .await
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    kind_id: Uuid,
    kind_name: String,
    document_id: Option<Uuid>,
    original_name: Option<String>,
    mime: Option<String>,
    status: Option<String>,
    uploaded_at: Option<DateTime<Utc>>,
    reason_code: Option<String>,
    reason_text: Option<String>,
}

/// The documents the course of application `application_id` asks for, each with its newest upload.
pub async fn checklist(tx: &mut TenantTx, application_id: Uuid) -> Result<Vec<ChecklistItem>, sqlx::Error> {
    let rows: Vec<ItemRow> = sqlx::query_as(
        "select k.id as kind_id, k.name as kind_name, d.id as document_id, d.original_name, f.mime, d.status,
                d.uploaded_at, d.reason_code, d.reason_text
           from applications a
           join classes c on c.tenant_id = a.tenant_id and c.id = a.class_id
           join course_required_documents r on r.tenant_id = c.tenant_id and r.course_id = c.course_id
           join enrollment_document_kinds k on k.tenant_id = r.tenant_id and k.id = r.document_kind_id
           left join lateral (
                select * from application_documents d
                 where d.tenant_id = a.tenant_id and d.application_id = a.id and d.document_kind_id = k.id
                 order by d.uploaded_at desc, d.id desc limit 1) d on true
           left join stored_files f on f.tenant_id = d.tenant_id and f.id = d.file_id
          where a.id = $1
          order by k.created_at, k.name",
    )
    .bind(application_id)
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ChecklistItem {
            kind_id: row.kind_id,
            kind_name: row.kind_name,
            status: DocumentStatus::from_code(row.status.as_deref()),
            document_id: row.document_id,
            original_name: row.original_name,
            mime: row.mime,
            uploaded_at: row.uploaded_at,
            reason: row.reason_code.as_deref().and_then(RejectionReason::from_code),
            reason_text: row.reason_text,
        })
        .collect())
}

/// The file behind document `document_id` of application `application_id`, with its kind's name; when `student`
/// is given, only if the application is theirs.
pub async fn file_of(
    tx: &mut TenantTx,
    application_id: Uuid,
    document_id: Uuid,
    student: Option<Uuid>,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "select d.file_id, k.name
           from application_documents d
           join applications a on a.tenant_id = d.tenant_id and a.id = d.application_id
           join enrollment_document_kinds k on k.tenant_id = d.tenant_id and k.id = d.document_kind_id
          where d.application_id = $1 and d.id = $2 and ($3::uuid is null or a.student_id = $3)",
    )
    .bind(application_id)
    .bind(document_id)
    .bind(student)
    .fetch_optional(tx.conn())
    .await
}

/// Staff's decision on a document.
pub async fn set_review(
    tx: &mut TenantTx,
    document_id: Uuid,
    status: &str,
    reason_code: Option<&str>,
    reason_text: Option<&str>,
    reviewer: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update application_documents
            set status = $2, reason_code = $3, reason_text = $4, reviewed_by = $5, reviewed_at = now()
          where id = $1",
    )
    .bind(document_id)
    .bind(status)
    .bind(reason_code)
    .bind(reason_text)
    .bind(reviewer)
    .execute(tx.conn())
    .await
    .map(|_| ())
}
