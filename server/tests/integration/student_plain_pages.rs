//! The student's application pages ship no wasm (status, documents, payment, certificate): plain HTML whose forms
//! the browser posts itself and whose few browser-side extras (print, copy, a file's check, the live reload) are one
//! small inline script. Tried here as a browser with scripts off: every form still does its job.

use reqwest::StatusCode;
use server::{database::seed, integrations::demo::connect_demo_tenants_to_fakes, test_support::TestServer};
use uuid::Uuid;

use crate::enrollment_documents::{draft_of_joao, pdf, signed_in, upload_body};
use crate::enrollment_status::{applicant, signed_in_as};
use crate::public_pages::{echo_cookie, location, plain_browser, plain_post};

/// The page at `path`, as a browser with scripts off asks for it, with `cookies`.
async fn page(server: &TestServer, path: &str, cookies: &str) -> (StatusCode, String) {
    let response = plain_browser().get(format!("{}{path}", server.url)).header("cookie", cookies).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// A plain form post of `form` to server function `endpoint`, sent from `page`.
async fn post(
    server: &TestServer,
    endpoint: &str,
    page: &str,
    cookies: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    plain_post(&plain_browser(), server, endpoint, page, cookies, form).await
}

/// One document posted by the page's own multipart form (no wasm: the browser asks for a page back).
async fn upload(
    server: &TestServer,
    page: &str,
    cookies: &str,
    kind: Uuid,
    name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let (content_type, body) = upload_body(kind, name, bytes);
    plain_browser()
        .post(format!("{}{page}/enviar", server.url))
        .header("origin", &server.url)
        .header("cookie", cookies)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn assert_plain(html: &str, path: &str) {
    assert!(html.contains("data-hydrated=\"none\""), "{path} ships no wasm");
    assert!(!html.contains("modulepreload"), "{path} preloads no bundle");
}

#[tokio::test]
async fn documents_go_up_by_a_plain_multipart_post_and_a_refusal_comes_back_on_its_row() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let draft = draft_of_joao(&server).await;
    let joao = signed_in(&server, "famath", "joao@famath.example").await;
    let cookies = format!("atrium_session={}", joao.session.as_deref().unwrap_or_default());
    let documents = format!("/famath/portal/inscricao/{}/documentos", draft.application);
    let rg = draft.kinds["RG"];

    let (status, html) = page(&server, &documents, &cookies).await;
    assert_eq!(status, StatusCode::OK);
    assert_plain(&html, &documents);
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("data-check-file"), "a plain form");
    assert!(html.contains("data-too-large-text=\"O arquivo passa de 10 MB."), "the script's messages, in pt-BR");

    // Not a document (text posing as a PDF): back to the page, the refusal on RG's row, once.
    let response = upload(&server, &documents, &cookies, rg, "rg.pdf", b"just some text").await;
    let row = format!("#documento-{rg}");
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, format!("{documents}{row}")));
    let (echo, attributes) = echo_cookie(&response).expect("the refusal is handed to the page");
    assert!(attributes.contains("HttpOnly"), "{attributes}");
    let (_, html) = page(&server, &documents, &format!("{cookies}; {echo}")).await;
    assert!(html.contains("<span>Este arquivo não é um PDF, JPEG ou PNG"), "the refusal is shown");
    let (_, html) = page(&server, &documents, &cookies).await;
    assert!(!html.contains("<span>Este arquivo não é um PDF, JPEG ou PNG"), "only once");

    // A real PDF: back to the page, which says that document went up.
    let response = upload(&server, &documents, &cookies, rg, "rg.pdf", &pdf(2048)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("{documents}?enviado={rg}{row}"), "back at RG's row");
    assert!(echo_cookie(&response).is_none(), "nothing to hand over");
    let (_, html) = page(&server, &format!("{documents}?enviado={rg}"), &cookies).await;
    assert!(html.contains(&format!("id=\"documento-{rg}\"")), "the row the address points at");
    assert!(html.contains("data-testid=\"document-sent\""), "the page says it went up");
    assert!(html.contains("data-status=\"pending\""), "RG now waits for review");

    // Sent by the wasm (fetch asks for no page): JSON, as before.
    let (status, body) =
        crate::enrollment_documents::upload(&joao, "famath", draft.application, rg, "rg.pdf", &pdf(2048)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_status_page_withdraws_by_a_plain_form_and_comes_back_to_say_so() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let draft = draft_of_joao(&server).await;
    let joao = signed_in(&server, "famath", "joao@famath.example").await;
    let cookies = format!("atrium_session={}", joao.session.as_deref().unwrap_or_default());
    let id = draft.application.to_string();
    let status_page = format!("/famath/portal/inscricao/{id}");

    let (status, html) = page(&server, &status_page, &cookies).await;
    assert_eq!(status, StatusCode::OK);
    assert_plain(&html, &status_page);
    assert!(html.contains("<details") && html.contains("data-testid=\"withdraw-open\""), "opens without wasm");

    let form = [("id", id.as_str()), ("reason", "Escolhi outro curso.")];
    let response = post(&server, "enrollment/status/withdraw", &status_page, &cookies, &form).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::FOUND, status_page.clone()));
    let (_, html) = page(&server, &status_page, &cookies).await;
    assert!(html.contains("data-status=\"withdrawn\"") && html.contains("Escolhi outro curso."), "withdrawn");
    assert!(!html.contains("data-testid=\"withdraw-open\""), "nothing left to withdraw");

    // Again (it has ended): back to the page with the error, and the disclosure opens to show it.
    let response = post(&server, "enrollment/status/withdraw", &status_page, &cookies, &form).await;
    let back = location(&response);
    assert!(back.contains(&format!("{status_page}?")) && back.contains("__err="), "{back}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_payment_page_makes_the_charge_by_a_plain_form_and_watches_it_with_its_small_script() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    connect_demo_tenants_to_fakes(&server.pool, &server.url, &server.integrations).await;
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let (application, ..) = applicant(&server, "Fernanda Lopes").await;
    let fernanda = signed_in_as(&server, &admin, "Fernanda Lopes").await;
    let cookies = format!("atrium_session={}", fernanda.session.as_deref().unwrap_or_default());
    let id = application.to_string();
    let payment = format!("/famath/portal/inscricao/{id}/pagamento");

    let (status, html) = page(&server, &payment, &cookies).await;
    assert_eq!(status, StatusCode::OK);
    assert_plain(&html, &payment);
    assert!(html.contains("data-testid=\"pay-by-pix\" checked"), "PIX is chosen to start");
    assert!(!html.contains("data-live-topic=\""), "nothing to watch before a charge");

    let form = [("id", id.as_str()), ("by", "PIX"), ("installments", "1")];
    let response = post(&server, "enrollment/payment/charge", &payment, &cookies, &form).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::FOUND, payment.clone()));
    let (_, html) = page(&server, &payment, &cookies).await;
    assert!(html.contains("data-testid=\"pix-code\""), "the PIX to pay");
    assert!(html.contains("data-copy=\"pix-code-text\"") && html.contains("data-copied=\"Copiado\""), "copy");
    assert!(html.contains(&format!("data-live-topic=\"application:{id}\"")), "the page follows its application");
    assert!(html.contains("new WebSocket("), "through the page's small script");
    assert!(!html.contains("data-testid=\"payment-make\""), "no second button");

    // The certificate is plain too: its print button is the script's.
    let certificate = format!("/famath/portal/inscricao/{id}/comprovante");
    let (_, html) = page(&server, &certificate, &cookies).await;
    assert_plain(&html, &certificate);
    server.stop().await.unwrap();
}
