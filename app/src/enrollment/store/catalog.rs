//! Rows of the catalog: document kinds, courses (and the documents they ask for), enrollment periods, classes.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::{
    enrollment::types::{Catalog, ClassSummary, CourseSummary, DocumentKind, Modality, PeriodSummary, Shift},
    platform::tenancy::TenantTx,
};

#[derive(sqlx::FromRow)]
struct ClassRowRead {
    id: Uuid,
    course_id: Uuid,
    course_name: String,
    term: String,
    shift: String,
    capacity: i32,
    seats_left: i32,
    enrollment_fee_cents: i64,
    monthly_fee_cents: i64,
    max_installments: i32,
}

#[derive(sqlx::FromRow)]
struct CourseRowRead {
    id: Uuid,
    name: String,
    modality: String,
    duration_months: i32,
    description: String,
    document_kind_ids: Vec<Uuid>,
}

pub async fn load(tx: &mut TenantTx) -> Result<Catalog, sqlx::Error> {
    let document_kinds: Vec<(Uuid, String)> =
        sqlx::query_as("select id, name from enrollment_document_kinds order by name").fetch_all(tx.conn()).await?;
    let courses: Vec<CourseRowRead> = sqlx::query_as(
        "select c.id, c.name, c.modality, c.duration_months, c.description,
                coalesce(array_agg(r.document_kind_id) filter (where r.document_kind_id is not null), '{}')
                  as document_kind_ids
           from courses c left join course_required_documents r on r.tenant_id = c.tenant_id and r.course_id = c.id
          group by c.id order by c.name",
    )
    .fetch_all(tx.conn())
    .await?;
    let periods: Vec<(Uuid, String, NaiveDate, NaiveDate)> =
        sqlx::query_as("select id, term, opens_on, closes_on from enrollment_periods order by term desc")
            .fetch_all(tx.conn())
            .await?;
    let classes: Vec<ClassRowRead> = sqlx::query_as(
        "select k.id, k.course_id, c.name as course_name, k.term, k.shift, k.capacity,
                k.capacity - k.seats_reserved as seats_left, k.enrollment_fee_cents, k.monthly_fee_cents,
                k.max_installments
           from classes k join courses c on c.tenant_id = k.tenant_id and c.id = k.course_id
          order by k.term desc, c.name, k.shift",
    )
    .fetch_all(tx.conn())
    .await?;
    let today: chrono::NaiveDate =
        sqlx::query_scalar("select (now() at time zone 'America/Sao_Paulo')::date").fetch_one(tx.conn()).await?;
    Ok(Catalog {
        today,
        document_kinds: document_kinds.into_iter().map(|(id, name)| DocumentKind { id, name }).collect(),
        courses: courses
            .into_iter()
            .map(|row| {
                Ok(CourseSummary {
                    id: row.id,
                    name: row.name,
                    modality: Modality::from_code(&row.modality).ok_or_else(|| unknown("modality", &row.modality))?,
                    duration_months: row.duration_months,
                    description: row.description,
                    document_kind_ids: row.document_kind_ids,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        periods: periods
            .into_iter()
            .map(|(id, term, opens_on, closes_on)| PeriodSummary { id, term, opens_on, closes_on })
            .collect(),
        classes: classes
            .into_iter()
            .map(|row| {
                Ok(ClassSummary {
                    id: row.id,
                    course_id: row.course_id,
                    course_name: row.course_name,
                    term: row.term,
                    shift: Shift::from_code(&row.shift).ok_or_else(|| unknown("shift", &row.shift))?,
                    capacity: row.capacity,
                    seats_left: row.seats_left,
                    enrollment_fee_cents: row.enrollment_fee_cents,
                    monthly_fee_cents: row.monthly_fee_cents,
                    max_installments: row.max_installments,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
    })
}

fn unknown(what: &str, code: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {code:?}").into())
}

pub async fn insert_document_kind(tx: &mut TenantTx, name: &str) -> Result<Uuid, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar("insert into enrollment_document_kinds (tenant_id, name) values ($1, $2) returning id")
        .bind(tenant_id)
        .bind(name)
        .fetch_one(tx.conn())
        .await
}

pub struct CourseRow<'a> {
    pub name: &'a str,
    pub modality: Modality,
    pub duration_months: i32,
    pub description: &'a str,
    pub document_kind_ids: &'a [Uuid],
}

/// Creates (`id` None) or updates a course, and sets the documents it asks for. Answers the id, or None when the
/// course to update does not exist.
pub async fn save_course(
    tx: &mut TenantTx,
    id: Option<Uuid>,
    course: &CourseRow<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    let saved: Option<Uuid> = match id {
        None => Some(
            sqlx::query_scalar(
                "insert into courses (tenant_id, name, modality, duration_months, description)
                 values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(tenant_id)
            .bind(course.name)
            .bind(course.modality.code())
            .bind(course.duration_months)
            .bind(course.description)
            .fetch_one(tx.conn())
            .await?,
        ),
        Some(id) => {
            sqlx::query_scalar(
                "update courses set name = $2, modality = $3, duration_months = $4, description = $5,
                        updated_at = now()
                  where id = $1 returning id",
            )
            .bind(id)
            .bind(course.name)
            .bind(course.modality.code())
            .bind(course.duration_months)
            .bind(course.description)
            .fetch_optional(tx.conn())
            .await?
        }
    };
    let Some(course_id) = saved else { return Ok(None) };
    sqlx::query("delete from course_required_documents where course_id = $1")
        .bind(course_id)
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "insert into course_required_documents (tenant_id, course_id, document_kind_id)
         select $1, $2, kind from unnest($3::uuid[]) as kind on conflict do nothing",
    )
    .bind(tenant_id)
    .bind(course_id)
    .bind(course.document_kind_ids)
    .execute(tx.conn())
    .await?;
    Ok(Some(course_id))
}

pub async fn save_period(
    tx: &mut TenantTx,
    id: Option<Uuid>,
    term: &str,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
) -> Result<Option<Uuid>, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    match id {
        None => sqlx::query_scalar(
            "insert into enrollment_periods (tenant_id, term, opens_on, closes_on) values ($1, $2, $3, $4) returning id",
        )
        .bind(tenant_id)
        .bind(term)
        .bind(opens_on)
        .bind(closes_on)
        .fetch_optional(tx.conn())
        .await,
        // The term names the period's classes: it stays; only the dates move.
        Some(id) => sqlx::query_scalar(
            "update enrollment_periods set opens_on = $2, closes_on = $3 where id = $1 returning id",
        )
        .bind(id)
        .bind(opens_on)
        .bind(closes_on)
        .fetch_optional(tx.conn())
        .await,
    }
}

pub struct ClassRow<'a> {
    pub course_id: Uuid,
    pub term: &'a str,
    pub shift: Shift,
    pub capacity: i32,
    pub enrollment_fee_cents: i64,
    pub monthly_fee_cents: i64,
    pub max_installments: i32,
}

pub async fn save_class(
    tx: &mut TenantTx,
    id: Option<Uuid>,
    class: &ClassRow<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    let query = match id {
        None => sqlx::query_scalar(
            "insert into classes (tenant_id, course_id, term, shift, capacity, enrollment_fee_cents, monthly_fee_cents,
                                  max_installments)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        )
        .bind(tenant_id),
        // Locks the row like an approval does, so a capacity cut and an approval cannot pass each other.
        Some(id) => sqlx::query_scalar(
            "update classes set course_id = $2, term = $3, shift = $4, capacity = $5, enrollment_fee_cents = $6,
                    monthly_fee_cents = $7, max_installments = $8, updated_at = now()
              where id = $1 returning id",
        )
        .bind(id),
    };
    query
        .bind(class.course_id)
        .bind(class.term)
        .bind(class.shift.code())
        .bind(class.capacity)
        .bind(class.enrollment_fee_cents)
        .bind(class.monthly_fee_cents)
        .bind(class.max_installments)
        .fetch_optional(tx.conn())
        .await
}
