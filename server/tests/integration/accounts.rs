//! Sign-in, sessions, roles, CSRF, rate limits, sign-up and user management through the real HTTP surface.

use reqwest::StatusCode;
use server::{database::seed, test_support::TestServer};

use crate::browser::{Browser, DEMO_PASSWORD};

async fn seeded() -> TestServer {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    server
}

async fn audit_actions(server: &TestServer) -> Vec<String> {
    // Through the superuser: the audit log of every tenant at once.
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    sqlx::query_scalar("select action from audit_log order by at, id").fetch_all(&admin).await.unwrap()
}

#[tokio::test]
async fn each_role_signs_in_to_its_home_and_the_session_id_changes_at_sign_in() {
    let server = seeded().await;
    for (email, home) in [
        ("dona@famath.example", "/famath/painel"),
        ("secretaria@famath.example", "/famath/painel"),
        ("consultora@famath.example", "/famath/crm"),
        ("joao@famath.example", "/famath/portal"),
    ] {
        let mut browser = Browser::new(&server);
        let (status, body) = browser.sign_in("famath", email, DEMO_PASSWORD).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, Some(home)), "{email}");
        assert_eq!(browser.viewer("famath").await["email"], email);
        assert!(browser.viewer("credvale").await.is_null(), "signed in to famath is nobody at credvale");
    }

    // Session fixation: a session id held before sign-in is not the one after it, and the old one is dead.
    let mut browser = Browser::new(&server);
    browser.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    let before = browser.session.clone().expect("a session cookie");
    browser.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let after = browser.session.clone().expect("a session cookie");
    assert_ne!(before, after, "the session id is cycled at sign-in");
    let mut planted = Browser::new(&server);
    planted.session = Some(before);
    assert!(planted.viewer("famath").await.is_null(), "the pre-sign-in id no longer opens a session");
    assert_eq!(browser.viewer("famath").await["role"], "staff");

    // Sign-out ends it.
    let (status, body) = browser.call("auth/sign_out", &[]).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, Some("/famath/entrar")));
    assert!(browser.viewer("famath").await.is_null());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_lax_and_secure_when_configured() {
    for secure in [false, true] {
        let config =
            server::config::Config::from_lookup(|name| (name == "ATRIUM_SECURE_COOKIES").then(|| secure.to_string()))
                .unwrap();
        let server = TestServer::start_with(config, |router| router).await;
        seed::seed_if_empty(&server.pool).await.unwrap();
        let response = reqwest::Client::new()
            .post(format!("{}/api/auth/sign_in", server.url))
            .header("origin", &server.url)
            .form(&[("tenant", "famath"), ("email", "dona@famath.example"), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("atrium_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert_eq!(cookie.contains("Secure"), secure, "{cookie}");
        server.stop().await.unwrap();
    }
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_with_the_owasp_parameters() {
    let server = seeded().await;
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let hashes: Vec<String> = sqlx::query_scalar("select password_hash from users").fetch_all(&admin).await.unwrap();
    assert_eq!(hashes.len(), 8);
    assert!(hashes.iter().all(|hash| hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")), "{hashes:?}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_form_error_and_audited() {
    let server = seeded().await;
    let mut browser = Browser::new(&server);
    let (status, body) = browser.sign_in("famath", "dona@famath.example", "not-the-password").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["kind"], "validation");
    assert_eq!(body["field"], "form");
    assert_eq!(body["message"], "E-mail ou senha incorretos.");
    // The same answer for an e-mail nobody has: no hint about who has an account.
    let (_, unknown) = browser.sign_in("famath", "ninguem@famath.example", "not-the-password").await;
    assert_eq!(unknown, body);
    // The other tenant's people cannot sign in here.
    let (status, _) = browser.sign_in("famath", "dono@credvale.example", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = browser.sign_in("nao-existe", "dona@famath.example", DEMO_PASSWORD).await;
    assert_eq!((status, body["kind"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    assert!(browser.session.is_none());
    assert_eq!(audit_actions(&server).await.iter().filter(|a| *a == "auth.sign_in_failed").count(), 3);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn errors_come_in_the_language_the_person_chose() {
    let server = seeded().await;
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/sign_in", server.url))
        .header("origin", &server.url)
        .header("cookie", "atrium_lang=en")
        .form(&[("tenant", "famath"), ("email", "dona@famath.example"), ("password", "nope")])
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["message"], "Wrong e-mail or password.");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_email_with_a_clear_message() {
    let server = seeded().await;
    let mut browser = Browser::new(&server);
    for _ in 0..5 {
        let (status, _) = browser.sign_in("famath", "dona@famath.example", "guess").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The sixth try is refused even with the right password.
    let (status, body) = browser.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["kind"], "limit_reached");
    let message = body["message"].as_str().unwrap();
    assert!(message.starts_with("Muitas tentativas de entrar.") && message.contains("minutos"), "{message}");
    assert!(browser.session.is_none());
    // Another person is not locked out by it.
    let (status, _) = browser.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_address() {
    let config =
        server::config::Config::from_lookup(|name| (name == "ATRIUM_SIGNIN_ATTEMPTS_PER_IP").then(|| "3".to_string()))
            .unwrap();
    let server = TestServer::start_with(config, |router| router).await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut browser = Browser::new(&server);
    for email in ["a@famath.example", "b@famath.example", "c@famath.example"] {
        assert_eq!(browser.sign_in("famath", email, "guess").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(browser.sign_in("famath", "d@famath.example", "guess").await.0, StatusCode::TOO_MANY_REQUESTS);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn state_changing_requests_from_another_origin_are_refused_and_change_nothing() {
    let server = seeded().await;
    let mut browser = Browser::new(&server);
    browser.origin = "http://evil.example".into();
    let (status, _) = browser.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(browser.session.is_none());
    assert!(audit_actions(&server).await.is_empty(), "nothing was written");

    // A signed-in owner lured to another site cannot be made to invite someone.
    let mut owner = Browser::new(&server);
    owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    owner.origin = "http://evil.example".into();
    let (status, _) = owner
        .call(
            "users/invite",
            &[("form[name]", "Intrusa"), ("form[email]", "intrusa@x.example"), ("form[role]", "owner")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A browser that says the request is cross-site, without an Origin, is refused too.
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/sign_out", server.url))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    owner.origin = server.url.clone();
    let (_, users) = owner.call("users/list", &[]).await;
    assert_eq!(users.as_array().unwrap().len(), 4, "no one was added");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_student_calling_an_owner_or_staff_server_function_is_forbidden() {
    let server = seeded().await;
    let mut student = Browser::new(&server);
    student.sign_in("famath", "joao@famath.example", DEMO_PASSWORD).await;
    for endpoint in ["users/list", "users/count", "audit/latest"] {
        let (status, body) = student.call(endpoint, &[]).await;
        assert_eq!((status, body["kind"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{endpoint}");
    }
    let mut staff = Browser::new(&server);
    staff.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    assert_eq!(staff.call("users/count", &[]).await.0, StatusCode::OK);
    assert_eq!(staff.call("users/list", &[]).await.0, StatusCode::FORBIDDEN, "people are the owner's");
    let mut nobody = Browser::new(&server);
    assert_eq!(nobody.call("users/count", &[]).await.0, StatusCode::FORBIDDEN);
    server.stop().await.unwrap();
}

fn sign_up_form<'a>(slug: &'a str, email: &'a str, password: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[organization]", "Colégio Horizonte"),
        ("form[slug]", slug),
        ("form[plan]", "professional"),
        ("form[name]", "Helena Prado"),
        ("form[email]", email),
        ("form[password]", password),
    ]
}

#[tokio::test]
async fn an_organization_signs_up_and_bad_input_names_the_field_and_writes_nothing() {
    let server = seeded().await;
    let mut browser = Browser::new(&server);
    for (form, field) in [
        (sign_up_form("horizonte", "helena@", "uma senha bem longa"), "email"),
        (sign_up_form("horizonte", "helena@horizonte.example", "curta"), "password"),
        (sign_up_form("famath", "helena@horizonte.example", "uma senha bem longa"), "slug"),
        (sign_up_form("cadastro", "helena@horizonte.example", "uma senha bem longa"), "slug"),
        (sign_up_form("Não Vale", "helena@horizonte.example", "uma senha bem longa"), "slug"),
    ] {
        let (status, body) = browser.call("tenancy/sign_up", &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["field"], field, "{body}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let tenants: i64 = sqlx::query_scalar("select count(*) from tenants").fetch_one(&admin).await.unwrap();
    assert_eq!(tenants, 2, "nothing written");

    let (status, body) = browser
        .call("tenancy/sign_up", &sign_up_form("horizonte", "Helena@Horizonte.example", "uma senha bem longa"))
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, Some("/horizonte/painel")), "{body}");
    let viewer = browser.viewer("horizonte").await;
    assert_eq!(viewer["role"], "owner");
    assert_eq!(viewer["email"], "helena@horizonte.example");
    assert_eq!(viewer["tenant"]["plan"], "professional");
    assert_eq!(viewer["tenant"]["modules"], serde_json::json!({ "enrollment": true, "crm": true, "finance": true }));
    let (_, entries) = browser.call("audit/latest", &[]).await;
    assert_eq!(entries[0]["action"], "tenant.signed_up");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_owner_invites_changes_roles_and_deactivates_and_every_change_is_audited() {
    let server = seeded().await;
    let mut owner = Browser::new(&server);
    owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    let (status, invited) = owner
        .call(
            "users/invite",
            &[("form[name]", "Rita Gomes"), ("form[email]", "Rita@Famath.example"), ("form[role]", "staff")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{invited}");
    assert_eq!(invited["invitation_pending"], true);
    let (status, again) = owner
        .call(
            "users/invite",
            &[("form[name]", "Rita 2"), ("form[email]", "rita@famath.example"), ("form[role]", "staff")],
        )
        .await;
    assert_eq!((status, again["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("email")), "{again}");

    // Rita follows the link from her e-mail and chooses a password; she is signed in as staff.
    let mail = server.mails.lock().unwrap().last().cloned().unwrap();
    assert_eq!(mail.to, "rita@famath.example");
    let token = mail.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let mut rita = Browser::new(&server);
    let (status, link) = rita.call("auth/password_link", &[("tenant", "famath"), ("token", &token)]).await;
    assert_eq!((status, link["invitation"].as_bool()), (StatusCode::OK, Some(true)), "{link}");
    let (status, weak) =
        rita.call("auth/set_password", &[("tenant", "famath"), ("token", &token), ("new_password", "123")]).await;
    assert_eq!((status, weak["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("new_password")));
    let (status, home) = rita
        .call("auth/set_password", &[("tenant", "famath"), ("token", &token), ("new_password", "rita escolheu esta")])
        .await;
    assert_eq!((status, home.as_str()), (StatusCode::OK, Some("/famath/painel")), "{home}");
    let (status, _) = rita
        .call("auth/set_password", &[("tenant", "famath"), ("token", &token), ("new_password", "outra senha qualquer")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a link works once");

    // A role change ends Rita's session; deactivation stops her from signing in.
    let id = invited["id"].as_str().unwrap().to_string();
    let (status, changed) = owner.call("users/role", &[("user_id", &id), ("role", "consultant")]).await;
    assert_eq!((status, changed["role"].as_str()), (StatusCode::OK, Some("consultant")));
    assert!(rita.viewer("famath").await.is_null(), "her old session ended with the role change");
    let (status, _) = owner.call("users/active", &[("user_id", &id), ("active", "false")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        rita.sign_in("famath", "rita@famath.example", "rita escolheu esta").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The owner cannot lock themselves out.
    let (_, me) = owner.viewer("famath").await.get("user_id").map(|id| ((), id.clone())).unwrap();
    let (status, body) = owner.call("users/active", &[("user_id", me.as_str().unwrap()), ("active", "false")]).await;
    assert_eq!((status, body["kind"].as_str()), (StatusCode::CONFLICT, Some("conflict")));

    let (_, entries) = owner.call("audit/latest", &[]).await;
    let actions: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for expected in ["user.invited", "user.invitation_accepted", "user.role_changed", "user.deactivated"] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_password_reset_link_replaces_the_password_once() {
    let server = seeded().await;
    let mut browser = Browser::new(&server);
    let (status, _) =
        browser.call("auth/request_reset", &[("tenant", "famath"), ("email", "joao@famath.example")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) =
        browser.call("auth/request_reset", &[("tenant", "famath"), ("email", "ninguem@famath.example")]).await;
    assert_eq!(status, StatusCode::OK, "the same answer for an unknown e-mail");
    let mails = server.mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1, "but only a real account gets a link");
    let link = mails[0].body.lines().find(|line| line.contains("/famath/redefinir-senha?token=")).unwrap().to_string();
    assert!(link.starts_with(&server.url), "{link}");
    let token = link.split("token=").nth(1).unwrap();

    let (status, home) = browser
        .call("auth/set_password", &[("tenant", "famath"), ("token", token), ("new_password", "joao trocou a senha")])
        .await;
    assert_eq!((status, home.as_str()), (StatusCode::OK, Some("/famath/portal")));
    let mut other = Browser::new(&server);
    assert_eq!(other.sign_in("famath", "joao@famath.example", DEMO_PASSWORD).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.sign_in("famath", "joao@famath.example", "joao trocou a senha").await.0, StatusCode::OK);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let server = seeded().await;
    let mut here = Browser::new(&server);
    let mut there = Browser::new(&server);
    here.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    there.sign_in("famath", "secretaria@famath.example", DEMO_PASSWORD).await;
    let (status, body) =
        here.call("auth/change_password", &[("current", "errada"), ("new_password", "nova senha longa")]).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("current")));
    let (status, body) =
        here.call("auth/change_password", &[("current", DEMO_PASSWORD), ("new_password", "nova senha longa")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(here.viewer("famath").await["email"], "secretaria@famath.example");
    assert!(there.viewer("famath").await.is_null());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_sign_in_flood_queues_on_the_hashing_pool_while_other_requests_are_served() {
    let server = seeded().await;
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut flood = tokio::task::JoinSet::new();
    for n in 0..30 {
        let (url, finished) = (server.url.clone(), finished.clone());
        flood.spawn(async move {
            let response = reqwest::Client::new()
                .post(format!("{url}/api/auth/sign_in"))
                .header("origin", &url)
                .form(&[("tenant", "famath"), ("email", &format!("flood{n}@famath.example")), ("password", "guess")])
                .send()
                .await
                .unwrap();
            finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            response.status()
        });
    }
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    // Each attempt costs an argon2id hash; only one per core runs at a time, on the blocking pool. The async
    // workers stay free, so pages and health checks are answered while the attempts wait their turn.
    let health = reqwest::get(format!("{}/healthz", server.url)).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let page = reqwest::get(format!("{}/famath/entrar", server.url)).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let done_when_served = finished.load(std::sync::atomic::Ordering::SeqCst);
    assert!(done_when_served < 30, "the other requests waited for the whole flood ({done_when_served} done)");
    while let Some(status) = flood.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_forged_host_header_cannot_redirect_reset_links() {
    let server = seeded().await;
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/request_reset", server.url))
        .header("host", "evil.example")
        .form(&[("tenant", "famath"), ("email", "joao@famath.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mail = server.mails.lock().unwrap().last().cloned().unwrap();
    assert!(!mail.body.contains("evil.example"), "{}", mail.body);
    assert!(mail.body.contains(&format!("{}/famath/redefinir-senha?token=", server.url)), "{}", mail.body);
    server.stop().await.unwrap();
}
