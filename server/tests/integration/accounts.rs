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
    let hashes: Vec<String> = sqlx::query_scalar("select password_hash from users where password_hash is not null")
        .fetch_all(&admin)
        .await
        .unwrap();
    // Every demo person who signs in: the staff of both tenants, João, Helena (an enrolled applicant), and Fernanda
    // and Gustavo (who still have to pay).
    assert_eq!(hashes.len(), 11);
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
async fn only_failed_sign_ins_count_and_a_right_password_after_four_wrong_ones_gets_in() {
    let server = seeded().await;
    let mut browser = Browser::new(&server);
    for _ in 0..8 {
        assert_eq!(browser.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    }
    for _ in 0..4 {
        assert_eq!(browser.sign_in("famath", "dona@famath.example", "guess").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(browser.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn reset_requests_in_someones_name_never_lock_them_out_of_signing_in() {
    let server = seeded().await;
    let mut stranger = Browser::new(&server);
    let mut limited = None;
    for _ in 0..10 {
        let (status, body) =
            stranger.call("auth/request_reset", &[("tenant", "famath"), ("email", "dona@famath.example")]).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(body);
        }
    }
    let limited = limited.expect("reset requests have a limit of their own");
    assert!(limited["message"].as_str().unwrap().starts_with("Muitos pedidos de redefinição"), "{limited}");
    let mut dona = Browser::new(&server);
    assert_eq!(dona.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    server.stop().await.unwrap();
}

/// Signs in as `email` with a wrong password, the request coming through a proxy that says the client is `client`.
async fn failed_sign_in_from(server: &TestServer, client: &str, email: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{}/api/auth/sign_in", server.url))
        .header("origin", &server.url)
        .header("x-forwarded-for", client)
        .form(&[("tenant", "famath"), ("email", email), ("password", "guess")])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_address_limit() {
    let config = server::config::Config::from_lookup(|name| match name {
        "ATRIUM_SIGNIN_ATTEMPTS_PER_IP" => Some("2".into()),
        "ATRIUM_TRUSTED_PROXIES" => Some("127.0.0.0/8".into()),
        _ => None,
    })
    .unwrap();
    let server = TestServer::start_with(config, |router| router).await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    // Two people behind the same load balancer (the TCP peer is always 127.0.0.1).
    for n in 0..2 {
        let status = failed_sign_in_from(&server, "198.51.100.1", &format!("a{n}@famath.example")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(failed_sign_in_from(&server, "198.51.100.1", "a9@famath.example").await, StatusCode::TOO_MANY_REQUESTS);
    // The other client is not locked out by the first one, and a forged left-most hop changes nothing.
    assert_eq!(
        failed_sign_in_from(&server, "198.51.100.1, 198.51.100.2", "b0@famath.example").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        failed_sign_in_from(&server, "203.0.113.5, 198.51.100.1", "b1@famath.example").await,
        StatusCode::TOO_MANY_REQUESTS,
        "the right-most untrusted hop is the client"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_forged_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let config =
        server::config::Config::from_lookup(|name| (name == "ATRIUM_SIGNIN_ATTEMPTS_PER_IP").then(|| "2".to_string()))
            .unwrap();
    let server = TestServer::start_with(config, |router| router).await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    for (n, forged) in ["198.51.100.1", "198.51.100.2"].into_iter().enumerate() {
        let status = failed_sign_in_from(&server, forged, &format!("a{n}@famath.example")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(failed_sign_in_from(&server, "198.51.100.3", "a9@famath.example").await, StatusCode::TOO_MANY_REQUESTS);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn organization_sign_up_is_rate_limited_per_address() {
    let config =
        server::config::Config::from_lookup(|name| (name == "ATRIUM_SIGNUPS_PER_IP").then(|| "1".to_string())).unwrap();
    let server = TestServer::start_with(config, |router| router).await;
    let mut browser = Browser::new(&server);
    let (status, body) = browser
        .call("tenancy/sign_up", &sign_up_form("horizonte", "helena@horizonte.example", "uma senha bem longa"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) =
        browser.call("tenancy/sign_up", &sign_up_form("aurora", "helena@aurora.example", "uma senha bem longa")).await;
    assert_eq!((status, body["kind"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("limit_reached")), "{body}");
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let tenants: i64 = sqlx::query_scalar("select count(*) from tenants").fetch_one(&admin).await.unwrap();
    assert_eq!(tenants, 1);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let server = seeded().await;
    let mailer = server.mail_worker();
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let mut dona = Browser::new(&server);
    dona.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    let (_, invited) = dona
        .call(
            "users/invite",
            &[("form[name]", "Olga Reis"), ("form[email]", "olga@famath.example"), ("form[role]", "owner")],
        )
        .await;
    let token = link_token(&server, "olga@famath.example", 1).await;
    let mut olga = Browser::new(&server);
    let (status, _) = olga
        .call("auth/set_password", &[("tenant", "famath"), ("token", &token), ("new_password", "olga escolheu esta")])
        .await;
    assert_eq!(status, StatusCode::OK);
    let olga_id = invited["id"].as_str().unwrap().to_string();
    let dona_id = dona.viewer("famath").await["user_id"].as_str().unwrap().to_string();

    // Several rounds: without a lock per tenant, two demotions at once each see the other as the owner who stays.
    for round in 0..6 {
        sqlx::query("update users set role = 'owner' where email in ('dona@famath.example', 'olga@famath.example')")
            .execute(&admin)
            .await
            .unwrap();
        assert_eq!(dona.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
        assert_eq!(olga.sign_in("famath", "olga@famath.example", "olga escolheu esta").await.0, StatusCode::OK);
        let demote_olga = [("user_id", olga_id.as_str()), ("role", "staff")];
        let demote_dona = [("user_id", dona_id.as_str()), ("role", "staff")];
        let (a, b) = tokio::join!(dona.call("users/role", &demote_olga), olga.call("users/role", &demote_dona));
        let owners: i64 = sqlx::query_scalar(
            "select count(*) from users u join tenants t on t.id = u.tenant_id
              where t.slug = 'famath' and u.role = 'owner' and u.active",
        )
        .fetch_one(&admin)
        .await
        .unwrap();
        assert_eq!(owners, 1, "round {round}: {:?} / {:?}", a.0, b.0);
        // The one who waited is refused: 409 (last owner), or 403 when the other's change already ended its session.
        let refused =
            [a.0, b.0].iter().filter(|status| [StatusCode::CONFLICT, StatusCode::FORBIDDEN].contains(status)).count();
        assert_eq!(refused, 1, "round {round}: {:?} / {:?}", a.0, b.0);
    }
    mailer.shutdown().await;
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
    // The demo data's own entries (staff moves of the enrollment demo) are there before anyone acts.
    let seeded_entries = audit_actions(&server).await;
    let mut browser = Browser::new(&server);
    browser.origin = "http://evil.example".into();
    let (status, _) = browser.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(browser.session.is_none());
    assert_eq!(audit_actions(&server).await, seeded_entries, "nothing was written");

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
    // A browser that says the request is cross-site, without an Origin, is refused too: the owner's own cookie
    // rides along (as it would from another site), and the owner is still signed in afterwards.
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/sign_out", server.url))
        .header("sec-fetch-site", "cross-site")
        .header("cookie", format!("atrium_session={}", owner.session.clone().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    owner.origin = server.url.clone();
    assert_eq!(owner.viewer("famath").await["email"], "dona@famath.example", "the cross-site sign-out did nothing");
    let (_, users) = owner.call("users/list", &[]).await;
    let emails: Vec<&str> = users.as_array().unwrap().iter().map(|user| user["email"].as_str().unwrap()).collect();
    assert!(!emails.contains(&"intrusa@x.example"), "no one was added: {emails:?}");
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

/// The sign-up form as a crafted request would send it: with a paid plan named, which the server ignores.
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
    assert_eq!(viewer["tenant"]["plan"], "starter", "a crafted request naming a paid plan still starts on starter");
    assert_eq!(viewer["tenant"]["modules"], serde_json::json!({ "enrollment": true, "crm": true, "finance": true }));
    let (_, entries) = browser.call("audit/latest", &[]).await;
    assert_eq!(entries[0]["action"], "tenant.signed_up");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_owner_invites_changes_roles_and_deactivates_and_every_change_is_audited() {
    let server = seeded().await;
    let mailer = server.mail_worker();
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

    // Rita follows the link from her e-mail (sent by a job) and chooses a password; she is signed in as staff.
    let mail = server.wait_for_mails(1).await.last().cloned().expect("the invitation e-mail");
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
    mailer.shutdown().await;
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_password_reset_answers_the_same_for_known_and_unknown_emails_and_the_link_works_once() {
    let server = seeded().await;
    let mut browser = Browser::new(&server);
    // No worker yet: the answer never waits for an e-mail to go out.
    let known = browser.call("auth/request_reset", &[("tenant", "famath"), ("email", "joao@famath.example")]).await;
    let unknown =
        browser.call("auth/request_reset", &[("tenant", "famath"), ("email", "ninguem@famath.example")]).await;
    assert_eq!(known.0, StatusCode::OK);
    assert_eq!(known, unknown, "the same answer for an unknown e-mail");
    assert!(server.mails.lock().unwrap().is_empty(), "nothing is sent inside the request");
    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let jobs: Vec<serde_json::Value> =
        sqlx::query_scalar("select payload from jobs where kind = 'auth.password_link_mail'")
            .fetch_all(&admin)
            .await
            .unwrap();
    assert_eq!(jobs.len(), 1, "only a real account gets a link: {jobs:?}");
    let tokens: i64 = sqlx::query_scalar("select count(*) from password_tokens").fetch_one(&admin).await.unwrap();
    assert_eq!(tokens, 0, "the link is made by the job, so no secret sits in the job's payload");

    let mailer = server.mail_worker();
    let mails = server.wait_for_mails(1).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
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
    mailer.shutdown().await;
    server.stop().await.unwrap();
}

/// The token of the newest e-mail to `to`, waiting for the job to send it.
async fn link_token(server: &TestServer, to: &str, count: usize) -> String {
    let mails = server.wait_for_mails(count).await;
    let mail = mails.iter().rev().find(|mail| mail.to == to).unwrap_or_else(|| panic!("no e-mail to {to}: {mails:?}"));
    mail.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn a_password_change_or_a_deactivation_voids_every_open_link_of_the_person() {
    let server = seeded().await;
    let mailer = server.mail_worker();
    // João asks for a reset, then changes his password while signed in: the mailed link must die with it.
    let mut joao = Browser::new(&server);
    joao.call("auth/request_reset", &[("tenant", "famath"), ("email", "joao@famath.example")]).await;
    let reset = link_token(&server, "joao@famath.example", 1).await;
    joao.sign_in("famath", "joao@famath.example", DEMO_PASSWORD).await;
    let (status, _) =
        joao.call("auth/change_password", &[("current", DEMO_PASSWORD), ("new_password", "nova senha do joao")]).await;
    assert_eq!(status, StatusCode::OK);
    let mut stranger = Browser::new(&server);
    let (status, _) = stranger.call("auth/password_link", &[("tenant", "famath"), ("token", &reset)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "the reset link outlived the password change");
    let (status, _) = stranger
        .call("auth/set_password", &[("tenant", "famath"), ("token", &reset), ("new_password", "senha do intruso")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // An invited person deactivated and reactivated: the old invitation does not come back to life.
    let mut owner = Browser::new(&server);
    owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await;
    let (_, invited) = owner
        .call(
            "users/invite",
            &[("form[name]", "Bia Lopes"), ("form[email]", "bia@famath.example"), ("form[role]", "staff")],
        )
        .await;
    let invitation = link_token(&server, "bia@famath.example", 2).await;
    let id = invited["id"].as_str().unwrap().to_string();
    assert_eq!(owner.call("users/active", &[("user_id", &id), ("active", "false")]).await.0, StatusCode::OK);
    assert_eq!(owner.call("users/active", &[("user_id", &id), ("active", "true")]).await.0, StatusCode::OK);
    let (status, _) = stranger.call("auth/password_link", &[("tenant", "famath"), ("token", &invitation)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "the invitation link outlived the deactivation");
    mailer.shutdown().await;
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

/// A flood of sign-ins on a small pool: each attempt costs an argon2id hash, computed on the blocking pool behind a
/// semaphore and with no database connection held. So while every hashing slot is busy and the rest of the flood
/// waits its turn, health checks and signed-in pages are answered at once: not after the flood, not after a pool
/// timeout. Would fail with hashing inline on the async workers (they block, and the slots never show as full
/// from here), without the semaphore (more hashes at once than slots), or with a connection held while hashing
/// (the pool of 2 is taken by waiting sign-ins and `/readyz` times out).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_flood_waits_for_hashing_slots_while_health_checks_and_pages_are_served() {
    use app::platform::auth::{PasswordHasher, PasswordHashing};
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };
    use std::time::{Duration, Instant};

    const SLOTS: usize = 2;
    const FLOOD: usize = 40;
    let hasher = PasswordHasher::new(PasswordHashing { concurrency: SLOTS, queue_timeout: Duration::from_secs(120) });
    let config = server::config::Config::from_lookup(|_| None).unwrap();
    let for_state = hasher.clone();
    let server =
        TestServer::start_custom(config, 2, move |state| state.context.passwords = for_state, |router| router).await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let mut owner = Browser::new(&server);
    assert_eq!(owner.sign_in("famath", "dona@famath.example", DEMO_PASSWORD).await.0, StatusCode::OK);
    let cookie = format!("atrium_session={}", owner.session.clone().unwrap());

    // One hash's time on this machine right now (the slowest of three).
    let mut one_hash = Duration::ZERO;
    for _ in 0..3 {
        let started = Instant::now();
        hasher.verify("not the password".into(), None).await.unwrap();
        one_hash = one_hash.max(started.elapsed());
    }

    let finished = Arc::new(AtomicUsize::new(0));
    let mut flood = tokio::task::JoinSet::new();
    for n in 0..FLOOD {
        let (url, finished) = (server.url.clone(), finished.clone());
        flood.spawn(async move {
            let response = reqwest::Client::new()
                .post(format!("{url}/api/auth/sign_in"))
                .header("origin", &url)
                .form(&[("tenant", "famath"), ("email", &format!("flood{n}@famath.example")), ("password", "guess")])
                .send()
                .await
                .unwrap();
            finished.fetch_add(1, Ordering::SeqCst);
            response.status()
        });
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while hasher.running() < SLOTS {
        assert!(Instant::now() < deadline, "the hashing slots never filled up");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }

    // Every slot is busy and most of the flood is waiting: the probe and a page must not wait with it. The probe
    // gets about one hash's time, the page (a debug-build render) a few; the flood as a whole takes 20 hashes' time,
    // and a probe stuck behind a held pool answers 503 after 2 s.
    let hash = one_hash.max(Duration::from_millis(300));
    let (ready_bound, page_bound) = (hash * 2, hash * 4);
    let client = reqwest::Client::new();
    let started = Instant::now();
    let ready = client.get(format!("{}/readyz", server.url)).send().await.unwrap();
    let ready_took = started.elapsed();
    let started = Instant::now();
    let page = client.get(format!("{}/famath/painel", server.url)).header("cookie", &cookie).send().await.unwrap();
    let page_status = page.status();
    let page_html = page.text().await.unwrap();
    let page_took = started.elapsed();
    let done_when_served = finished.load(Ordering::SeqCst);

    assert_eq!(ready.status(), StatusCode::OK, "/readyz during the flood");
    assert_eq!(page_status, StatusCode::OK, "the signed-in page during the flood");
    assert!(page_html.contains("Ana"), "the page is the signed-in owner's home");
    let timings = format!("readyz {ready_took:?}, page {page_took:?}, one hash {one_hash:?}");
    assert!(ready_took < ready_bound && page_took < page_bound, "{timings}");
    assert!(done_when_served < FLOOD / 2, "they waited for the flood ({done_when_served} of {FLOOD} done)");
    while let Some(status) = flood.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert!(hasher.peak() <= SLOTS, "{} hashes ran at once with {SLOTS} slots", hasher.peak());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_forged_host_header_cannot_redirect_reset_links() {
    let server = seeded().await;
    let mailer = server.mail_worker();
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/request_reset", server.url))
        .header("host", "evil.example")
        .form(&[("tenant", "famath"), ("email", "joao@famath.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mail = server.wait_for_mails(1).await.last().cloned().expect("the reset e-mail");
    assert!(!mail.body.contains("evil.example"), "{}", mail.body);
    assert!(mail.body.contains(&format!("{}/famath/redefinir-senha?token=", server.url)), "{}", mail.body);
    mailer.shutdown().await;
    server.stop().await.unwrap();
}
