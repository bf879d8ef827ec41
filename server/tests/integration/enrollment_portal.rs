//! The student portal of enrollment: the public catalog, student sign-up and e-mail verification, the wizard and
//! the status page.

use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};

use crate::browser::Browser;

/// GETs a page as a visitor without a session (and without JavaScript: what the server renders is all there is).
async fn anonymous_page(server: &TestServer, path: &str) -> (StatusCode, String) {
    let response = reqwest::get(format!("{}{path}", server.url)).await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_public_catalog_shows_open_classes_with_seats_left_and_only_the_tenants_own() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();

    assert_eq!(anonymous_page(&server, "/credvale/cursos").await.0, StatusCode::NOT_FOUND, "enrollment is off");
    assert_eq!(anonymous_page(&server, "/ninguem/cursos").await.0, StatusCode::NOT_FOUND, "no such tenant");

    // A few seats left in Enfermagem, none in Pedagogia.
    sqlx::query(
        "update classes k set capacity = k.seats_reserved + case c.name when 'Enfermagem' then 3 else 0 end
           from courses c where c.id = k.course_id and c.name in ('Enfermagem', 'Pedagogia')",
    )
    .execute(&admin)
    .await
    .unwrap();
    let (status, html) = anonymous_page(&server, "/famath/cursos").await;
    assert_eq!(status, StatusCode::OK);
    let shown = &html[html.find("data-testid=\"open-classes\"").expect("the list of open classes")..];
    // Direito (noite) has 60 seats and one approved application; ADS 120 and one awaiting payment.
    for expected in ["Direito", "59 vagas", "119 vagas", "R$ 1.090,00", "Últimas vagas: 3", "Esgotada", "Inscrever-se"]
    {
        assert!(shown.contains(expected), "{expected:?} in {shown:.4000}");
    }
    assert!(shown.contains("/famath/cadastro-aluno?turma="), "a visitor is sent to sign up");

    // Another tenant with enrollment on: its own catalog, and neither sees the other's classes.
    sqlx::query("update tenants set enrollment_enabled = true where slug = 'credvale'").execute(&admin).await.unwrap();
    sqlx::query(
        "with t as (select id from tenants where slug = 'credvale'),
              p as (insert into enrollment_periods (tenant_id, term, opens_on, closes_on)
                    select id, '2031.1', current_date - 1, current_date + 30 from t),
              c as (insert into courses (tenant_id, name, modality, duration_months)
                    select id, 'Gastronomia', 'presencial', 24 from t returning id, tenant_id)
         insert into classes (tenant_id, course_id, term, shift, capacity, enrollment_fee_cents, monthly_fee_cents)
         select tenant_id, id, '2031.1', 'noturno', 25, 10000, 80000 from c",
    )
    .execute(&admin)
    .await
    .unwrap();
    let credvale = wait_for_ok(&server, "/credvale/cursos").await;
    assert!(credvale.contains("Gastronomia") && credvale.contains("25 vagas"), "{credvale:.4000}");
    assert!(!credvale.contains("Enfermagem"), "another tenant's classes");
    let (_, famath) = anonymous_page(&server, "/famath/cursos").await;
    assert!(!famath.contains("Gastronomia"), "another tenant's classes");
}

/// The tenant directory hears of a change to a tenant through LISTEN/NOTIFY: give it a moment.
async fn wait_for_ok(server: &TestServer, path: &str) -> String {
    for _ in 0..50 {
        let (status, html) = anonymous_page(server, path).await;
        if status == StatusCode::OK {
            return html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{path} never answered 200");
}

/// The demo tenant's Enfermagem class (open for applications), as text.
pub(crate) async fn enfermagem_class(admin: &sqlx::PgPool) -> String {
    sqlx::query_scalar(
        "select k.id::text from classes k join courses c on c.id = k.course_id where c.name = 'Enfermagem'",
    )
    .fetch_one(admin)
    .await
    .unwrap()
}

fn sign_up_form<'a>(name: &'a str, cpf: &'a str, email: &'a str, class: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("tenant", "famath"),
        ("form[name]", name),
        ("form[cpf]", cpf),
        ("form[email]", email),
        ("form[phone]", "(83) 99999-1234"),
        ("form[password]", "uma senha bem longa"),
    ];
    if !class.is_empty() {
        form.push(("form[class_id]", class));
    }
    form
}

