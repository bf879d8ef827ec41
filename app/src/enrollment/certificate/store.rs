//! The comprovante's SQL: the facts it prints, and its codes (one current per application; reissuing marks the old
//! one replaced, so a printed copy still answers "substituído" instead of "não encontrado").

use chrono::NaiveDate;
use uuid::Uuid;

use crate::platform::tenancy::TenantTx;

/// The application's facts a comprovante shows, wherever the application stands now.
#[derive(Debug, sqlx::FromRow)]
pub struct Facts {
    pub student_id: Uuid,
    pub status: String,
    pub student: String,
    pub course: String,
    pub term: String,
    pub shift: String,
    /// The day (in Brasília) the application became `enrolled`.
    pub enrolled_on: NaiveDate,
}

const FACTS: &str = "
    select a.student_id, a.status, u.name as student, c.name as course, cl.term, cl.shift,
           (coalesce((select max(e.at) from application_events e
                       where e.tenant_id = a.tenant_id and e.application_id = a.id and e.to_status = 'enrolled'),
                     a.paid_at, a.status_changed_at) at time zone 'America/Sao_Paulo')::date as enrolled_on
      from applications a
      join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
      join classes cl on cl.tenant_id = a.tenant_id and cl.id = a.class_id
      join courses c on c.tenant_id = cl.tenant_id and c.id = cl.course_id";

pub async fn facts(tx: &mut TenantTx, application: Uuid) -> Result<Option<Facts>, sqlx::Error> {
    sqlx::query_as(&format!("{FACTS} where a.tenant_id = $1 and a.id = $2"))
        .bind(tx.tenant_id())
        .bind(application)
        .fetch_optional(tx.conn())
        .await
}

/// A code and where it stands.
#[derive(Debug, sqlx::FromRow)]
pub struct Code {
    pub application_id: Uuid,
    pub code: String,
    pub issued_on: NaiveDate,
    pub replaced: bool,
}

const CODE: &str = "select application_id, code, (issued_at at time zone 'America/Sao_Paulo')::date as issued_on,
                           replaced_at is not null as replaced
                      from enrollment_certificates";

/// The application's current code, if one was issued.
pub async fn current(tx: &mut TenantTx, application: Uuid) -> Result<Option<Code>, sqlx::Error> {
    sqlx::query_as(&format!("{CODE} where tenant_id = $1 and application_id = $2 and replaced_at is null"))
        .bind(tx.tenant_id())
        .bind(application)
        .fetch_optional(tx.conn())
        .await
}

pub async fn by_code(tx: &mut TenantTx, code: &str) -> Result<Option<Code>, sqlx::Error> {
    sqlx::query_as(&format!("{CODE} where tenant_id = $1 and code = $2"))
        .bind(tx.tenant_id())
        .bind(code)
        .fetch_optional(tx.conn())
        .await
}

/// Inserts `code` as the application's current one; `false` when another transaction issued one first (the
/// partial unique index on the current code) or, astronomically rarely, the code is taken.
pub async fn insert(tx: &mut TenantTx, application: Uuid, code: &str, by: Option<Uuid>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into enrollment_certificates (tenant_id, application_id, code, issued_by) values ($1, $2, $3, $4)
         on conflict do nothing",
    )
    .bind(tx.tenant_id())
    .bind(application)
    .bind(code)
    .bind(by)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the current code replaced; returns it.
pub async fn replace_current(tx: &mut TenantTx, application: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "update enrollment_certificates set replaced_at = now()
          where tenant_id = $1 and application_id = $2 and replaced_at is null returning code",
    )
    .bind(tx.tenant_id())
    .bind(application)
    .fetch_optional(tx.conn())
    .await
}
