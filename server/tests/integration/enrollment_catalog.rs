//! The backoffice's enrollment catalog through its server functions: periods, document kinds, courses and classes
//! are created and edited by owner and staff only (module on), with field errors a person can fix, every write in
//! the audit log.

use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};

use crate::browser::{Browser, DEMO_PASSWORD};

async fn staff_of(server: &TestServer, tenant: &str, email: &str) -> Browser {
    let mut browser = Browser::new(server);
    let (status, body) = browser.sign_in(tenant, email, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    browser
}

fn borrowed<'a>(form: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    form.iter().map(|(key, value)| (*key, value.as_str())).collect()
}

fn field(body: &serde_json::Value) -> &str {
    assert_eq!(body["kind"], "validation", "{body}");
    body["field"].as_str().unwrap()
}

#[tokio::test]
async fn staff_build_the_catalog_with_field_errors_and_every_write_audited() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut staff = staff_of(&server, "famath", "secretaria@famath.example").await;

    let period = [("form[term]", "2031.1"), ("form[opens_on]", "2030-11-01"), ("form[closes_on]", "2031-02-15")];
    let (status, body) = staff.call("enrollment/periods/save", &period).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = staff.call("enrollment/periods/save", &period).await;
    assert_eq!(field(&body), "term", "one period per term");
    let (_, body) = staff
        .call(
            "enrollment/periods/save",
            &[("form[term]", "2031-1"), ("form[opens_on]", "2030-11-01"), ("form[closes_on]", "2031-02-15")],
        )
        .await;
    assert_eq!(field(&body), "term");
    let (_, body) = staff
        .call(
            "enrollment/periods/save",
            &[("form[term]", "2031.2"), ("form[opens_on]", "2031-05-01"), ("form[closes_on]", "2031-04-01")],
        )
        .await;
    assert_eq!(field(&body), "closes_on");

    let (status, kind) = staff.call("enrollment/document_kinds/add", &[("name", "Certidão de reservista")]).await;
    assert_eq!(status, StatusCode::OK, "{kind}");
    let kind = kind.as_str().unwrap().to_string();
    let course = [
        ("form[name]", "Engenharia Civil"),
        ("form[modality]", "presencial"),
        ("form[duration_months]", "60"),
        ("form[description]", "Cinco anos, com estágio."),
        ("form[document_kind_ids][0]", kind.as_str()),
    ];
    let (status, course_id) = staff.call("enrollment/courses/save", &course).await;
    assert_eq!(status, StatusCode::OK, "{course_id}");
    let course_id = course_id.as_str().unwrap().to_string();
    let (_, body) = staff.call("enrollment/courses/save", &course).await;
    assert_eq!(field(&body), "name", "course names are unique");
    let (_, body) = staff
        .call(
            "enrollment/courses/save",
            &[
                ("form[name]", "Medicina"),
                ("form[modality]", "remoto"),
                ("form[duration_months]", "72"),
                ("form[description]", ""),
            ],
        )
        .await;
    assert_eq!(field(&body), "modality");

    let class = |capacity: &'static str, fee: &'static str, term: &'static str| {
        vec![
            ("form[course_id]", course_id.clone()),
            ("form[term]", term.to_string()),
            ("form[shift]", "noturno".to_string()),
            ("form[capacity]", capacity.to_string()),
            ("form[enrollment_fee]", fee.to_string()),
            ("form[monthly_fee]", "1.299,90".to_string()),
            ("form[max_installments]", "3".to_string()),
        ]
    };
    let (status, class_id) = staff.call("enrollment/classes/save", &borrowed(&class("40", "150,00", "2031.1"))).await;
    assert_eq!(status, StatusCode::OK, "{class_id}");
    for (capacity, fee, term, wrong) in [
        ("0", "150,00", "2031.1", "capacity"),
        ("40", "-5", "2031.1", "enrollment_fee"),
        ("40", "150,00", "2032.1", "term"),
        ("40", "150,00", "2031.1", "shift"),
    ] {
        let (_, body) = staff.call("enrollment/classes/save", &borrowed(&class(capacity, fee, term))).await;
        assert_eq!(field(&body), wrong, "{capacity} {fee} {term}: {body}");
    }

    let (status, catalog) = staff.call("enrollment/catalog", &[]).await;
    assert_eq!(status, StatusCode::OK, "{catalog}");
    let class = catalog["classes"].as_array().unwrap().iter().find(|c| c["id"] == class_id).unwrap().clone();
    assert_eq!(class["monthly_fee_cents"], 129_990);
    assert_eq!(class["enrollment_fee_cents"], 15_000);
    assert_eq!(class["seats_left"], 40);
    let course = catalog["courses"].as_array().unwrap().iter().find(|c| c["id"] == course_id.as_str()).unwrap().clone();
    assert_eq!(course["document_kind_ids"], serde_json::json!([kind]));

    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log
              where action like 'enrollment.%' and action not like 'enrollment.application.%' order by at, id",
    )
    .fetch_all(&admin)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "enrollment.period.created",
            "enrollment.document_kind.created",
            "enrollment.course.created",
            "enrollment.class.created"
        ]
    );
}

