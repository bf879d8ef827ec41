//! The signed-in request path: the person is resolved once per request and kept in each process's memory, which
//! forgets on every change, in every process (`platform::directory`, `server::bus`); sessions slide with at most
//! one write an hour.

use std::time::Duration;

use app::platform::tenancy::TenantTx;
use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};
use uuid::Uuid;

use crate::browser::{Browser, DEMO_PASSWORD};

async fn seeded() -> TestServer {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    server.wait_until_listening().await;
    server
}

async fn page(server: &TestServer, browser: &Browser, path: &str) -> reqwest::Response {
    let session = browser.session.clone().expect("signed in");
    reqwest::Client::new()
        .get(format!("{}{path}", server.url))
        .header("cookie", format!("atrium_session={session}"))
        .send()
        .await
        .unwrap()
}

/// Polls `still` until it answers false, for up to 3 s (a notice crosses processes in well under that).
async fn within_moments(what: &str, mut still: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while still().await {
        assert!(tokio::time::Instant::now() < deadline, "{what}: still the case after 3 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_page_view_resolves_the_person_once_and_from_memory_once_known() {
    let server = seeded().await;
    let mut owner = Browser::new(&server);
    assert_eq!(owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    assert_eq!(page(&server, &owner, "/famath/painel").await.status(), StatusCode::OK);

    let before = server.directory.stats();
    let response = page(&server, &owner, "/famath/painel").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Ana"), "the owner's own dashboard");
    // Resolved before the render and carried to the browser, which hydrates from it without a resource.
    assert!(html.contains(r#"<script type="application/json" id="atrium-viewer">{"slug":"famath","viewer":{"Person""#));
    let after = server.directory.stats();
    assert_eq!(after.misses, before.misses, "a known person and tenant were read from the database again");
    // The tenant by its slug, then the person and their tenant: once for the layout and the page's server
    // function together (resolved per function, it would be five or more).
    assert_eq!(after.hits - before.hits, 3, "lookups for one page view");
}

#[tokio::test]
async fn a_change_in_one_process_ends_sessions_in_another_within_moments() {
    let a = seeded().await;
    let b = a.another_process().await;
    b.wait_until_listening().await;
    let mut owner = Browser::new(&a);
    assert_eq!(owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    let mut staff = Browser::new(&b);
    assert_eq!(staff.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    let mut consultant = Browser::new(&b);
    assert_eq!(consultant.sign_in("famath", "consultora@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    // Process B now knows both of them from memory.
    assert!(!staff.viewer("famath").await.is_null());
    assert!(!consultant.viewer("famath").await.is_null());
    let hits = b.directory.stats().hits;
    assert_eq!(staff.viewer("famath").await["role"], "staff");
    assert!(b.directory.stats().hits > hits, "process B answered from memory");

    // A role change made through process A ends the staff member's session in process B.
    let staff_id = staff.viewer("famath").await["user_id"].as_str().unwrap().to_string();
    let (status, _) = owner.call("users/role", &[("user_id", &staff_id), ("role", "consultant")]).await;
    assert_eq!(status, StatusCode::OK);
    within_moments("B still lets the staff member in after the role change", async || {
        !staff.viewer("famath").await.is_null()
    })
    .await;

    // So does a deactivation.
    let consultant_id = consultant.viewer("famath").await["user_id"].as_str().unwrap().to_string();
    let (status, _) = owner.call("users/active", &[("user_id", &consultant_id), ("active", "false")]).await;
    assert_eq!(status, StatusCode::OK);
    within_moments("B still lets the deactivated consultant in", async || !consultant.viewer("famath").await.is_null())
        .await;

    // A module switched off through A is off in B too.
    let mut owner_on_b = Browser::new(&b);
    assert_eq!(owner_on_b.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    assert_eq!(owner_on_b.viewer("famath").await["tenant"]["modules"]["crm"], true);
    let modules = [("modules[enrollment]", "true"), ("modules[crm]", "false"), ("modules[finance]", "true")];
    let (status, body) = owner.call("tenancy/modules", &modules).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    within_moments("B still shows the CRM switched on", async || {
        owner_on_b.viewer("famath").await["tenant"]["modules"]["crm"] == true
    })
    .await;
}

#[tokio::test]
async fn a_password_change_in_one_process_ends_the_other_sessions_in_another() {
    let a = seeded().await;
    let b = a.another_process().await;
    b.wait_until_listening().await;
    let mut here = Browser::new(&a);
    assert_eq!(here.sign_in("famath", "joao@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    let mut elsewhere = Browser::new(&b);
    assert_eq!(elsewhere.sign_in("famath", "joao@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    assert!(!elsewhere.viewer("famath").await.is_null());

    let new = [("current", DEMO_PASSWORD), ("new_password", "joao trocou a senha hoje")];
    assert_eq!(here.call("auth/change_password", &new).await.0, StatusCode::OK);
    assert!(!here.viewer("famath").await.is_null(), "the session that changed it goes on");
    within_moments("the other session still holds in process B", async || !elsewhere.viewer("famath").await.is_null())
        .await;
}

#[tokio::test]
async fn after_the_bus_loses_its_connection_a_change_still_reaches_every_process() {
    let server = seeded().await;
    let mut staff = Browser::new(&server);
    assert_eq!(staff.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    assert!(!staff.viewer("famath").await.is_null());

    // Kill the listening connection, as a database restart or a network cut would, and wait for the new one.
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let listening = "select pid from pg_stat_activity where datname = current_database() and query ilike 'listen%'";
    let pids: Vec<i32> = sqlx::query_scalar(listening).fetch_all(&admin).await.unwrap();
    assert_eq!(pids.len(), 1, "one listening connection");
    sqlx::query("select pg_terminate_backend($1)").bind(pids[0]).execute(&admin).await.unwrap();
    within_moments("no new listening connection", async || {
        let now: Vec<i32> = sqlx::query_scalar(listening).fetch_all(&admin).await.unwrap();
        !now.iter().any(|pid| *pid != pids[0])
    })
    .await;
    server.wait_until_listening().await;
    // Known from memory again, so only the notice can tell this process what follows.
    assert!(!staff.viewer("famath").await.is_null());
    let hits = server.directory.stats().hits;
    assert!(!staff.viewer("famath").await.is_null());
    assert!(server.directory.stats().hits > hits);

    // A change made straight in the database, by nobody but the trigger's notice.
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&server.pool).await.unwrap();
    let owner = sqlx::PgPool::connect(&server.database.owner_url).await.unwrap();
    let mut tx = TenantTx::begin(&owner, tenant).await.unwrap();
    sqlx::query(
        "update users set active = false, session_version = session_version + 1
          where email = 'secretaria@famath.example'",
    )
    .execute(tx.conn())
    .await
    .unwrap();
    tx.commit().await.unwrap();
    within_moments("the deactivated person is still let in", async || !staff.viewer("famath").await.is_null()).await;
}

async fn session_expiry(server: &TestServer) -> chrono::DateTime<chrono::Utc> {
    sqlx::query_scalar("select max(expiry_date) from sessions").fetch_one(&server.pool).await.unwrap()
}

#[tokio::test]
async fn an_active_session_is_written_at_most_hourly() {
    let server = seeded().await;
    let mut owner = Browser::new(&server);
    assert_eq!(owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    let signed_in_until = session_expiry(&server).await;
    // More than a second apart: the session keeps when it was written in whole seconds.
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let response = page(&server, &owner, "/famath/painel").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get("set-cookie").is_none(), "the cookie was sent again");
        assert!(!owner.viewer("famath").await.is_null());
    }
    assert_eq!(session_expiry(&server).await, signed_in_until, "the session row was written on a plain request");
}

#[tokio::test]
async fn a_session_in_use_slides_when_it_is_due() {
    let config = server::config::Config::from_lookup(|_| None).unwrap();
    // Due at once, instead of after an hour.
    let server =
        TestServer::start_custom(config, 5, |state| state.context.session_refresh = Duration::ZERO, |r| r).await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut owner = Browser::new(&server);
    assert_eq!(owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    let signed_in_until = session_expiry(&server).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let response = page(&server, &owner, "/famath/painel").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers().get("set-cookie").map(|value| value.to_str().unwrap().to_string());
    assert!(cookie.as_deref().is_some_and(|cookie| cookie.contains("Max-Age=43200")), "{cookie:?}");
    let now_until = session_expiry(&server).await;
    assert!(now_until > signed_in_until, "the session did not slide: {signed_in_until} → {now_until}");
    assert!(now_until - signed_in_until >= chrono::Duration::seconds(1));
}

/// The same browser session, sent to another process.
fn same_session_on(server: &TestServer, browser: &Browser) -> Browser {
    let mut there = Browser::new(server);
    there.session = browser.session.clone();
    there
}

#[tokio::test]
async fn a_session_is_read_from_memory_and_ending_it_anywhere_ends_it_everywhere_within_moments() {
    let a = seeded().await;
    let b = a.another_process().await;
    b.wait_until_listening().await;
    let mut here = Browser::new(&a);
    assert_eq!(here.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    let mut there = same_session_on(&b, &here);
    assert!(!there.viewer("famath").await.is_null(), "process B reads the session from the table");
    let hits = b.sessions.hits();
    assert!(!there.viewer("famath").await.is_null());
    assert!(b.sessions.hits() > hits, "process B answered from memory");

    // Signing out through process A ends the session that process B keeps in memory.
    assert_eq!(here.call("auth/sign_out", &[]).await.0, StatusCode::OK);
    within_moments("process B still lets the signed-out session in", async || !there.viewer("famath").await.is_null())
        .await;

    // So does a session row removed by hand (an operator ending every session), heard only through the trigger.
    let mut here = Browser::new(&a);
    assert_eq!(here.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    let mut there = same_session_on(&b, &here);
    assert!(!there.viewer("famath").await.is_null());
    assert!(!there.viewer("famath").await.is_null());
    let admin = sqlx::PgPool::connect(&a.database.superuser_url).await.unwrap();
    sqlx::query("delete from sessions").execute(&admin).await.unwrap();
    within_moments("process B still lets a deleted session in", async || !there.viewer("famath").await.is_null()).await;
    assert!(here.viewer("famath").await.is_null(), "process A forgot it too");
}
