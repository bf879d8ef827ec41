//! The student's payment page through its server functions, as the browser calls them: what it shows before a
//! charge (the class's fee, the payer with a masked CPF, the installments allowed), the same charge again after a
//! reload (with its installment plan, no second charge), the financial guardian as payer, someone else's
//! application not found, and the gateway down in words the student can act on.

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{
    database::seed, integrations::asaas::FakeMode, integrations::demo::connect_demo_tenants_to_fakes,
    test_support::TestServer,
};

use crate::browser::{Browser, DEMO_PASSWORD};
use crate::enrollment_status::{applicant, signed_in_as};

async fn page(student: &mut Browser, id: &str) -> (StatusCode, Value) {
    student.call("enrollment/payment/page", &[("id", id)]).await
}

/// The charges the fake Asaas holds for famath, as staff's test-payments page lists them.
async fn charges_at_asaas(server: &TestServer) -> usize {
    let mut staff = Browser::new(server);
    staff.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let (status, listed) = staff.call("payments/test/list", &[]).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    listed["charges"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn the_page_shows_fee_and_masked_payer_then_the_same_charge_with_its_plan_after_a_reload() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    connect_demo_tenants_to_fakes(&server.pool, &server.url, &server.integrations).await;
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let (fernanda_application, ..) = applicant(&server, "Fernanda Lopes").await;
    let cpf: String = sqlx::query_scalar(
        "select p.cpf from student_profiles p join users u on u.id = p.user_id where u.name = 'Fernanda Lopes'",
    )
    .fetch_one(&admin)
    .await
    .unwrap();
    let mut fernanda = signed_in_as(&server, &admin, "Fernanda Lopes").await;
    let id = fernanda_application.to_string();

    let (status, before) = page(&mut fernanda, &id).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["status"], "approved");
    assert_eq!((before["fee_cents"].as_i64(), before["max_installments"].as_u64()), (Some(20_000), Some(3)));
    assert_eq!(before["payer_name"], "Fernanda Lopes", "she is her own financial guardian");
    assert_eq!(before["payer_cpf"], format!("***.{}.{}-**", &cpf[3..6], &cpf[6..9]), "the CPF leaves masked");
    assert!(!before.to_string().contains(&cpf), "the whole CPF is not on the wire: {before}");
    assert!(before["charge"].is_null(), "no charge until she chooses: {before}");

    // Boleto in three: the answer carries the plan as Asaas splits it (odd cents first, monthly).
    let (status, charge) =
        fernanda.call("enrollment/payment/charge", &[("id", &id), ("by", "BOLETO"), ("installments", "3")]).await;
    assert_eq!(status, StatusCode::OK, "{charge}");
    let values: Vec<i64> =
        charge["plan"].as_array().unwrap().iter().filter_map(|i| i["value_cents"].as_i64()).collect();
    assert_eq!(values, [6_668, 6_666, 6_666], "{charge}");
    let first_due = chrono::NaiveDate::parse_from_str(charge["due_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!(charge["plan"][0]["due_date"], json!(first_due.to_string()));
    assert_eq!(
        charge["plan"][2]["due_date"],
        json!(first_due.checked_add_months(chrono::Months::new(2)).unwrap().to_string())
    );
    assert!(charge["boleto_line"].is_string() && charge["boleto_url"].is_string(), "{charge}");
    let made = charges_at_asaas(&server).await;
    assert_eq!(made, 3, "one charge in three installments at Asaas");

    // A reload shows the charge made, not a new button; nothing more is made at Asaas.
    let (status, after) = page(&mut fernanda, &id).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["charge"], charge, "the page shows the charge as it was made");
    assert_eq!(after["status"], "awaiting_payment");
    assert_eq!(charges_at_asaas(&server).await, made);

    // The wizard named a financial guardian: the page says who pays, with their CPF masked.
    sqlx::query(
        "update applications set guardian_is_student = false, guardian_name = 'Marta Lopes',
                                 guardian_cpf = '11144477735' where id = $1",
    )
    .bind(fernanda_application)
    .execute(&admin)
    .await
    .unwrap();
    let (_, guarded) = page(&mut fernanda, &id).await;
    assert_eq!(
        (guarded["payer_name"].as_str(), guarded["payer_cpf"].as_str()),
        (Some("Marta Lopes"), Some("***.444.777-**"))
    );

    // Someone else's application does not exist for her (nor its charge).
    let (gustavo_application, ..) = applicant(&server, "Gustavo Pires").await;
    let gustavo_id = gustavo_application.to_string();
    assert_eq!(page(&mut fernanda, &gustavo_id).await.0, StatusCode::NOT_FOUND);
    let (status, _) =
        fernanda.call("enrollment/payment/charge", &[("id", &gustavo_id), ("by", "PIX"), ("installments", "1")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(charges_at_asaas(&server).await, made, "nothing charged for someone else's application");
}

#[tokio::test]
async fn with_the_gateway_down_the_student_is_told_to_try_again_and_nothing_is_shown_as_made() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    connect_demo_tenants_to_fakes(&server.pool, &server.url, &server.integrations).await;
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let (gustavo_application, ..) = applicant(&server, "Gustavo Pires").await;
    let mut gustavo = signed_in_as(&server, &admin, "Gustavo Pires").await;
    let id = gustavo_application.to_string();
    let fake = server.integrations.fake_asaas.clone().expect("tests run against the fake Asaas");

    fake.set_mode(FakeMode::ServerErrors);
    let (status, refused) =
        gustavo.call("enrollment/payment/charge", &[("id", &id), ("by", "PIX"), ("installments", "1")]).await;
    fake.set_mode(FakeMode::Healthy);
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(
        refused.to_string().contains("Não foi possível gerar a cobrança agora. Tente de novo em instantes."),
        "{refused}"
    );
    let (status, after) = page(&mut gustavo, &id).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert!(after["charge"].is_null(), "the page offers the button again: {after}");
    assert_eq!(after["status"], "awaiting_payment");
}
