//! Demo data after enrollment's own (`enrollment::demo`): the enrollment charges of the demo's applicants as the
//! payment provider would have reported them (through `platform::payments::apply_event`, the one door), a
//! chargeback flag for staff, and a password for one enrolled applicant so the comprovante can be opened (and for
//! two who still have to pay, so the payment page can be).

use chrono::Utc;
use uuid::Uuid;

use crate::platform::payments::{ChargeSnapshot, EventSource, PaymentEvent, apply_event};
use crate::platform::tenancy::TenantTx;

/// The enrolled applicant who signs in with the demo password (to show the comprovante de matrícula).
pub const ENROLLED_STUDENT: &str = "Helena Duarte";
/// Applicants who sign in with the demo password to pay: one approved (Fernanda Lopes, `candidato4@…`, a class
/// with installments) and one awaiting payment (Gustavo Pires, `candidato5@…`), so the payment page can be tried.
pub const PAYING_STUDENTS: [&str; 2] = ["Fernanda Lopes", "Gustavo Pires"];

/// Seeds after `enrollment::demo::seed`, in the same tenant; nothing when that seeded no applications.
pub async fn seed(tx: &mut TenantTx) -> Result<(), sqlx::Error> {
    // (application, student e-mail, status, enrollment fee): the enrolled ones paid, those awaiting payment owe.
    let charged: Vec<(Uuid, String, String, i64)> = sqlx::query_as(
        "select a.id, u.email, a.status, cl.enrollment_fee_cents
           from applications a
           join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
           join classes cl on cl.tenant_id = a.tenant_id and cl.id = a.class_id
          where a.status in ('enrolled', 'awaiting_payment')
          order by a.created_at, a.id",
    )
    .fetch_all(tx.conn())
    .await?;
    let last_enrolled = charged.iter().rposition(|(_, _, status, _)| status == "enrolled");
    for (index, (application, _, status, fee)) in charged.iter().enumerate() {
        // The last enrolled one's payer disputed the charge at the bank: a chargeback for staff to resolve.
        let disputed = Some(index) == last_enrolled && index > 0;
        let provider_status = match (status.as_str(), disputed) {
            ("enrolled", true) => "CHARGEBACK_REQUESTED",
            ("enrolled", false) => "RECEIVED",
            _ => "PENDING",
        };
        let charge_id = format!("pay_demo_{}", application.simple());
        let event = PaymentEvent {
            provider_event_id: format!("demo:{charge_id}"),
            source: EventSource::Webhook,
            occurred_at: Utc::now(),
            charge: ChargeSnapshot {
                charge_id,
                status: provider_status.to_string(),
                value_cents: Some(*fee),
                net_value_cents: None,
                billing_type: Some("PIX".to_string()),
                due_date: Some(Utc::now().date_naive()),
                external_reference: Some(format!("enrollment:demo-{application}")),
            },
        };
        apply_event(tx, &event).await?;
        if disputed {
            sqlx::query("update applications set payment_flag = 'chargeback', payment_flag_at = now() where id = $1")
                .bind(application)
                .execute(tx.conn())
                .await?;
        }
    }
    sqlx::query(
        "update users set password_hash = (select password_hash from users where role = 'student' and password_hash
                                            is not null order by created_at limit 1)
          where name = any($1) and role = 'student'",
    )
    .bind(vec![ENROLLED_STUDENT, PAYING_STUDENTS[0], PAYING_STUDENTS[1]])
    .execute(tx.conn())
    .await?;
    Ok(())
}