fn field(body: &serde_json::Value) -> &str {
    assert_eq!(body["kind"], "validation", "{body}");
    body["field"].as_str().unwrap()
}

/// The verification link in the newest e-mail to `to`.
async fn verification_link(server: &TestServer, count: usize, to: &str) -> String {
    let mails = server.wait_for_mails(count).await;
    let mail = mails.iter().rev().find(|mail| mail.to == to).unwrap_or_else(|| panic!("no e-mail to {to}: {mails:?}"));
    let line = mail.body.lines().find(|line| line.contains("/famath/verificar-email?token=")).expect("the link");
    line.split("token=").nth(1).unwrap().trim().to_string()
}

#[tokio::test]
async fn a_student_signs_up_with_a_valid_unique_cpf_and_verifies_the_email_by_a_single_use_link() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let _mail_worker = server.mail_worker();
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let class = enfermagem_class(&admin).await;

    let mut student = Browser::new(&server);
    let (_, body) = student
        .call("enrollment/students/sign_up", &sign_up_form("Ana Lima", "529.982.247-24", "ana@x.example", ""))
        .await;
    assert_eq!(field(&body), "cpf", "wrong check digit");
    let form = sign_up_form("Ana Lima", "529.982.247-25", "ana@x.example", &class);
    let (status, next) = student.call("enrollment/students/sign_up", &form).await;
    assert_eq!(status, StatusCode::OK, "{next}");
    assert_eq!(next, format!("/famath/portal/inscricao/nova?turma={class}"), "on to the wizard with the class");
    let viewer = student.viewer("famath").await;
    assert_eq!(viewer["role"], "student", "{viewer}");
    let (status, email) = student.call("enrollment/students/email_status", &[]).await;
    assert_eq!((status, email["verified"].clone()), (StatusCode::OK, serde_json::json!(false)), "{email}");

    let mut other = Browser::new(&server);
    let (_, body) =
        other.call("enrollment/students/sign_up", &sign_up_form("Bia Lima", "52998224725", "bia@x.example", "")).await;
    assert_eq!(field(&body), "cpf", "one account per CPF in a tenant: {body}");
    assert!(body["message"].as_str().unwrap().contains("Já existe um cadastro com este CPF"), "{body}");
    let (_, body) = other
        .call("enrollment/students/sign_up", &sign_up_form("Bia Lima", "111.444.777-35", "ANA@x.example", ""))
        .await;
    assert_eq!(field(&body), "email", "{body}");
    let (status, body) = other
        .call("enrollment/students/sign_up", &sign_up_form("Bia Lima", "111.444.777-35", "bia@x.example", ""))
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, Some("/famath/portal")), "{body}");

    // An expired link does nothing.
    let first = verification_link(&server, 2, "ana@x.example").await;
    sqlx::query("update password_tokens set expires_at = now() - interval '1 minute' where purpose = 'verify_email'")
        .execute(&admin)
        .await
        .unwrap();
    let mut anyone = Browser::new(&server);
    assert_eq!(verify(&server, "famath", &first).await.0, StatusCode::CONFLICT, "expired");

    let (status, body) = student.call("enrollment/students/resend_verification", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second = verification_link(&server, 3, "ana@x.example").await;
    assert_ne!(first, second);
    // Never a password link, and never another tenant's.
    let (status, _) = anyone.call("auth/password_link", &[("tenant", "famath"), ("token", &second)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "a verification link sets no password");
    assert_eq!(verify(&server, "credvale", &second).await.0, StatusCode::CONFLICT, "another tenant's link");
    let (status, body) = verify(&server, "famath", &second).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(verify(&server, "famath", &second).await.0, StatusCode::CONFLICT, "single use");
    let (_, email) = student.call("enrollment/students/email_status", &[]).await;
    assert_eq!(email["verified"], true, "{email}");

    // The page of the link renders its outcome on the server.
    let (status, html) = anonymous_page(&server, "/famath/verificar-email?token=nada").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("já foi usado ou expirou"), "{html:.3000}");
    let (status, html) = anonymous_page(&server, &format!("/famath/cadastro-aluno?turma={class}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Enfermagem") && html.contains("Criar cadastro"), "the chosen class is shown");
}

