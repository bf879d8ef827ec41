//! The dashboard's SQL over enrollment's own tables (the money comes from `platform::payments`).

use chrono::NaiveDate;
use uuid::Uuid;

use super::types::{ClassSeats, CourseFunnel, PaymentFlag};
use crate::enrollment::types::Shift;
use crate::platform::tenancy::TenantTx;

pub async fn funnel(tx: &mut TenantTx) -> Result<Vec<CourseFunnel>, sqlx::Error> {
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "with reached as (
             select a.class_id, a.status, a.paid_at,
                    coalesce(bool_or(e.to_status = 'submitted'), false) as submitted,
                    coalesce(bool_or(e.to_status = 'approved'), false) as approved
               from applications a
               left join application_events e on e.tenant_id = a.tenant_id and e.application_id = a.id
              where a.tenant_id = $1
              group by a.id)
         select co.name, count(r.class_id), count(*) filter (where r.submitted), count(*) filter (where r.approved),
                count(*) filter (where r.paid_at is not null), count(*) filter (where r.status = 'enrolled')
           from courses co
           left join classes cl on cl.tenant_id = co.tenant_id and cl.course_id = co.id
           left join reached r on r.class_id = cl.id
          where co.tenant_id = $1
          group by co.id, co.name
          order by co.name",
    )
    .bind(tx.tenant_id())
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(course, started, submitted, approved, paid, enrolled)| CourseFunnel {
            course,
            stages: [started, submitted, approved, paid, enrolled],
        })
        .collect())
}

pub async fn classes(tx: &mut TenantTx) -> Result<Vec<ClassSeats>, sqlx::Error> {
    let rows: Vec<(String, String, String, i32, i32)> = sqlx::query_as(
        "select co.name, cl.term, cl.shift, cl.capacity, cl.seats_reserved
           from classes cl join courses co on co.tenant_id = cl.tenant_id and co.id = cl.course_id
          where cl.tenant_id = $1
          order by cl.term desc, co.name, cl.shift",
    )
    .bind(tx.tenant_id())
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(course, term, shift, capacity, reserved)| ClassSeats {
            course,
            term,
            shift: Shift::from_code(&shift).unwrap_or(Shift::Integral),
            capacity,
            reserved,
        })
        .collect())
}

pub async fn flags(tx: &mut TenantTx) -> Result<Vec<PaymentFlag>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, String, NaiveDate)> = sqlx::query_as(
        "select a.id, u.name, co.name, a.payment_flag, (a.payment_flag_at at time zone 'America/Sao_Paulo')::date
           from applications a
           join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
           join classes cl on cl.tenant_id = a.tenant_id and cl.id = a.class_id
           join courses co on co.tenant_id = cl.tenant_id and co.id = cl.course_id
          where a.tenant_id = $1 and a.payment_flag is not null
          order by a.payment_flag_at, a.id",
    )
    .bind(tx.tenant_id())
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(application_id, student, course, flag, since)| PaymentFlag {
            application_id,
            student,
            course,
            flag,
            since,
        })
        .collect())
}