#[tokio::test]
async fn the_catalog_is_for_the_backoffice_of_tenants_with_enrollment_on() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    for (tenant, email) in [
        ("famath", "consultora@famath.example"),
        ("famath", "joao@famath.example"),
        ("credvale", "dono@credvale.example"),
    ] {
        let mut browser = staff_of(&server, tenant, email).await;
        let (status, body) = browser.call("enrollment/catalog", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}: {body}");
        let (status, _) = browser.call("enrollment/document_kinds/add", &[("name", "Passaporte")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
    }
    let mut anonymous = Browser::new(&server);
    assert_eq!(anonymous.call("enrollment/catalog", &[]).await.0, StatusCode::FORBIDDEN);
}

async fn page(server: &TestServer, browser: &Browser, path: &str) -> String {
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

#[tokio::test]
async fn the_demo_has_a_catalog_an_open_period_and_applications_in_every_status_and_the_pages_show_them() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut staff = staff_of(&server, "famath", "secretaria@famath.example").await;
    let (status, catalog) = staff.call("enrollment/catalog", &[]).await;
    assert_eq!(status, StatusCode::OK, "{catalog}");
    let courses: Vec<&str> =
        catalog["courses"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    for name in ["Administração", "Direito", "Enfermagem", "Análise e Desenvolvimento de Sistemas"] {
        assert!(courses.contains(&name), "{courses:?}");
    }
    let today = chrono::Utc::now().date_naive().to_string();
    let open = catalog["periods"].as_array().unwrap().iter().any(|p| {
        p["opens_on"].as_str().unwrap() <= today.as_str() && today.as_str() <= p["closes_on"].as_str().unwrap()
    });
    assert!(open, "an open period: {}", catalog["periods"]);
    assert!(catalog["classes"].as_array().unwrap().len() >= 5);

    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let statuses: Vec<String> = sqlx::query_scalar(
        "select distinct a.status from applications a join tenants t on t.id = a.tenant_id where t.slug = 'famath'
          order by 1",
    )
    .fetch_all(&admin)
    .await
    .unwrap();
    // All but "payment window over": only the payment-window job reaches it, a day after a boleto's due date
    // (enrollment_after_payment tests it); demo charges are fresh.
    use app::enrollment::types::ApplicationStatus;
    let mut every: Vec<String> = ApplicationStatus::ALL
        .iter()
        .filter(|status| **status != ApplicationStatus::PaymentExpired)
        .map(|s| s.code().to_string())
        .collect();
    every.sort();
    assert_eq!(statuses, every);
    // Each application's last recorded move is where it stands, and seats held match the counter.
    let astray: i64 = sqlx::query_scalar(
        "select count(*) from applications a
          where a.status <> (select e.to_status from application_events e where e.application_id = a.id
                              order by e.at desc, e.id desc limit 1)",
    )
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(astray, 0);
    let miscounted: i64 = sqlx::query_scalar(
        "select count(*) from classes c where c.seats_reserved <> (select count(*) from applications a
           where a.class_id = c.id and a.status in ('approved', 'awaiting_payment', 'enrolled'))",
    )
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(miscounted, 0);
    let credvale: i64 = sqlx::query_scalar(
        "select count(*) from courses c join tenants t on t.id = c.tenant_id where t.slug = 'credvale'",
    )
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(credvale, 0, "no enrollment demo where the module is off");

    let classes = page(&server, &staff, "/famath/matriculas/turmas").await;
    assert!(classes.contains("Enfermagem") && classes.contains("R$"), "classes page");
    let courses = page(&server, &staff, "/famath/matriculas/cursos").await;
    let start = courses.find("courses-table").unwrap_or_default();
    let shown = &courses[start..];
    assert!(shown.contains("Desenvolvimento de Sistemas") && shown.contains("escolar"), "courses page: {shown:.3000}");
    let periods = page(&server, &staff, "/famath/matriculas/periodos").await;
    assert!(periods.contains("Aberto"), "periods page");
}
