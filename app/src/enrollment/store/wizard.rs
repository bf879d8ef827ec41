//! Rows the application wizard reads and writes: the application's wizard columns, the student's profile, the
//! tenant's contract.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::{
    enrollment::wizard_types::{Contract, GuardianForm},
    platform::tenancy::TenantTx,
};

/// The student's application to `class_id` that is still going (not ended), if any.
pub async fn ongoing_application(
    tx: &mut TenantTx,
    student: Uuid,
    class_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from applications where student_id = $1 and class_id = $2
            and status not in ('enrolled', 'rejected', 'cancelled', 'withdrawn')
          order by created_at desc limit 1",
    )
    .bind(student)
    .bind(class_id)
    .fetch_optional(tx.conn())
    .await
}

#[derive(sqlx::FromRow)]
pub struct ApplicationRow {
    pub status: String,
    pub class_id: Uuid,
    pub course_name: String,
    pub wizard_step: String,
    pub guardian_is_student: bool,
    pub guardian_name: Option<String>,
    pub guardian_cpf: Option<String>,
    pub guardian_email: Option<String>,
    pub guardian_phone: Option<String>,
    pub contract_accepted_at: Option<DateTime<Utc>>,
    pub contract_version: Option<i32>,
}

/// Application `id` if it is `student`'s own.
pub async fn application(tx: &mut TenantTx, id: Uuid, student: Uuid) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(
        "select a.status, a.class_id, c.name as course_name, a.wizard_step, a.guardian_is_student, a.guardian_name,
                a.guardian_cpf, a.guardian_email, a.guardian_phone, a.contract_accepted_at, k.version as contract_version
           from applications a
           join classes l on l.tenant_id = a.tenant_id and l.id = a.class_id
           join courses c on c.tenant_id = l.tenant_id and c.id = l.course_id
           left join enrollment_contracts k on k.tenant_id = a.tenant_id and k.id = a.contract_id
          where a.id = $1 and a.student_id = $2",
    )
    .bind(id)
    .bind(student)
    .fetch_optional(tx.conn())
    .await
}

#[derive(sqlx::FromRow)]
pub struct ProfileRow {
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub street: Option<String>,
    pub street_number: Option<String>,
    pub complement: Option<String>,
    pub district: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
}

pub async fn profile(tx: &mut TenantTx, student: Uuid) -> Result<Option<ProfileRow>, sqlx::Error> {
    sqlx::query_as(
        "select birth_date, phone, postal_code, street, street_number, complement, district, city, state
           from student_profiles where user_id = $1",
    )
    .bind(student)
    .fetch_optional(tx.conn())
    .await
}

/// Records that step `step` was completed, unless a later one already was (going back does not lose progress).
pub async fn complete_step(tx: &mut TenantTx, id: Uuid, step: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update applications set wizard_step = $2
          where id = $1 and array_position(array['class', 'personal', 'guardian', 'documents', 'contract'], wizard_step)
                          < array_position(array['class', 'personal', 'guardian', 'documents', 'contract'], $2)",
    )
    .bind(id)
    .bind(step)
    .execute(tx.conn())
    .await
    .map(|_| ())
}

/// The personal step's fields, checked by the caller (phone in E.164, postal code 8 digits, state 2 letters).
pub struct Personal<'a> {
    pub birth_date: NaiveDate,
    pub phone: &'a str,
    pub postal_code: &'a str,
    pub street: &'a str,
    pub street_number: &'a str,
    pub complement: &'a str,
    pub district: &'a str,
    pub city: &'a str,
    pub state: &'a str,
}

pub async fn save_personal(tx: &mut TenantTx, student: Uuid, personal: &Personal<'_>) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "update student_profiles set birth_date = $2, phone = $3, postal_code = $4, street = $5, street_number = $6,
                complement = nullif($7, ''), district = $8, city = $9, state = $10, updated_at = now()
          where user_id = $1",
    )
    .bind(student)
    .bind(personal.birth_date)
    .bind(personal.phone)
    .bind(personal.postal_code)
    .bind(personal.street)
    .bind(personal.street_number)
    .bind(personal.complement)
    .bind(personal.district)
    .bind(personal.city)
    .bind(personal.state)
    .execute(tx.conn())
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// The guardian's fields, checked by the caller; all `None` when the student is their own guardian.
pub async fn save_guardian(tx: &mut TenantTx, id: Uuid, guardian: &GuardianForm) -> Result<(), sqlx::Error> {
    let other = |value: &str| (!guardian.is_student && !value.is_empty()).then(|| value.to_string());
    sqlx::query(
        "update applications set guardian_is_student = $2, guardian_name = $3, guardian_cpf = $4, guardian_email = $5,
                guardian_phone = $6
          where id = $1",
    )
    .bind(id)
    .bind(guardian.is_student)
    .bind(other(&guardian.name))
    .bind(other(&guardian.cpf))
    .bind(other(&guardian.email))
    .bind(other(&guardian.phone))
    .execute(tx.conn())
    .await
    .map(|_| ())
}

/// The tenant's newest contract version.
pub async fn current_contract(tx: &mut TenantTx) -> Result<Option<Contract>, sqlx::Error> {
    let row: Option<(Uuid, i32, String, String)> =
        sqlx::query_as("select id, version, title, body from enrollment_contracts order by version desc limit 1")
            .fetch_optional(tx.conn())
            .await?;
    Ok(row.map(|(id, version, title, body)| Contract { id, version, title, body }))
}

/// Records the acceptance of contract `contract_id`: now, from `client` (an IP address as text).
pub async fn accept_contract(tx: &mut TenantTx, id: Uuid, contract_id: Uuid, client: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update applications set contract_id = $2, contract_accepted_at = now(), contract_accepted_from = $3::inet
          where id = $1",
    )
    .bind(id)
    .bind(contract_id)
    .bind(client)
    .execute(tx.conn())
    .await
    .map(|_| ())
}

pub async fn insert_contract(tx: &mut TenantTx, version: i32, title: &str, body: &str) -> Result<Uuid, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "insert into enrollment_contracts (tenant_id, version, title, body) values ($1, $2, $3, $4) returning id",
    )
    .bind(tenant_id)
    .bind(version)
    .bind(title)
    .bind(body)
    .fetch_one(tx.conn())
    .await
}

/// `student`'s applications, newest first: (id, course, term, status, wizard step).
pub async fn applications_of(
    tx: &mut TenantTx,
    student: Uuid,
) -> Result<Vec<(Uuid, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "select a.id, c.name, l.term, a.status, a.wizard_step
           from applications a
           join classes l on l.tenant_id = a.tenant_id and l.id = a.class_id
           join courses c on c.tenant_id = l.tenant_id and c.id = l.course_id
          where a.student_id = $1
          order by a.created_at desc",
    )
    .bind(student)
    .fetch_all(tx.conn())
    .await
}
