//! What the student's status page and the student's e-mails read of an application.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::platform::tenancy::TenantTx;

#[derive(sqlx::FromRow)]
pub struct StudentApplication {
    pub course_name: String,
    pub term: String,
    pub status: String,
    pub wizard_step: String,
}

/// Application `id` if it is `student`'s own.
pub async fn application(
    tx: &mut TenantTx,
    id: Uuid,
    student: Uuid,
) -> Result<Option<StudentApplication>, sqlx::Error> {
    sqlx::query_as(
        "select c.name as course_name, l.term, a.status, a.wizard_step
           from applications a
           join classes l on l.tenant_id = a.tenant_id and l.id = a.class_id
           join courses c on c.tenant_id = l.tenant_id and c.id = l.course_id
          where a.id = $1 and a.student_id = $2",
    )
    .bind(id)
    .bind(student)
    .fetch_optional(tx.conn())
    .await
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub to_status: String,
    pub actor_kind: String,
    pub reason: String,
}

/// The events of application `id`, newest first (no names: the student's page says "you" or "the office").
pub async fn events(tx: &mut TenantTx, id: Uuid) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "select at, to_status, actor_kind, reason from application_events
          where application_id = $1 order by at desc, id desc",
    )
    .bind(id)
    .fetch_all(tx.conn())
    .await
}

/// Whom an e-mail about application `id` goes to, and what it is about.
#[derive(sqlx::FromRow)]
pub struct MailFacts {
    pub email: String,
    pub student_name: String,
    pub active: bool,
    pub course_name: String,
    pub term: String,
    pub tenant_slug: String,
    pub tenant_name: String,
    /// The financial guardian, when someone other than the student pays (with the e-mail given in the wizard).
    pub guardian_is_student: bool,
    pub guardian_name: Option<String>,
    pub guardian_email: Option<String>,
}

impl MailFacts {
    /// The payer's name and e-mail, when the payer is not the student and gave an address of their own.
    pub fn paying_guardian(&self) -> Option<(&str, &str)> {
        let email = self.guardian_email.as_deref().map(str::trim).filter(|email| !email.is_empty())?;
        let other = !self.guardian_is_student && !email.eq_ignore_ascii_case(self.email.trim());
        other.then(|| (self.guardian_name.as_deref().unwrap_or_default(), email))
    }
}

pub async fn mail_facts(tx: &mut TenantTx, id: Uuid) -> Result<Option<MailFacts>, sqlx::Error> {
    sqlx::query_as(
        "select u.email, u.name as student_name, u.active, c.name as course_name, l.term,
                t.slug as tenant_slug, t.name as tenant_name, a.guardian_is_student, a.guardian_name, a.guardian_email
           from applications a
           join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
           join classes l on l.tenant_id = a.tenant_id and l.id = a.class_id
           join courses c on c.tenant_id = l.tenant_id and c.id = l.course_id
           join tenants t on t.id = a.tenant_id
          where a.id = $1",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await
}

/// Where the payer can pay application `id`'s open charge without signing in (Asaas' invoice page, else the boleto).
pub async fn open_charge_link(tx: &mut TenantTx, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    let link: Option<Option<String>> = sqlx::query_scalar(
        "select coalesce(invoice_url, boleto_url) from enrollment_charges
          where application_id = $1 and closed_at is null order by created_at desc limit 1",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    Ok(link.flatten())
}
