//! The student portal of enrollment: the public catalog, student sign-up and e-mail verification, the wizard and
//! the status page.

use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};

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
