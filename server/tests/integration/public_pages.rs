//! The landing page, a tenant's sign-in, the student's sign-up and wizard, the student portal's home and the
//! enrollment overview ship no wasm: plain HTML whose forms (the frame's language switch and sign-out included) work
//! as forms.

use reqwest::{StatusCode, redirect::Policy};
use server::{database::seed, test_support::TestServer};

use crate::browser::DEMO_PASSWORD;

/// A browser with scripts off (it asks for pages as browsers do): follows nothing by itself, so each answer can be
/// looked at.
pub(crate) fn plain_browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept", "text/html,application/xhtml+xml".parse().unwrap());
    reqwest::Client::builder().redirect(Policy::none()).default_headers(headers).build().unwrap()
}

pub(crate) fn location(response: &reqwest::Response) -> String {
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
        ("/cadastro", false),
        ("/famath/cadastro-aluno", false),
        ("/famath/esqueci-senha", false),
        ("/famath/redefinir-senha?token=nao-vale", false),
        ("/famath/verificar-email?token=nao-vale", false),
        ("/famath/simular", false),
        ("/famath/simular/embed", true),
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

/// A plain form post from `page` (a browser with scripts off sends its address as the referer).
pub(crate) async fn plain_post(
    http: &reqwest::Client,
    server: &TestServer,
    endpoint: &str,
    page: &str,
    cookies: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    http.post(format!("{}/api/{endpoint}", server.url))
        .header("origin", &server.url)
        .header("referer", format!("{}{page}", server.url))
        .header("cookie", cookies)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The `atrium_echo` cookie an answer sets (`platform::form_echo`), as `name=value`, with its attributes apart.
pub(crate) fn echo_cookie(response: &reqwest::Response) -> Option<(String, String)> {
    response.headers().get_all("set-cookie").iter().find_map(|cookie| {
        let cookie = cookie.to_str().ok()?;
        let (pair, attributes) = cookie.split_once(';')?;
        pair.starts_with("atrium_echo=").then(|| (pair.to_string(), attributes.to_string()))
    })
}

/// Where a refused plain post of `page` goes: back to `page`, carrying server_fn's error.
fn back_with_error(response: &reqwest::Response, page: &str) -> String {
    let back = location(response);
    assert!(back.contains(&format!("{page}?")) && back.contains("__err="), "{back}");
    back
}

/// The value of the hidden input `name` in a page.
fn hidden_value(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no input {name}"));
    let rest = &html[at..];
    let value = &rest[rest.find("value=\"").expect("a value") + 7..];
    value[..value.find('"').unwrap()].to_string()
}

#[tokio::test]
async fn the_student_sign_up_and_the_wizard_steps_work_as_plain_forms_and_a_refusal_keeps_what_was_typed() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let class = crate::enrollment_portal::enfermagem_class(&admin).await;
    let http = plain_browser();
    let sign_up_page = format!("/famath/cadastro-aluno?turma={class}");
    let sign_up = |cpf: &'static str| {
        vec![
            ("tenant", "famath"),
            ("form[class_id]", class.as_str()),
            ("form[name]", "Ana Beatriz Lima"),
            ("form[cpf]", cpf),
            ("form[email]", "ana.plain@exemplo.com"),
            ("form[phone]", "(83) 99999-1234"),
            ("form[password]", "uma senha bem longa"),
        ]
    };

    // A refused sign-up: back to the page with the error; what was typed comes back once, the password never.
    let response = plain_post(&http, &server, "enrollment/students/sign_up", &sign_up_page, "", &sign_up("123")).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let back = location(&response);
    assert!(back.contains(&sign_up_page) && back.contains("__err="), "{back}");
    assert!(session_cookie(&response).is_none(), "nobody is signed in");
    let (echo, attributes) = echo_cookie(&response).expect("what was typed is kept");
    assert!(attributes.contains("HttpOnly") && attributes.contains("Max-Age=60"), "{attributes}");
    let again = http.get(&back).header("cookie", &echo).send().await.unwrap();
    let cleared = echo_cookie(&again).expect("the page clears what it used");
    assert!(cleared.0 == "atrium_echo=" && cleared.1.contains("Max-Age=0"), "{cleared:?}");
    let html = again.text().await.unwrap();
    assert!(html.contains("data-hydrated=\"none\""), "no wasm");
    assert!(html.contains("id=\"field-form-cpf-error\""), "the CPF's error is shown");
    for typed in ["value=\"Ana Beatriz Lima\"", "value=\"ana.plain@exemplo.com\"", "value=\"(83) 99999-1234\""] {
        assert!(html.contains(typed), "{typed} stays in its field");
    }
    assert!(!html.contains("uma senha bem longa"), "a password is never written into a page");
    let plain = http.get(&back).send().await.unwrap().text().await.unwrap();
    assert!(!plain.contains("value=\"Ana Beatriz Lima\""), "without the cookie nothing is filled in");

    // Accepted: signed in, on to the class's application.
    let response =
        plain_post(&http, &server, "enrollment/students/sign_up", &sign_up_page, "", &sign_up("529.982.247-25")).await;
    assert_eq!(location(&response), format!("/famath/portal/inscricao/nova?turma={class}"));
    assert!(echo_cookie(&response).is_none(), "nothing kept after a success");
    let session = format!("atrium_session={}", session_cookie(&response).expect("signed in"));
    let new_page = format!("/famath/portal/inscricao/nova?turma={class}");
    let html = http.get(format!("{}{new_page}", server.url)).header("cookie", &session).send().await.unwrap();
    assert!(html.text().await.unwrap().contains("data-hydrated=\"none\""), "the wizard ships no wasm");

    let response =
        plain_post(&http, &server, "enrollment/wizard/start", &new_page, &session, &[("class_id", &class)]).await;
    let personal_page = location(&response);
    let id = personal_page
        .strip_prefix("/famath/portal/inscricao/")
        .and_then(|rest| rest.strip_suffix("/dados"))
        .unwrap_or_else(|| panic!("on to the personal step: {personal_page}"))
        .to_string();

    let personal = |postal_code: &'static str| {
        vec![
            ("id", id.as_str()),
            ("form[birth_date]", "2006-03-14"),
            ("form[phone]", "83 98888-7777"),
            ("form[postal_code]", postal_code),
            ("form[street]", "Rua das Trincheiras"),
            ("form[street_number]", "120"),
            ("form[complement]", "Apto 3"),
            ("form[district]", "Centro"),
            ("form[city]", "João Pessoa"),
            ("form[state]", "PB"),
        ]
    };
    let response =
        plain_post(&http, &server, "enrollment/wizard/personal", &personal_page, &session, &personal("5800-000")).await;
    let back = back_with_error(&response, &personal_page);
    let (echo, _) = echo_cookie(&response).expect("what was typed is kept");
    let html =
        http.get(&back).header("cookie", format!("{session}; {echo}")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"field-form-postal_code-error\""), "the CEP's error is shown");
    for typed in ["value=\"5800-000\"", "value=\"Rua das Trincheiras\"", "value=\"Apto 3\"", "value=\"João Pessoa\""] {
        assert!(html.contains(typed), "{typed} stays in its field");
    }
    let response =
        plain_post(&http, &server, "enrollment/wizard/personal", &personal_page, &session, &personal("58013-420"))
            .await;
    assert_eq!(location(&response), format!("/famath/portal/inscricao/{id}/responsavel"));

    let guardian_page = format!("/famath/portal/inscricao/{id}/responsavel");
    let myself = [("id", id.as_str()), ("form[is_student]", "true"), ("form[name]", ""), ("form[cpf]", "")];
    let response = plain_post(&http, &server, "enrollment/wizard/guardian", &guardian_page, &session, &myself).await;
    assert_eq!(location(&response), format!("/famath/portal/inscricao/{id}/documentos"));

    // The contract: an unticked box (absent from the post) is refused on the page; ticked, on to the review.
    let contract_page = format!("/famath/portal/inscricao/{id}/contrato");
    let html = http
        .get(format!("{}{contract_page}", server.url))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-hydrated=\"none\""), "no wasm");
    let contract = hidden_value(&html, "contract_id");
    let unticked = [("id", id.as_str()), ("contract_id", contract.as_str())];
    let response = plain_post(&http, &server, "enrollment/wizard/contract", &contract_page, &session, &unticked).await;
    back_with_error(&response, &contract_page);
    let ticked = [("id", id.as_str()), ("contract_id", contract.as_str()), ("accepted", "true")];
    let response = plain_post(&http, &server, "enrollment/wizard/contract", &contract_page, &session, &ticked).await;
    assert_eq!(location(&response), format!("/famath/portal/inscricao/{id}/revisao"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn asking_for_a_password_link_works_as_a_plain_form() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let http = plain_browser();
    let page = "/famath/esqueci-senha";

    let typo = [("tenant", "famath"), ("email", "dona@famath")];
    let response = plain_post(&http, &server, "auth/request_reset", page, "", &typo).await;
    let back = back_with_error(&response, page);
    let (echo, _) = echo_cookie(&response).expect("the e-mail as typed is kept");
    let html = http.get(&back).header("cookie", &echo).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"field-email-error\"") && html.contains("value=\"dona@famath\""), "{html:.3000}");
    assert!(!html.contains("data-testid=\"reset-sent\""));

    // Taken: the same page says the link went out.
    let asked = [("tenant", "famath"), ("email", "dona@famath.example")];
    let response = plain_post(&http, &server, "auth/request_reset", page, "", &asked).await;
    assert_eq!(location(&response), format!("{page}?enviado=1"));
    let html = http.get(format!("{}{page}?enviado=1", server.url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("data-testid=\"reset-sent\""), "the page says the link went out");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_public_financing_form_works_as_a_plain_form_and_a_refusal_keeps_what_was_typed() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let http = plain_browser();
    let page = "/famath/simular";
    let form = |consent: Option<&'static str>| {
        let mut form = vec![
            ("tenant", "famath"),
            ("form[name]", "Helena Bastos"),
            ("form[phone]", "(83) 98111-2233"),
            ("form[product]", "vehicle"),
            ("form[value]", "42.000,00"),
        ];
        form.extend(consent.map(|value| ("form[consent]", value)));
        form
    };

    // No consent (the box unticked is absent from the post): back with the error, what was typed kept.
    let response = plain_post(&http, &server, "crm/public/lead", page, "", &form(None)).await;
    let back = back_with_error(&response, page);
    let (echo, _) = echo_cookie(&response).expect("what was typed is kept");
    let html = http.get(&back).header("cookie", &echo).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("data-hydrated=\"none\""), "no wasm");
    assert!(html.contains("concorda em ser contatado"), "the consent's error is shown");
    for typed in ["value=\"Helena Bastos\"", "value=\"(83) 98111-2233\"", "value=\"42.000,00\""] {
        assert!(html.contains(typed), "{typed} stays in its field");
    }
    assert!(html.contains("<option value=\"vehicle\" selected"), "the financing chosen stays chosen");

    // Ticked: the same page says it was received, and the lead is on the board.
    let response = plain_post(&http, &server, "crm/public/lead", page, "", &form(Some("true"))).await;
    assert_eq!(location(&response), format!("{page}?enviado=1"));
    let html = http.get(format!("{}{page}?enviado=1", server.url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("data-testid=\"simulate-done\""), "the page says it was received");
    let leads: i64 = sqlx::query_scalar("select count(*) from crm_leads where name = 'Helena Bastos'")
        .fetch_one(&sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap())
        .await
        .unwrap();
    assert_eq!(leads, 1);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_organization_signs_up_by_a_plain_form_its_address_from_its_name_when_left_blank() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let http = plain_browser();
    let page = "/cadastro";
    let form = |password: &'static str| {
        vec![
            ("form[organization]", "Colégio Horizonte Azul"),
            ("form[slug]", ""),
            ("form[name]", "Helena Prado"),
            ("form[email]", "helena@horizonte.example"),
            ("form[password]", password),
        ]
    };

    let response = plain_post(&http, &server, "tenancy/sign_up", page, "", &form("curta")).await;
    let back = back_with_error(&response, page);
    assert!(session_cookie(&response).is_none(), "nobody is signed in");
    let (echo, _) = echo_cookie(&response).expect("what was typed is kept");
    let html = http.get(&back).header("cookie", &echo).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("data-hydrated=\"none\""), "no wasm");
    assert!(html.contains("id=\"field-password-error\""), "the password's error is shown");
    for typed in ["value=\"Colégio Horizonte Azul\"", "value=\"Helena Prado\"", "value=\"helena@horizonte.example\""] {
        assert!(html.contains(typed), "{typed} stays in its field");
    }
    assert!(!html.contains("curta"), "a password is never written into a page");

    // The address left blank: the one suggested for the name. Signed in, on to the new organization's home.
    let response = plain_post(&http, &server, "tenancy/sign_up", page, "", &form("uma senha bem longa")).await;
    assert_eq!(location(&response), "/colegio-horizonte-azul/painel");
    assert!(session_cookie(&response).is_some(), "signed in");
    server.stop().await.unwrap();
}
