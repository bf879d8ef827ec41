//! SQL of the enrollment charges (`enrollment_charges`, migration 20261201007001).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;

use crate::platform::tenancy::TenantTx;

/// An application about to be charged, with who pays. Read with the application's row locked.
#[derive(Debug, sqlx::FromRow)]
pub struct Payable {
    pub status: String,
    pub fee_cents: i64,
    pub max_installments: i32,
    pub course_name: String,
    pub term: String,
    pub guardian_is_student: bool,
    pub guardian_name: Option<String>,
    pub guardian_cpf: Option<String>,
    pub guardian_email: Option<String>,
    pub guardian_phone: Option<String>,
    pub student_name: String,
    pub student_email: String,
    pub student_cpf: Option<String>,
    pub student_phone: Option<String>,
}

/// Application `id` (of `student`, when given) with its class's fee and its payer, locked `for update`: requests
/// for one application queue here, so the second of a double click sees the intent the first committed.
pub async fn payable(tx: &mut TenantTx, id: Uuid, student: Option<Uuid>) -> Result<Option<Payable>, sqlx::Error> {
    sqlx::query_as(
        "select a.status, c.enrollment_fee_cents as fee_cents, c.max_installments, co.name as course_name, c.term,
                a.guardian_is_student, a.guardian_name, a.guardian_cpf, a.guardian_email, a.guardian_phone,
                u.name as student_name, u.email as student_email, p.cpf as student_cpf, p.phone as student_phone
           from applications a
           join classes c on c.tenant_id = a.tenant_id and c.id = a.class_id
           join courses co on co.tenant_id = c.tenant_id and co.id = c.course_id
           join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
           left join student_profiles p on p.tenant_id = a.tenant_id and p.user_id = a.student_id
          where a.id = $1 and ($2::uuid is null or a.student_id = $2)
            for update of a",
    )
    .bind(id)
    .bind(student)
    .fetch_optional(tx.conn())
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Intent {
    pub id: Uuid,
    pub billing_type: String,
    pub installments: i32,
    pub value_cents: i64,
    pub due_date: NaiveDate,
    pub provider_charge_id: Option<String>,
    pub invoice_url: Option<String>,
    pub pix_payload: Option<String>,
    pub pix_image: Option<String>,
    pub pix_expires_at: Option<NaiveDateTime>,
    pub boleto_url: Option<String>,
    pub boleto_line: Option<String>,
    /// The platform's `payments` status of the charge, once known.
    pub status: Option<String>,
}

const INTENT: &str = "select e.id, e.billing_type, e.installments, e.value_cents, e.due_date, e.provider_charge_id,
                             e.invoice_url, e.pix_payload, e.pix_image, e.pix_expires_at, e.boleto_url, e.boleto_line,
                             p.status
                        from enrollment_charges e
                        left join payments p on p.tenant_id = e.tenant_id and p.provider_charge_id = e.provider_charge_id";

/// The open intent of application `application_id`, if any.
pub async fn open_intent(tx: &mut TenantTx, application_id: Uuid) -> Result<Option<Intent>, sqlx::Error> {
    sqlx::query_as(&format!("{INTENT} where e.application_id = $1 and e.closed_at is null"))
        .bind(application_id)
        .fetch_optional(tx.conn())
        .await
}

pub async fn intent(tx: &mut TenantTx, id: Uuid) -> Result<Option<Intent>, sqlx::Error> {
    sqlx::query_as(&format!("{INTENT} where e.id = $1")).bind(id).fetch_optional(tx.conn()).await
}

pub struct NewIntent<'a> {
    pub application_id: Uuid,
    pub billing_type: &'a str,
    pub installments: i32,
    pub value_cents: i64,
    pub due_date: NaiveDate,
}

/// Inserts an intent unless the application has an open one (the unique key decides); either way answers the
/// open one.
pub async fn insert_intent(tx: &mut TenantTx, new: &NewIntent<'_>) -> Result<Intent, sqlx::Error> {
    sqlx::query(
        "insert into enrollment_charges (tenant_id, application_id, billing_type, installments, value_cents, due_date)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (tenant_id, application_id) where closed_at is null do nothing",
    )
    .bind(tx.tenant_id())
    .bind(new.application_id)
    .bind(new.billing_type)
    .bind(new.installments)
    .bind(new.value_cents)
    .bind(new.due_date)
    .execute(tx.conn())
    .await?;
    open_intent(tx, new.application_id).await?.ok_or(sqlx::Error::RowNotFound)
}

