//! The landing page, a tenant's sign-in, the student portal's home and the enrollment overview ship no wasm: plain
//! HTML whose forms (the frame's language switch and sign-out included) work as forms.

use reqwest::{StatusCode, redirect::Policy};
use server::{database::seed, test_support::TestServer};

use crate::browser::DEMO_PASSWORD;

/// A browser with scripts off (it asks for pages as browsers do): follows nothing by itself, so each answer can be
/// looked at.
fn plain_browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept", "text/html,application/xhtml+xml".parse().unwrap());
    reqwest::Client::builder().redirect(Policy::none()).default_headers(headers).build().unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|value| value.to_str().unwrap().to_string()).unwrap_or_default()
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response.headers().get_all("set-cookie").iter().find_map(|cookie| {
        let value = cookie.to_str().ok()?.strip_prefix("atrium_session=")?.split(';').next()?.to_string();
        (!value.is_empty()).then_some(value)
    })
}

#[tokio::test]
async fn the_landing_page_and_the_sign_in_page_load_no_wasm_and_other_pages_do() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let http = plain_browser();
    for (path, ships_wasm) in [
        ("/", false),
        ("/famath/entrar", false),
        ("/famath/cursos", false),
        ("/famath/verificar", false),
        ("/famath/verificar/ABCDE-FGHJK", false),
        ("/cadastro", true),
        ("/famath/cadastro-aluno", true),
    ] {
        let html = http.get(format!("{}{path}", server.url)).send().await.unwrap().text().await.unwrap();
        assert_eq!(html.contains("modulepreload"), ships_wasm, "{path}");
        assert_eq!(html.contains("<script type=\"module\""), ships_wasm, "{path}");
        assert_eq!(html.contains("data-hydrated=\"none\""), !ships_wasm, "{path}");
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_landing_page_address_form_leads_to_the_sign_in_or_says_what_is_wrong() {
    let server = TestServer::start().await;
    let http = plain_browser();
    let response = http.get(format!("{}/?instituicao=famath", server.url)).send().await.unwrap();
    assert_eq!((response.status(), location(&response)), (StatusCode::FOUND, "/famath/entrar".to_string()));

    let response = http.get(format!("{}/?instituicao=N%C3%A3o+%C3%A9", server.url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"field-tenant-error\""), "the field's error is shown: {html}");
    assert!(html.contains("value=\"Não é\""), "what was typed stays in the field");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn signing_in_with_a_plain_form_post_redirects_to_the_page_asked_for_or_back_with_the_error() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let http = plain_browser();
    let post = |form: Vec<(&'static str, &'static str)>| {
        http.post(format!("{}/api/auth/sign_in", server.url))
            .header("origin", &server.url)
            .header("referer", format!("{}/famath/entrar?proximo=/famath/financeiro", server.url))
            .form(&form)
            .send()
    };
    let person = [("tenant", "famath"), ("email", "dona@famath.example"), ("password", DEMO_PASSWORD)];

    // Back to the page that sent the person to sign in.
    let response = post([&person[..], &[("proximo", "/famath/financeiro")]].concat()).await.unwrap();
    assert_eq!((response.status(), location(&response)), (StatusCode::FOUND, "/famath/financeiro".to_string()));
    let session = session_cookie(&response).expect("a session cookie");
    let page = http
        .get(format!("{}/famath/financeiro", server.url))
        .header("cookie", format!("atrium_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK, "signed in");

    // Never to another tenant's page or another site: home instead.
    for next in ["/credvale/painel", "//evil.example/famath/", "https://evil.example/"] {
        let response = post([&person[..], &[("proximo", next)]].concat()).await.unwrap();
        assert_eq!(location(&response), "/famath/painel", "{next}");
    }
    let response = post(person.to_vec()).await.unwrap();
    assert_eq!(location(&response), "/famath/painel");

    // A refusal goes back to the sign-in page with the error for the page to show, and signs nobody in.
    let response =
        post(vec![("tenant", "famath"), ("email", "dona@famath.example"), ("password", "not-it")]).await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let back = location(&response);
    assert!(back.contains("/famath/entrar?proximo=/famath/financeiro&"), "{back}");
    assert!(back.contains("__err="), "{back}");
    assert!(session_cookie(&response).is_none());
    let html = http.get(back).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("E-mail ou senha incorretos."), "the page shows the error");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn signed_in_plain_pages_ship_no_wasm_and_the_frame_forms_work_as_forms() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let http = plain_browser();
    let response = http
        .post(format!("{}/api/auth/sign_in", server.url))
        .header("origin", &server.url)
        .header("referer", format!("{}/famath/entrar", server.url))
        .form(&[("tenant", "famath"), ("email", "dona@famath.example"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = format!("atrium_session={}", session_cookie(&response).expect("signed in"));
    for (path, ships_wasm) in [
        ("/famath/portal", false),
        ("/famath/matriculas", false),
        ("/famath/matriculas/inscricoes", false),
        ("/famath/financeiro", true),
    ] {
        let response = http.get(format!("{}{path}", server.url)).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert_eq!(html.contains("modulepreload"), ships_wasm, "{path}");
        assert!(html.contains("data-testid=\"sign-out\""), "{path} has the frame");
    }

    // The language switch: the cookie is set and the same page comes back.
    let response = http
        .post(format!("{}/api/i18n/locale", server.url))
        .header("origin", &server.url)
        .header("referer", format!("{}/famath/portal", server.url))
        .header("cookie", &cookie)
        .form(&[("locale", "En")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    // server_fn strips old error details from the page's address and leaves an empty query (`…/portal?`).
    assert_eq!(location(&response).trim_end_matches('?'), format!("{}/famath/portal", server.url));
    let set: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|value| value.to_str().unwrap().to_string()).collect();
    assert!(set.iter().any(|value| value.starts_with("atrium_lang=en;")), "{set:?}");

    // Signing out leads to the sign-in page and ends the session.
    let response = http
        .post(format!("{}/api/auth/sign_out", server.url))
        .header("origin", &server.url)
        .header("referer", format!("{}/famath/portal", server.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!((response.status(), location(&response)), (StatusCode::FOUND, "/famath/entrar".to_string()));
    let after = http.get(format!("{}/famath/portal", server.url)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(location(&after), "/famath/entrar?proximo=/famath/portal", "signed out");
    server.stop().await.unwrap();
}
