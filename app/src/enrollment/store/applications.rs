//! Rows of `applications` and `application_events`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    enrollment::types::{ApplicationStatus, TimelineEntry},
    platform::tenancy::TenantTx,
};

/// What the state machine needs to know about an application before moving it.
pub struct Current {
    pub status: ApplicationStatus,
    pub class_id: Uuid,
    pub student_id: Uuid,
    pub paid: bool,
}

pub async fn insert_draft(tx: &mut TenantTx, id: Uuid, student: Uuid, class_id: Uuid) -> Result<(), sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query("insert into applications (id, tenant_id, class_id, student_id) values ($1, $2, $3, $4)")
        .bind(id)
        .bind(tenant_id)
        .bind(class_id)
        .bind(student)
        .execute(tx.conn())
        .await
        .map(|_| ())
}

pub async fn belongs_to(tx: &mut TenantTx, id: Uuid, student: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("select exists (select 1 from applications where id = $1 and student_id = $2)")
        .bind(id)
        .bind(student)
        .fetch_one(tx.conn())
        .await
}

/// Reads application `id` and locks its row until the transaction ends.
pub async fn lock(tx: &mut TenantTx, id: Uuid) -> Result<Option<Current>, sqlx::Error> {
    current(tx, id, " for update").await
}

/// Reads application `id` without locking it.
pub async fn read(tx: &mut TenantTx, id: Uuid) -> Result<Option<Current>, sqlx::Error> {
    current(tx, id, "").await
}

async fn current(tx: &mut TenantTx, id: Uuid, lock: &str) -> Result<Option<Current>, sqlx::Error> {
    let row: Option<(String, Uuid, Uuid, bool)> = sqlx::query_as(&format!(
        "select status, class_id, student_id, paid_at is not null from applications where id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    row.map(|(status, class_id, student_id, paid)| {
        let status = ApplicationStatus::from_code(&status).ok_or_else(|| unknown_status(&status))?;
        Ok(Current { status, class_id, student_id, paid })
    })
    .transpose()
}

pub async fn set_status(tx: &mut TenantTx, id: Uuid, to: ApplicationStatus) -> Result<(), sqlx::Error> {
    sqlx::query("update applications set status = $2 where id = $1")
        .bind(id)
        .bind(to.code())
        .execute(tx.conn())
        .await
        .map(|_| ())
}

/// Whether today (in Brazil) falls within the enrollment period of class `class_id`'s term.
pub async fn period_open(tx: &mut TenantTx, class_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (
           select from classes c
             join enrollment_periods p on p.tenant_id = c.tenant_id and p.term = c.term
            where c.id = $1
              and (now() at time zone 'America/Sao_Paulo')::date between p.opens_on and p.closes_on)",
    )
    .bind(class_id)
    .fetch_one(tx.conn())
    .await
}

pub async fn insert_event(
    tx: &mut TenantTx,
    application_id: Uuid,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    actor_id: Option<Uuid>,
    actor_kind: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "insert into application_events (tenant_id, application_id, from_status, to_status, actor_id, actor_kind,
                                         reason)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant_id)
    .bind(application_id)
    .bind(from.map(ApplicationStatus::code))
    .bind(to.code())
    .bind(actor_id)
    .bind(actor_kind)
    .bind(reason)
    .execute(tx.conn())
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    at: DateTime<Utc>,
    from_status: Option<String>,
    to_status: String,
    actor: Option<String>,
    reason: String,
}

pub async fn timeline(tx: &mut TenantTx, application_id: Uuid) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "select e.at, e.from_status, e.to_status, u.name as actor, e.reason
           from application_events e left join users u on u.tenant_id = e.tenant_id and u.id = e.actor_id
          where e.application_id = $1
          order by e.at, e.id",
    )
    .bind(application_id)
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|row| {
            let status = |code: &str| ApplicationStatus::from_code(code).ok_or_else(|| unknown_status(code));
            Ok(TimelineEntry {
                at: row.at,
                from: row.from_status.as_deref().map(status).transpose()?,
                to: status(&row.to_status)?,
                actor: row.actor,
                reason: row.reason,
            })
        })
        .collect()
}

fn unknown_status(code: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown application status {code:?}").into())
}