/// Takes the right to call Asaas for intent `id` for `seconds`, unless its charge is recorded or someone else holds
/// an unexpired claim. Answers the attempt number (1 for the first call ever made for this intent) and when the
/// claim started.
pub async fn claim(tx: &mut TenantTx, id: Uuid, seconds: i32) -> Result<Option<(i32, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as(
        "update enrollment_charges
            set attempts = attempts + 1, claimed_until = now() + make_interval(secs => $2), updated_at = now()
          where id = $1 and provider_charge_id is null and (claimed_until is null or claimed_until < now())
          returning attempts, now()",
    )
    .bind(id)
    .bind(f64::from(seconds))
    .fetch_optional(tx.conn())
    .await
}

/// Gives the claim up (the call failed): the next request may try again at once.
pub async fn release(tx: &mut TenantTx, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("update enrollment_charges set claimed_until = null, updated_at = now() where id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// What Asaas answered for an intent.
pub struct Recorded<'a> {
    pub charge_id: &'a str,
    pub invoice_url: Option<&'a str>,
    pub boleto_url: Option<&'a str>,
}

pub async fn record_charge(tx: &mut TenantTx, id: Uuid, charge: &Recorded<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update enrollment_charges
            set provider_charge_id = $2, invoice_url = $3, boleto_url = $4, charged_at = now(), claimed_until = null,
                updated_at = now()
          where id = $1 and provider_charge_id is null",
    )
    .bind(id)
    .bind(charge.charge_id)
    .bind(charge.invoice_url)
    .bind(charge.boleto_url)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// How the payer pays a recorded charge: the PIX QR code or the boleto's line (fetched after the charge).
#[derive(Debug, Default)]
pub struct HowToPay {
    pub pix_payload: Option<String>,
    pub pix_image: Option<String>,
    pub pix_expires_at: Option<NaiveDateTime>,
    pub boleto_line: Option<String>,
}

pub async fn record_how_to_pay(tx: &mut TenantTx, id: Uuid, how: &HowToPay) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update enrollment_charges
            set pix_payload = coalesce($2, pix_payload), pix_image = coalesce($3, pix_image),
                pix_expires_at = coalesce($4, pix_expires_at), boleto_line = coalesce($5, boleto_line),
                updated_at = now()
          where id = $1",
    )
    .bind(id)
    .bind(how.pix_payload.as_deref())
    .bind(how.pix_image.as_deref())
    .bind(how.pix_expires_at)
    .bind(how.boleto_line.as_deref())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// What the payment page shows of application `id` of `student`: course, status, fee, and who pays.
#[derive(Debug, sqlx::FromRow)]
pub struct Summary {
    pub course_name: String,
    pub term: String,
    pub status: String,
    pub fee_cents: i64,
    pub max_installments: i32,
    /// The financial guardian's name and CPF, or the student's when the guardian is the student.
    pub payer_name: String,
    pub payer_cpf: Option<String>,
}

pub async fn summary(tx: &mut TenantTx, id: Uuid, student: Uuid) -> Result<Option<Summary>, sqlx::Error> {
    sqlx::query_as(
        "select co.name as course_name, c.term, a.status, c.enrollment_fee_cents as fee_cents, c.max_installments,
                case when a.guardian_is_student then u.name else coalesce(a.guardian_name, u.name) end as payer_name,
                case when a.guardian_is_student then p.cpf else a.guardian_cpf end as payer_cpf
           from applications a
           join classes c on c.tenant_id = a.tenant_id and c.id = a.class_id
           join courses co on co.tenant_id = c.tenant_id and co.id = c.course_id
           join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
           left join student_profiles p on p.tenant_id = a.tenant_id and p.user_id = a.student_id
          where a.id = $1 and a.student_id = $2",
    )
    .bind(id)
    .bind(student)
    .fetch_optional(tx.conn())
    .await
}

/// The application an enrollment charge (any installment of it) pays: charges carry `enrollment:<intent id>`.
pub async fn application_of_charge(tx: &mut TenantTx, charge_id: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "select e.application_id from payments p
           join enrollment_charges e on e.tenant_id = p.tenant_id and p.external_reference = 'enrollment:' || e.id::text
          where p.provider_charge_id = $1",
    )
    .bind(charge_id)
    .fetch_optional(tx.conn())
    .await
}

