//! Enrollment documents over HTTP: a student uploads the documents their course asks for (type decided by the
//! bytes, a larger body cap on this route only), and a document is served only to its student and the tenant's
//! staff, every staff view audited.

use app::{
    enrollment::{
        applications::{self, Actor},
        types::ApplicationStatus::Submitted,
    },
    platform::{AppError, tenancy::TenantTx},
};
use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};
use uuid::Uuid;

use crate::browser::{Browser, DEMO_PASSWORD};

/// The smallest bytes each type is recognised by (magic numbers), padded to `size`.
pub fn png(size: usize) -> Vec<u8> {
    padded(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R'], size)
}

pub fn pdf(size: usize) -> Vec<u8> {
    padded(b"%PDF-1.4\n", size)
}

fn padded(magic: &[u8], size: usize) -> Vec<u8> {
    let mut bytes = magic.to_vec();
    bytes.resize(size.max(magic.len()), 0);
    bytes
}

pub async fn signed_in(server: &TestServer, tenant: &str, email: &str) -> Browser {
    let mut browser = Browser::new(server);
    let (status, body) = browser.sign_in(tenant, email, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    browser
}

fn cookie(browser: &Browser) -> String {
    format!("atrium_session={}", browser.session.as_deref().unwrap_or_default())
}

/// The upload form's multipart body for one document (`kind`, `file` named `name`): its content type and bytes.
pub fn upload_body(kind: Uuid, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "atrium-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// POSTs one document as the browser's person; answers the status and the body (JSON, or the text of a 413).
pub async fn upload(
    browser: &Browser,
    tenant: &str,
    application: Uuid,
    kind: Uuid,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, String) {
    let (content_type, body) = upload_body(kind, name, bytes);
    let response = reqwest::Client::new()
        .post(format!("{}/{tenant}/portal/inscricao/{application}/documentos/enviar", browser.base))
        .header("origin", &browser.origin)
        .header("cookie", cookie(browser))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

pub async fn fetch(browser: &Browser, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", browser.base))
        .header("cookie", cookie(browser))
        .send()
        .await
        .unwrap()
}

/// The famath demo: its id, João's id, and a fresh draft of João's in Administração (which asks for RG, CPF,
/// comprovante de residência and histórico escolar) with those kinds' ids by name.
pub struct Draft {
    pub tenant: Uuid,
    pub application: Uuid,
    pub kinds: std::collections::HashMap<String, Uuid>,
}

pub async fn draft_of_joao(server: &TestServer) -> Draft {
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&server.pool).await.unwrap();
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    let joao: Uuid = sqlx::query_scalar("select id from users where email = 'joao@famath.example'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    let class: Uuid = sqlx::query_scalar(
        "select c.id from classes c join courses k on k.id = c.course_id where k.name = 'Administração' limit 1",
    )
    .fetch_one(tx.conn())
    .await
    .unwrap();
    let application = applications::create_draft(&mut tx, joao, class).await.unwrap();
    let kinds: Vec<(String, Uuid)> =
        sqlx::query_as("select name, id from enrollment_document_kinds").fetch_all(tx.conn()).await.unwrap();
    tx.commit().await.unwrap();
    Draft { tenant, application, kinds: kinds.into_iter().collect() }
}

async fn count(server: &TestServer, tenant: Uuid, sql: &str) -> i64 {
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(tx.conn()).await.unwrap()
}

#[tokio::test]
async fn a_student_uploads_documents_checked_by_content_within_the_route_cap() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let draft = draft_of_joao(&server).await;
    let joao = signed_in(&server, "famath", "joao@famath.example").await;
    let (rg, cpf, photo) = (draft.kinds["RG"], draft.kinds["CPF"], draft.kinds["Foto 3x4"]);
    let documents = "select count(*) from application_documents";
    let before = count(&server, draft.tenant, documents).await;

    let (status, body) = upload(&joao, "famath", draft.application, rg, "rg.png", &png(2048)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // A Windows program named .pdf: refused by its content, with a message the student understands.
    let exe = padded(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", 4096);
    let (status, body) = upload(&joao, "famath", draft.application, cpf, "cpf.pdf", &exe).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("não é um PDF, JPEG ou PNG"), "{body}");

    // Larger than the app's general 2 MiB body limit, within this route's own: accepted.
    let (status, body) = upload(&joao, "famath", draft.application, cpf, "cpf.pdf", &pdf(3 * 1024 * 1024)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Over the route's cap: 413 with a message, nothing kept.
    let (status, body) = upload(&joao, "famath", draft.application, cpf, "big.pdf", &pdf(11 * 1024 * 1024)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("grande demais"), "{body}");
    // The general limit is unchanged elsewhere.
    let elsewhere = reqwest::Client::new()
        .post(format!("{}/api/auth/sign_in", server.url))
        .header("origin", &server.url)
        .body(vec![b'a'; 3 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // A kind Administração does not ask for.
    let (status, body) = upload(&joao, "famath", draft.application, photo, "foto.png", &png(512)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // A second RG is a new row; the first stays as history.
    let (status, body) = upload(&joao, "famath", draft.application, rg, "rg-nitido.png", &png(4096)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(count(&server, draft.tenant, documents).await, before + 3, "two RGs and one CPF");

    // Someone else's application, and an application no longer editable, take nothing.
    let submitted: Uuid = {
        let mut tx = TenantTx::begin(&server.pool, draft.tenant).await.unwrap();
        sqlx::query_scalar(
            "select a.id from applications a join users u on u.id = a.student_id
              where u.email = 'joao@famath.example' and a.status = 'submitted'",
        )
        .fetch_one(tx.conn())
        .await
        .unwrap()
    };
    let (status, body) = upload(&joao, "famath", submitted, rg, "rg.png", &png(512)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // The student's checklist: through its server function and on the page.
    let mut joao = joao;
    let application = draft.application.to_string();
    let (status, checklist) = joao.call("enrollment/documents/mine", &[("application_id", application.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{checklist}");
    let statuses: Vec<&str> =
        checklist["items"].as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["pending", "missing", "missing", "pending"], "CPF, comprovante, histórico, RG: {checklist}");
    let page = fetch(&joao, &format!("/famath/portal/inscricao/{application}/documentos")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Documentos da inscrição") && html.contains("Comprovante de residência"), "{html}");
    assert!(html.contains("rg-nitido.png") && html.contains("Faltando"), "the newest RG, and what is missing");

    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (status, _) = upload(&staff, "famath", draft.application, rg, "rg.png", &png(512)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "staff do not upload as the student");
    assert_eq!(count(&server, draft.tenant, documents).await, before + 3);
}

#[tokio::test]
async fn a_document_is_served_only_to_its_student_and_staff_and_staff_views_are_audited() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let draft = draft_of_joao(&server).await;
    let joao = signed_in(&server, "famath", "joao@famath.example").await;
    let (status, body) = upload(&joao, "famath", draft.application, draft.kinds["RG"], "rg.png", &png(2048)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id: serde_json::Value = serde_json::from_str(&body).unwrap();
    let path = format!("/famath/portal/inscricao/{}/documentos/{}", draft.application, id["id"].as_str().unwrap());
    let views = "select count(*) from audit_log where action = 'enrollment.document.viewed'";

    let response = fetch(&joao, &path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["content-disposition"], "inline");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-security-policy"].to_str().unwrap().starts_with("sandbox;"), "{headers:?}");
    assert_eq!(response.bytes().await.unwrap().as_ref(), png(2048).as_slice());
    assert_eq!(count(&server, draft.tenant, views).await, 0, "the student's own view is not audited");

    // Another student of the tenant: give a demo applicant João's password to sign them in.
    {
        let mut tx = TenantTx::begin(&server.pool, draft.tenant).await.unwrap();
        sqlx::query(
            "update users set password_hash = (select password_hash from users where email = 'joao@famath.example')
              where email = 'candidato0@famath.example'",
        )
        .execute(tx.conn())
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let mut other = signed_in(&server, "famath", "candidato0@famath.example").await;
    assert_eq!(fetch(&other, &path).await.status(), StatusCode::NOT_FOUND);
    let application = draft.application.to_string();
    let (status, _) = other.call("enrollment/documents/mine", &[("application_id", application.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nor its checklist");
    let consultant = signed_in(&server, "famath", "consultora@famath.example").await;
    assert_eq!(fetch(&consultant, &path).await.status(), StatusCode::NOT_FOUND);
    // Another tenant's student and staff, even naming famath in the path.
    for email in ["larissa@credvale.example", "financeiro@credvale.example"] {
        let stranger = signed_in(&server, "credvale", email).await;
        assert_eq!(fetch(&stranger, &path).await.status(), StatusCode::NOT_FOUND, "{email}");
        let theirs = path.replacen("/famath/", "/credvale/", 1);
        assert_eq!(fetch(&stranger, &theirs).await.status(), StatusCode::NOT_FOUND, "{email}");
    }
    let nobody = Browser::new(&server);
    assert_eq!(fetch(&nobody, &path).await.status(), StatusCode::NOT_FOUND);

    let staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let response = fetch(&staff, &path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-frame-options"], "SAMEORIGIN", "staff view it framed in the review page");
    assert_eq!(count(&server, draft.tenant, views).await, 1, "every staff view is audited");
    let owner = signed_in(&server, "famath", "dona@famath.example").await;
    assert_eq!(fetch(&owner, &path).await.status(), StatusCode::OK);
    assert_eq!(count(&server, draft.tenant, views).await, 2);
}

#[tokio::test]
async fn submitting_needs_every_required_document_sent_and_none_rejected() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let draft = draft_of_joao(&server).await;
    let joao = signed_in(&server, "famath", "joao@famath.example").await;
    let submit = || async {
        let mut tx = TenantTx::begin(&server.pool, draft.tenant).await.unwrap();
        let student: Uuid = sqlx::query_scalar("select student_id from applications where id = $1")
            .bind(draft.application)
            .fetch_one(tx.conn())
            .await
            .unwrap();
        let moved =
            applications::transition(&mut tx, draft.application, Submitted, Actor::Student(student), None).await;
        tx.commit().await.unwrap();
        moved
    };
    let incomplete = |result: Result<_, AppError>| matches!(result, Err(AppError::Conflict { message }) if message.contains("Envie todos os documentos"));
    assert!(incomplete(submit().await), "nothing sent yet");

    let required = ["RG", "CPF", "Comprovante de residência", "Histórico escolar"];
    for (n, kind) in required.iter().enumerate() {
        if n == required.len() - 1 {
            assert!(incomplete(submit().await), "one still missing");
        }
        let (status, body) =
            upload(&joao, "famath", draft.application, draft.kinds[*kind], "doc.pdf", &pdf(900 + n)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    // Staff refused the RG (review comes later in the flow; the row is what the rule reads).
    {
        let mut tx = TenantTx::begin(&server.pool, draft.tenant).await.unwrap();
        sqlx::query(
            "update application_documents set status = 'rejected', reason_code = 'ilegivel', reviewed_at = now()
              where application_id = $1 and document_kind_id = $2",
        )
        .bind(draft.application)
        .bind(draft.kinds["RG"])
        .execute(tx.conn())
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    assert!(incomplete(submit().await), "a rejected document must be sent again");
    let (status, body) = upload(&joao, "famath", draft.application, draft.kinds["RG"], "rg.png", &png(700)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let moved = submit().await.unwrap();
    assert_eq!(moved.to, Submitted);
}