async fn verify(server: &TestServer, tenant: &str, token: &str) -> (StatusCode, serde_json::Value) {
    Browser::new(server).call("enrollment/students/verify_email", &[("tenant", tenant), ("token", token)]).await
}

async fn signed_up(server: &TestServer, name: &str, cpf: &str, email: &str) -> Browser {
    let mut browser = Browser::new(server);
    let (status, body) = browser.call("enrollment/students/sign_up", &sign_up_form(name, cpf, email, "")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    browser
}

fn personal<'a>(id: &'a str, postal_code: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("id", id),
        ("form[birth_date]", "2006-03-14"),
        ("form[phone]", "83 98888-7777"),
        ("form[postal_code]", postal_code),
        ("form[street]", "Rua das Trincheiras"),
        ("form[street_number]", "120"),
        ("form[complement]", ""),
        ("form[district]", "Centro"),
        ("form[city]", "João Pessoa"),
        ("form[state]", "pb"),
    ]
}

#[tokio::test]
async fn the_wizard_saves_each_step_and_submits_only_a_complete_application_of_a_verified_student() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let _mail_worker = server.mail_worker();
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let class = enfermagem_class(&admin).await;
    let mut ana = signed_up(&server, "Ana Lima", "529.982.247-25", "ana@x.example").await;

    let (_, body) = ana.call("enrollment/wizard/start", &[("class_id", &uuid::Uuid::nil().to_string())]).await;
    assert_eq!(field(&body), "class_id", "only an open class");
    let (status, id) = ana.call("enrollment/wizard/start", &[("class_id", &class)]).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_string();
    let (_, again) = ana.call("enrollment/wizard/start", &[("class_id", &class)]).await;
    assert_eq!(again, id.as_str(), "the same class resumes the same application");

    let (_, body) = ana.call("enrollment/wizard/personal", &personal(&id, "5800-000")).await;
    assert_eq!(field(&body), "postal_code");
    let (status, body) = ana.call("enrollment/wizard/personal", &personal(&id, "58013-420")).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let guardian = |cpf: &'static str| {
        vec![
            ("id", id.clone()),
            ("form[is_student]", "false".to_string()),
            ("form[name]", "Marta Lima".to_string()),
            ("form[cpf]", cpf.to_string()),
            ("form[email]", "marta@x.example".to_string()),
        ]
    };
    let bad = guardian("111.444.777-36");
    let (_, body) = ana.call("enrollment/wizard/guardian", &pairs(&bad)).await;
    assert_eq!(field(&body), "cpf");
    let good = guardian("111.444.777-35");
    let (status, body) = ana.call("enrollment/wizard/guardian", &pairs(&good)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, state) = ana.call("enrollment/wizard/state", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["completed"], "guardian", "{state}");
    assert_eq!(state["personal"]["postal_code"], "58013420");
    assert_eq!(state["personal"]["state"], "PB");
    assert_eq!(state["guardian"]["cpf"], "11144477735");
    let contract = state["contract"]["id"].as_str().expect("the demo tenant has a contract").to_string();

    let (_, body) = ana.call("enrollment/wizard/submit", &[("id", &id)]).await;
    assert_eq!(body["kind"], "conflict", "the contract is not accepted yet: {body}");
    let (_, body) =
        ana.call("enrollment/wizard/contract", &[("id", &id), ("contract_id", &contract), ("accepted", "false")]).await;
    assert_eq!(field(&body), "accepted");
    let other = uuid::Uuid::now_v7().to_string();
    let (_, body) =
        ana.call("enrollment/wizard/contract", &[("id", &id), ("contract_id", &other), ("accepted", "true")]).await;
    assert_eq!(body["kind"], "conflict", "only the current version: {body}");
    let (status, body) =
        ana.call("enrollment/wizard/contract", &[("id", &id), ("contract_id", &contract), ("accepted", "true")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (from, version): (String, i32) = sqlx::query_as(
        "select host(a.contract_accepted_from), k.version from applications a
           join enrollment_contracts k on k.id = a.contract_id where a.id = $1::uuid and a.contract_accepted_at is not null",
    )
    .bind(&id)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!((from.as_str(), version), ("127.0.0.1", 1));

    // The steps' pages render on the server for the student (the contract with its text, the steps linked).
    let contract_page = student_page(&server, &ana, &format!("/famath/portal/inscricao/{id}/contrato")).await;
    assert!(
        contract_page.contains("Contrato de prestação") && contract_page.contains("wizard-steps"),
        "{contract_page:.3000}"
    );
    assert!(
        contract_page.contains(&format!("/famath/portal/inscricao/{id}/documentos")),
        "the documents step is linked"
    );
    let portal = student_page(&server, &ana, "/famath/portal").await;
    assert!(portal.contains("email-banner") && portal.contains("ana@x.example"), "unverified: the banner shows");

    // Another student sees none of it.
    let mut bia = signed_up(&server, "Bia Lima", "111.444.777-35", "bia@x.example").await;
    for endpoint in ["enrollment/wizard/state", "enrollment/wizard/submit"] {
        let (status, body) = bia.call(endpoint, &[("id", &id)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {body}");
    }

    let (status, body) = ana.call("enrollment/wizard/submit", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["message"].as_str().unwrap().contains("Confirme seu e-mail"), "{body}");
    let token = verification_link(&server, 2, "ana@x.example").await;
    assert_eq!(verify(&server, "famath", &token).await.0, StatusCode::OK);
    // The documents step (enrollment_documents.rs): every document the course asks for, then submitting goes in.
    let (status, body) = ana.call("enrollment/wizard/submit", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "no documents yet: {body}");
    let application: uuid::Uuid = id.parse().unwrap();
    let required: Vec<uuid::Uuid> = sqlx::query_scalar(
        "select r.document_kind_id from applications a join classes c on c.id = a.class_id
           join course_required_documents r on r.course_id = c.course_id where a.id = $1",
    )
    .bind(application)
    .fetch_all(&admin)
    .await
    .unwrap();
    assert!(!required.is_empty(), "the demo course asks for documents");
    for kind in required {
        let (status, body) = crate::enrollment_documents::upload(
            &ana,
            "famath",
            application,
            kind,
            "documento.pdf",
            &crate::enrollment_documents::pdf(4096),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = ana.call("enrollment/wizard/submit", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, state) = ana.call("enrollment/wizard/state", &[("id", &id)]).await;
    assert_eq!(state["status"], "submitted");
    let (_, body) = ana.call("enrollment/wizard/personal", &personal(&id, "58013-420")).await;
    assert_eq!(body["kind"], "conflict", "a submitted application is not edited: {body}");

    // The portal lists the student's own applications only.
    let (_, mine) = ana.call("enrollment/wizard/mine", &[]).await;
    assert_eq!((mine[0]["id"].as_str(), mine[0]["status"].as_str()), (Some(id.as_str()), Some("submitted")), "{mine}");
    let (_, theirs) = bia.call("enrollment/wizard/mine", &[]).await;
    assert_eq!(theirs, serde_json::json!([]), "another student's applications");
    let portal = student_page(&server, &ana, "/famath/portal").await;
    assert!(portal.contains("my-applications") && portal.contains("Enviada"), "{portal:.3000}");
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(key, value)| (*key, value.as_str())).collect()
}

async fn student_page(server: &TestServer, browser: &Browser, path: &str) -> String {
    let session = browser.session.clone().unwrap();
    let response = reqwest::Client::new()
        .get(format!("{}{path}", server.url))
        .header("cookie", format!("atrium_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}
