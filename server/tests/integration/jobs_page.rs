//! The jobs page's server functions: owners and staff see their own tenant's queue; retry and discard act on dead
//! jobs only, are audited, and are refused to students and to other tenants.

use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};
use sqlx::PgPool;
use uuid::Uuid;

use crate::browser::{Browser, DEMO_PASSWORD};

/// As the superuser (the test's view from outside): a dead job of `slug`'s tenant.
async fn dead_job(admin: &PgPool, slug: &str, error: &str) -> Uuid {
    sqlx::query_scalar(
        "insert into jobs (tenant_id, kind, payload, state, attempts, max_attempts, last_error, finished_at)
         select id, 'asaas.payment_event', '{\"event\": \"evt_1\"}', 'dead', 8, 8, $2, now() from tenants where slug = $1
         returning id",
    )
    .bind(slug)
    .bind(error)
    .fetch_one(admin)
    .await
    .unwrap()
}

async fn state(admin: &PgPool, id: Uuid) -> (String, i32) {
    sqlx::query_as("select state, attempts from jobs where id = $1").bind(id).fetch_one(admin).await.unwrap()
}

#[tokio::test]
async fn staff_see_dead_jobs_with_payload_and_error_and_retry_or_discard_them_audited() {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let admin = PgPool::connect(&server.database.superuser_url).await.unwrap();
    let famath_job = dead_job(&admin, "famath", "asaas: serviço indisponível").await;
    let other_job = dead_job(&admin, "famath", "payload inválido").await;
    let credvale_job = dead_job(&admin, "credvale", "de outra organização").await;

    let mut staff = Browser::new(&server);
    staff.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let (status, overview) = staff.call("jobs/overview", &[]).await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    let dead = overview["dead"].as_array().unwrap();
    assert_eq!(dead.len(), 2, "only famath's dead jobs: {overview}");
    assert!(dead.iter().any(|job| job["last_error"] == "asaas: serviço indisponível"));
    assert!(dead.iter().all(|job| job["payload"].as_str().unwrap().contains("evt_1")));
    assert_eq!(overview["kinds"][0]["kind"], "asaas.payment_event");
    assert_eq!(overview["kinds"][0]["dead"], 2);

    let (status, _) = staff.call("jobs/retry", &[("job_id", &famath_job.to_string())]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state(&admin, famath_job).await, ("queued".to_string(), 0));
    // Everyone watching the page hears of it (the counts, on the tenant's `jobs` topic, with the retry's commit).
    let published: Option<i64> = sqlx::query_scalar(
        "select seq from live_topics join tenants on tenants.id = tenant_id where slug = 'famath' and topic = 'jobs'",
    )
    .fetch_optional(&admin)
    .await
    .unwrap();
    assert!(published >= Some(1), "a retry publishes the page's counts");
    // Retrying something that is not dead (any more) is "not found", and changes nothing.
    let (status, _) = staff.call("jobs/retry", &[("job_id", &famath_job.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = staff.call("jobs/discard", &[("job_id", &other_job.to_string())]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state(&admin, other_job).await.0, "discarded");
    // Another tenant's job cannot be reached at all.
    let (status, _) = staff.call("jobs/discard", &[("job_id", &credvale_job.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(state(&admin, credvale_job).await.0, "dead");

    let audited: Vec<(String, String)> =
        sqlx::query_as("select action, subject from audit_log where action like 'job.%' order by at, id")
            .fetch_all(&admin)
            .await
            .unwrap();
    assert_eq!(
        audited,
        vec![("job.retried".into(), famath_job.to_string()), ("job.discarded".into(), other_job.to_string())]
    );

    let mut student = Browser::new(&server);
    student.sign_in("famath", "joao@famath.example", DEMO_PASSWORD).await;
    assert_eq!(student.call("jobs/overview", &[]).await.0, StatusCode::FORBIDDEN);
    let (status, _) = student.call("jobs/discard", &[("job_id", &credvale_job.to_string())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
