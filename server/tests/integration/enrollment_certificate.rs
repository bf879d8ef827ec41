//! The comprovante de matrícula: the enrolled student's own (its code issued once, stable on reopening), staff's
//! reissue (audited; the old code then reads "substituído"), and the public check by code: what a verifier sees,
//! a cancelled enrollment, unknown and other tenants' codes not found, the page without JavaScript, the rate limit.

use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};

use crate::browser::Browser;
use crate::enrollment_documents::{fetch, signed_in};
use crate::enrollment_status::{applicant, signed_in_as};

async fn verify(visitor: &mut Browser, tenant: &str, code: &str) -> (StatusCode, serde_json::Value) {
    visitor.call("enrollment/certificate/verify", &[("tenant", tenant), ("code", code)]).await
}

async fn page(server: &TestServer, path: &str) -> String {
    let response = fetch(&Browser::new(server), path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn an_enrolled_students_comprovante_is_checked_publicly_reissued_and_cancelled() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let (helena_application, ..) = applicant(&server, "Helena Duarte").await;
    let (eduardo_application, ..) = applicant(&server, "Eduardo Matos").await;
    let mut helena = signed_in_as(&server, &admin, "Helena Duarte").await;
    let id = helena_application.to_string();

    let (status, certificate) = helena.call("enrollment/certificate/mine", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{certificate}");
    assert_eq!(certificate["institution"], "Faculdade Famath");
    assert_eq!(certificate["student"], "Helena Duarte");
    let code = certificate["code"].as_str().unwrap().to_string();
    assert!(code.len() == 11 && code.as_bytes()[5] == b'-', "grouped Crockford code: {code}");
    let (_, again) = helena.call("enrollment/certificate/mine", &[("id", id.as_str())]).await;
    assert_eq!(again["code"], code.as_str(), "reopening shows the same code");
    // Someone else's application is not found; one not enrolled has no comprovante yet.
    let eduardo_id = eduardo_application.to_string();
    let (status, _) = helena.call("enrollment/certificate/mine", &[("id", eduardo_id.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut eduardo = signed_in_as(&server, &admin, "Eduardo Matos").await;
    let (status, body) = eduardo.call("enrollment/certificate/mine", &[("id", eduardo_id.as_str())]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // A verifier types it sloppily: found, valid, and nothing private.
    let mut visitor = Browser::new(&server);
    let (status, found) = verify(&mut visitor, "famath", &format!(" {} ", code.to_lowercase().replace('-', " "))).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!((found["status"].as_str(), found["student"].as_str()), (Some("valid"), Some("Helena Duarte")));
    assert_eq!(found.as_object().unwrap().len(), 5, "status, student, course, term, date only: {found}");
    // The page, on the server (no JavaScript): by path and by the form's GET.
    for path in [format!("/famath/verificar/{code}"), format!("/famath/verificar?codigo={code}")] {
        let html = page(&server, &path).await;
        assert!(html.contains("Válido") && html.contains("Helena Duarte"), "{path}");
    }
    let (status, _) = verify(&mut visitor, "famath", "ABCDE-FGHJK").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown code");
    let (status, _) = verify(&mut visitor, "famath", "não é código").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a malformed code");
    assert!(page(&server, "/famath/verificar/ABCDE-FGHJK").await.contains("Código não encontrado"));

    // Another tenant does not know famath's code: the look-up runs in the tenant of the address.
    let credvale: uuid::Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'credvale'").fetch_one(&server.pool).await.unwrap();
    let mut tx = app::platform::tenancy::TenantTx::begin(&server.pool, credvale).await.unwrap();
    let elsewhere = app::enrollment::certificate::service::verify(&mut tx, &code).await;
    assert!(matches!(elsewhere, Err(app::platform::AppError::NotFound)), "{elsewhere:?}");
    drop(tx);
    assert_eq!(verify(&mut visitor, "credvale", &code).await.0, StatusCode::NOT_FOUND);

    // Staff reissue: audited; the printed code reads "substituído", the new one is valid.
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (status, body) = staff.call("enrollment/certificate/reissue", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = helena.call("enrollment/certificate/reissue", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "students do not reissue");
    let (_, renewed) = helena.call("enrollment/certificate/mine", &[("id", id.as_str())]).await;
    let new_code = renewed["code"].as_str().unwrap().to_string();
    assert_ne!(new_code, code);
    assert_eq!(verify(&mut visitor, "famath", &code).await.1["status"], "replaced");
    assert_eq!(verify(&mut visitor, "famath", &new_code).await.1["status"], "valid");
    assert!(page(&server, &format!("/famath/verificar/{code}")).await.contains("Substituído"));
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'enrollment.certificate_reissued'
            and details->>'application_id' = $1 and details->>'replaced' = $2",
    )
    .bind(&id)
    .bind(code.replace('-', ""))
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // The enrollment ends (a refund, in part 2's payment work; here by hand, past the state machine's triggers).
    let mut raw = admin.acquire().await.unwrap();
    sqlx::query("set session_replication_role = replica").execute(&mut *raw).await.unwrap();
    sqlx::query("update applications set status = 'cancelled' where id = $1")
        .bind(helena_application)
        .execute(&mut *raw)
        .await
        .unwrap();
    sqlx::query("set session_replication_role = origin").execute(&mut *raw).await.unwrap();
    drop(raw);
    for printed in [&code, &new_code] {
        assert_eq!(verify(&mut visitor, "famath", printed).await.1["status"], "cancelled");
    }
    assert!(page(&server, &format!("/famath/verificar/{new_code}")).await.contains("Matrícula cancelada"));
}

#[tokio::test]
async fn the_public_check_is_limited_per_address() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut visitor = Browser::new(&server);
    for attempt in 0..app::platform::auth::CERTIFICATE_CHECKS_PER_IP_PER_HOUR {
        let (status, body) = verify(&mut visitor, "famath", "ABCDE-FGHJK").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{attempt}: {body}");
    }
    let (status, body) = verify(&mut visitor, "famath", "ABCDE-FGHJK").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let html = fetch(&visitor, "/famath/verificar/ABCDE-FGHJK").await.text().await.unwrap();
    assert!(html.contains("Muitas consultas"), "the page says so too");
}
