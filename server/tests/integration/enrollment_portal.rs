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
    let class: String = sqlx::query_scalar(
        "select k.id::text from classes k join courses c on c.id = k.course_id where c.name = 'Enfermagem'",
    )
    .fetch_one(&admin)
    .await
    .unwrap();

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
