//! The enrollment dashboard's figures: the funnel per course, seats left per class, the money of enrollment
//! charges (only `enrollment:` references; paid and pending by the provider's status names) and the payment flags,
//! measured on the demo and after moves and payments the test makes.

use app::{
    enrollment::{
        applications::{self, Actor},
        types::ApplicationStatus,
    },
    platform::payments::{ChargeSnapshot, EventSource, PaymentEvent, apply_event},
};
use reqwest::StatusCode;
use serde_json::Value;
use server::{database::seed, test_support::TestServer};
use uuid::Uuid;

use crate::browser::Browser;
use crate::enrollment_documents::signed_in;
use crate::enrollment_status::applicant;

async fn dashboard(staff: &mut Browser) -> Value {
    let (status, body) = staff.call("enrollment/dashboard", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn stages(dashboard: &Value, course: &str) -> Vec<i64> {
    let row = dashboard["funnel"].as_array().unwrap().iter().find(|row| row["course"] == course).unwrap();
    row["stages"].as_array().unwrap().iter().map(|n| n.as_i64().unwrap()).collect()
}

fn money(dashboard: &Value) -> (i64, i64) {
    (dashboard["received_cents"].as_i64().unwrap(), dashboard["pending_cents"].as_i64().unwrap())
}

async fn famath(server: &TestServer) -> app::platform::tenancy::TenantTx {
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&server.pool).await.unwrap();
    app::platform::tenancy::TenantTx::begin(&server.pool, tenant).await.unwrap()
}

async fn scalar(server: &TestServer, sql: &str) -> i64 {
    let mut tx = famath(server).await;
    sqlx::query_scalar(sql).fetch_one(tx.conn()).await.unwrap()
}

fn charge(id: &str, status: &str, cents: i64, reference: &str) -> PaymentEvent {
    PaymentEvent {
        provider_event_id: format!("evt_{id}"),
        source: EventSource::Webhook,
        occurred_at: chrono::Utc::now(),
        charge: ChargeSnapshot {
            charge_id: id.to_string(),
            status: status.to_string(),
            value_cents: Some(cents),
            net_value_cents: None,
            billing_type: Some("PIX".into()),
            due_date: None,
            external_reference: Some(reference.to_string()),
        },
    }
}

#[tokio::test]
async fn the_dashboard_counts_the_funnel_seats_money_and_flags() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let before = dashboard(&mut staff).await;

    // The demo: Pedagogia's one applicant went all the way; Direito's six stop at every stage; the last enrolled
    // applicant's charge is disputed (a chargeback flag), the others paid, the one awaiting payment owes.
    assert_eq!(stages(&before, "Pedagogia"), [1, 1, 1, 1, 1]);
    assert_eq!(stages(&before, "Direito"), [6, 5, 2, 1, 1]);
    let flags = before["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!((flags[0]["student"].as_str(), flags[0]["flag"].as_str()), (Some("Mateus Rocha"), Some("chargeback")));
    let enrolled_fees = scalar(
        &server,
        "select coalesce(sum(c.enrollment_fee_cents), 0)::bigint from applications a join classes c on c.id = a.class_id
          where a.status = 'enrolled' and a.payment_flag is null",
    )
    .await;
    let owed_fees = scalar(
        &server,
        "select coalesce(sum(c.enrollment_fee_cents), 0)::bigint from applications a join classes c on c.id = a.class_id
          where a.status = 'awaiting_payment'",
    )
    .await;
    assert_eq!(money(&before), (enrolled_fees, owed_fees));
    // Seats left per class: the classes' capacity less their reserved seats, every class listed.
    let seats: Vec<(i32, i32)> = {
        let mut tx = famath(&server).await;
        sqlx::query_as("select capacity, seats_reserved from classes order by term desc")
            .fetch_all(tx.conn())
            .await
            .unwrap()
    };
    let listed = before["classes"].as_array().unwrap();
    assert_eq!(listed.len(), seats.len());
    let left = |classes: &[Value]| -> i64 {
        classes.iter().map(|c| c["capacity"].as_i64().unwrap() - c["reserved"].as_i64().unwrap()).sum()
    };
    assert_eq!(left(listed), seats.iter().map(|(capacity, reserved)| i64::from(capacity - reserved)).sum::<i64>());

    // Fernanda (Direito, approved) pays and is enrolled; her payment arrived without a seat in another story, so
    // staff see a flag; charges of every kind arrive, only enrollment's count, by status.
    let (fernanda, ..) = applicant(&server, "Fernanda Lopes").await;
    let mut tx = famath(&server).await;
    let secretary: Uuid = sqlx::query_scalar("select id from users where email = 'secretaria@famath.example'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    applications::transition(&mut tx, fernanda, ApplicationStatus::AwaitingPayment, Actor::Staff(secretary), None)
        .await
        .unwrap();
    sqlx::query("update applications set paid_at = now() where id = $1")
        .bind(fernanda)
        .execute(tx.conn())
        .await
        .unwrap();
    applications::transition(&mut tx, fernanda, ApplicationStatus::Enrolled, Actor::System, None).await.unwrap();
    sqlx::query("update applications set payment_flag = 'paid_without_seat', payment_flag_at = now() where id = $1")
        .bind(fernanda)
        .execute(tx.conn())
        .await
        .unwrap();
    for event in [
        charge("pay_t1", "RECEIVED", 10_000, "enrollment:t1"),
        charge("pay_t2", "CONFIRMED", 2_000, "enrollment:t2"),
        charge("pay_t3", "PENDING", 5_000, "enrollment:t3"),
        charge("pay_t4", "OVERDUE", 2_500, "enrollment:t4"),
        charge("pay_t5", "REFUNDED", 7_000, "enrollment:t5"),
        charge("pay_t6", "RECEIVED", 99_900, "finance:t6"),
        charge("pay_t7", "PENDING", 88_800, "enrollmentx:t7"),
    ] {
        apply_event(&mut tx, &event).await.unwrap();
    }
    tx.commit().await.unwrap();

    let after = dashboard(&mut staff).await;
    assert_eq!(stages(&after, "Direito"), [6, 5, 2, 2, 2], "paid and enrolled one more");
    assert_eq!(stages(&after, "Pedagogia"), [1, 1, 1, 1, 1]);
    let (received, pending) = money(&before);
    assert_eq!(money(&after), (received + 12_000, pending + 7_500), "refunds and other references left out");
    let flags = after["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 2);
    let fernanda_flag = flags.iter().find(|flag| flag["student"] == "Fernanda Lopes").unwrap();
    assert_eq!(fernanda_flag["flag"], "paid_without_seat");
    assert_eq!(fernanda_flag["application_id"], fernanda.to_string());

    // The page, rendered on the server: the figures in BRL and the flag linking to the application.
    let html = crate::enrollment_documents::fetch(&staff, "/famath/matriculas").await.text().await.unwrap();
    for expected in
        ["Funil por curso", "Vagas por turma", "Pago sem vaga", &format!("/famath/matriculas/inscricoes/{fernanda}")]
    {
        assert!(html.contains(expected), "{expected:?} on the page");
    }
    assert!(html.contains(&app::i18n::format_brl(received + 12_000)), "received in BRL");

    // Students and consultants do not see it.
    for email in ["joao@famath.example", "consultora@famath.example"] {
        let mut other = signed_in(&server, "famath", email).await;
        assert_eq!(other.call("enrollment/dashboard", &[]).await.0, StatusCode::FORBIDDEN, "{email}");
    }
}