/// Records that application `id` was paid (the first payment's time stays) and answers its status, locking it.
pub async fn mark_paid(tx: &mut TenantTx, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("update applications set paid_at = coalesce(paid_at, now()) where id = $1 returning status")
        .bind(id)
        .fetch_optional(tx.conn())
        .await
}

/// An application as a payment's reaction needs it: where it stands, and whom and what it is for (the
/// ledger's description and counterpart).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Paying {
    pub id: Uuid,
    pub status: String,
    pub student_name: String,
    pub course_name: String,
    pub term: String,
}

pub async fn paying(tx: &mut TenantTx, id: Uuid) -> Result<Option<Paying>, sqlx::Error> {
    sqlx::query_as(
        "select a.id, a.status, u.name as student_name, co.name as course_name, c.term
           from applications a
           join classes c on c.tenant_id = a.tenant_id and c.id = a.class_id
           join courses co on co.tenant_id = c.tenant_id and co.id = c.course_id
           join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
          where a.id = $1",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await
}

/// Sets application `id`'s flag for staff (`paid_without_seat`, `chargeback`), keeping the time of a flag it has.
pub async fn set_flag(tx: &mut TenantTx, id: Uuid, flag: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update applications
            set payment_flag = $2,
                payment_flag_at = case when payment_flag is not distinct from $2 then payment_flag_at else now() end
          where id = $1",
    )
    .bind(id)
    .bind(flag)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Clears application `id`'s flag if it is `flag` (the situation that raised it is over).
pub async fn clear_flag(tx: &mut TenantTx, id: Uuid, flag: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update applications set payment_flag = null, payment_flag_at = null where id = $1 and payment_flag = $2",
    )
    .bind(id)
    .bind(flag)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Ends application `id`'s open intent (its window expired, or its charge was refunded): a new charge may be made.
pub async fn close_intent(tx: &mut TenantTx, application_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update enrollment_charges set closed_at = now(), updated_at = now()
          where application_id = $1 and closed_at is null",
    )
    .bind(application_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// An open intent whose window may have ended: its application awaits payment and its first due date has come.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Waiting {
    pub application_id: Uuid,
    pub billing_type: String,
    pub due_date: NaiveDate,
    pub pix_expires_at: Option<NaiveDateTime>,
    pub provider_charge_id: String,
}

pub async fn waiting_since(tx: &mut TenantTx, due_by: NaiveDate) -> Result<Vec<Waiting>, sqlx::Error> {
    sqlx::query_as(
        "select e.application_id, e.billing_type, e.due_date, e.pix_expires_at, e.provider_charge_id
           from enrollment_charges e
           join applications a on a.tenant_id = e.tenant_id and a.id = e.application_id
          where e.closed_at is null and e.provider_charge_id is not null and e.due_date <= $1
            and a.status = 'awaiting_payment'
          order by e.due_date, e.id",
    )
    .bind(due_by)
    .fetch_all(tx.conn())
    .await
}

/// An intent that reached Asaas, for the staff's page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Charged {
    pub billing_type: String,
    pub value_cents: i64,
    pub due_date: NaiveDate,
    pub pix_expires_at: Option<NaiveDateTime>,
    pub provider_charge_id: String,
    pub open: bool,
}

/// The latest intent of application `id` that reached Asaas (the open one first).
pub async fn latest_charged(tx: &mut TenantTx, application_id: Uuid) -> Result<Option<Charged>, sqlx::Error> {
    sqlx::query_as(
        "select billing_type, value_cents, due_date, pix_expires_at, provider_charge_id, closed_at is null as open
           from enrollment_charges
          where application_id = $1 and provider_charge_id is not null
          order by (closed_at is null) desc, created_at desc
          limit 1",
    )
    .bind(application_id)
    .fetch_optional(tx.conn())
    .await
}

/// Application `id`'s flag for staff and since when.
pub async fn flag(
    tx: &mut TenantTx,
    application_id: Uuid,
) -> Result<Option<(Option<String>, Option<DateTime<Utc>>)>, sqlx::Error> {
    sqlx::query_as("select payment_flag, payment_flag_at from applications where id = $1")
        .bind(application_id)
        .fetch_optional(tx.conn())
        .await
}
