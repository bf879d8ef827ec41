//! Classes open for applications today: their term's enrollment period includes today (in Brazil). The public
//! catalog lists them; the wizard offers them (those with seats left) and checks the chosen one against them.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::{
    enrollment::types::{Modality, OpenClass, Shift},
    platform::tenancy::TenantTx,
};

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    course_name: String,
    modality: String,
    duration_months: i32,
    description: String,
    term: String,
    shift: String,
    seats_left: i32,
    enrollment_fee_cents: i64,
    monthly_fee_cents: i64,
    max_installments: i32,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
}

/// Every open class of the tenant, by course then shift; `only` narrows it to one class.
pub async fn list(tx: &mut TenantTx, only: Option<Uuid>) -> Result<Vec<OpenClass>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "select k.id, c.name as course_name, c.modality, c.duration_months, c.description, k.term, k.shift,
                k.capacity - k.seats_reserved as seats_left, k.enrollment_fee_cents, k.monthly_fee_cents,
                k.max_installments, p.opens_on, p.closes_on
           from classes k
           join courses c on c.tenant_id = k.tenant_id and c.id = k.course_id
           join enrollment_periods p on p.tenant_id = k.tenant_id and p.term = k.term
          where (now() at time zone 'America/Sao_Paulo')::date between p.opens_on and p.closes_on
            and ($1::uuid is null or k.id = $1)
          order by c.name, k.shift, k.term",
    )
    .bind(only)
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(OpenClass {
                id: row.id,
                course_name: row.course_name,
                modality: Modality::from_code(&row.modality).ok_or_else(|| unknown("modality", &row.modality))?,
                duration_months: row.duration_months,
                description: row.description,
                term: row.term,
                shift: Shift::from_code(&row.shift).ok_or_else(|| unknown("shift", &row.shift))?,
                seats_left: row.seats_left,
                enrollment_fee_cents: row.enrollment_fee_cents,
                monthly_fee_cents: row.monthly_fee_cents,
                max_installments: row.max_installments,
                opens_on: row.opens_on,
                closes_on: row.closes_on,
            })
        })
        .collect()
}

fn unknown(what: &str, code: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {code:?}").into())
}
