//! The SSRF guard on URLs that came from outside: media links pointing at our own network are never fetched
//! (refused before any connection, or at connect time for a name that resolves to a private address), and what a
//! media host answers never lands in a job's `last_error` or an event's outcome.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{Router, http::StatusCode, routing::get};
use serde_json::json;
use server::{
    files::FileStore,
    integrations::outbound::{
        AllowedHost, FetchError, FetchPolicy, GuardedClient, Origin, OutboundSettings, RetrySettings, guard::Refusal,
    },
    test_support::TestServer,
};

use crate::webhooks::{count, eventually, png, provisioned_tenant, tempdir, worker, zapi_registry};

/// A TCP port on loopback that counts every connection made to it (the "internal service" an attacker aims at).
async fn canary() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (port, hits)
}

fn client(policy: FetchPolicy) -> GuardedClient {
    let settings = OutboundSettings {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(3),
        retry: RetrySettings { max_attempts: 1, ..RetrySettings::default() },
        ..OutboundSettings::default()
    };
    GuardedClient::new("guard_test", settings, policy).unwrap()
}

#[tokio::test]
async fn urls_aimed_at_our_own_network_are_refused_before_any_connection() {
    let (port, hits) = canary().await;
    // The allowlist even names `localhost` on the canary's port: the name passes, its addresses do not.
    let hosts = AllowedHost::parse_list(&format!("f004.backblazeb2.com, localhost:{port}")).unwrap();
    let guarded = client(FetchPolicy { hosts, allow_origins: Vec::new() });
    // (URL, the refusal expected before any network; `None`: refused at connect time by the resolver).
    let cases: Vec<(String, Option<Refusal>)> = vec![
        (format!("https://127.0.0.1:{port}/media"), Some(Refusal::AddressLiteral)),
        (format!("http://127.0.0.1:{port}/media"), Some(Refusal::NotHttps)),
        ("https://10.0.0.1/media".into(), Some(Refusal::AddressLiteral)),
        ("https://169.254.169.254/latest/meta-data/".into(), Some(Refusal::AddressLiteral)),
        (format!("https://[::1]:{port}/media"), Some(Refusal::AddressLiteral)),
        ("https://[fd00:ec2::254]/latest".into(), Some(Refusal::AddressLiteral)),
        ("http://f004.backblazeb2.com/file/x.jpeg".into(), Some(Refusal::NotHttps)),
        ("https://evil.example.net/file/x.jpeg".into(), Some(Refusal::HostNotAllowed)),
        // On the allowlist, but `localhost` resolves to loopback.
        (format!("https://localhost:{port}/media"), None),
    ];
    for (url, expected) in cases {
        let error = guarded.get(&url).await.expect_err(&url);
        match expected {
            Some(refusal) => assert!(matches!(error, FetchError::Refused(r) if r == refusal), "{url}: {error:?}"),
            None => assert!(matches!(error, FetchError::RefusedAddress(_)), "{url}: {error:?}"),
        }
        assert!(!error.is_transient(), "{url}: a refusal is not retried");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing ever connected to the internal port");

    // The canary does count: the same port fetched as an allowed origin (how the fakes are reached) connects.
    let origin = format!("http://127.0.0.1:{port}");
    let fake_allowed = client(FetchPolicy { hosts: Vec::new(), allow_origins: vec![Origin::parse(&origin).unwrap()] });
    let _ = fake_allowed.get(&format!("{origin}/media")).await;
    assert!(hits.load(Ordering::SeqCst) >= 1);
}

/// A media host that answers an error with a body that must not be copied anywhere.
async fn failing_host(status: StatusCode) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new()
        .route("/media/doc.png", get(move || async move { (status, "SECRET-BODY internal stack trace at /srv/app") }));
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn refused_and_failed_media_fetches_keep_the_host_answer_out_of_errors() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let tenant = hooks.tenant_id;
    let (port, hits) = canary().await;
    let missing = failing_host(StatusCode::NOT_FOUND).await;
    let broken = failing_host(StatusCode::INTERNAL_SERVER_ERROR).await;
    let messages = [
        ("M-INTERNAL", format!("http://127.0.0.1:{port}/admin")),
        ("M-METADATA", "https://169.254.169.254/latest/meta-data/iam".to_owned()),
        ("M-MISSING", format!("{missing}/media/doc.png")),
        ("M-BROKEN", format!("{broken}/media/doc.png")),
    ];
    let client = reqwest::Client::new();
    for (id, url) in &messages {
        let message = json!({"type": "ReceivedCallback", "messageId": id, "phone": "5511988887777",
                             "image": {"imageUrl": url, "mimeType": "image/png"}});
        let response = client.post(hooks.zapi_webhook_url("agent")).json(&message).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    let dir = tempdir();
    let files = FileStore::new(&dir, FileStore::DEFAULT_MAX_BYTES);
    // Two hosts stand in for Z-API's storage (allowed origins); the canary and the metadata address are not.
    let registry = {
        let policy = FetchPolicy {
            hosts: Vec::new(),
            allow_origins: vec![Origin::parse(&missing).unwrap(), Origin::parse(&broken).unwrap()],
        };
        let media = GuardedClient::new("zapi_media", OutboundSettings::default(), policy).unwrap();
        server::jobs::Registry::new().register(server::webhooks::ZapiInboundHandler { media, files })
    };
    let running = worker(&server.pool, registry);
    eventually("three events processed and the broken host's job retrying", || async {
        count(&server.pool, tenant, "select count(*) from webhook_events where processed_at is not null").await == 3
            && count(&server.pool, tenant, "select count(*) from jobs where last_error is not null").await == 1
    })
    .await;
    running.shutdown().await;

    assert_eq!(hits.load(Ordering::SeqCst), 0, "the internal port was never reached");
    let mut tx = app::platform::tenancy::TenantTx::begin(&server.pool, tenant).await.unwrap();
    let outcomes: Vec<String> =
        sqlx::query_scalar("select outcome from webhook_events where outcome is not null order by subject_id")
            .fetch_all(tx.conn())
            .await
            .unwrap();
    let last_error: String = sqlx::query_scalar("select last_error from jobs where last_error is not null")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    drop(tx);
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    assert!(outcomes.iter().all(|outcome| outcome.starts_with("media not copied")), "{outcomes:?}");
    assert!(outcomes.iter().any(|outcome| outcome.contains("404")), "{outcomes:?}");
    assert!(last_error.contains("500"), "{last_error}");
    for text in outcomes.iter().chain([&last_error]) {
        assert!(!text.contains("SECRET-BODY"), "the host's answer was copied: {text}");
    }
    assert_eq!(count(&server.pool, tenant, "select count(*) from stored_files").await, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_slow_media_host_holds_no_pooled_connection_during_the_download() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let tenant = hooks.tenant_id;
    let requested = Arc::new(AtomicUsize::new(0));
    let seen = requested.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = format!("http://{}", listener.local_addr().unwrap());
    let router = Router::new().route(
        "/media/doc.png",
        get(move || async move {
            seen.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(3)).await;
            png()
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    let message = json!({"type": "ReceivedCallback", "messageId": "M-SLOW", "phone": "5511988887777",
                         "image": {"imageUrl": format!("{host}/media/doc.png"), "mimeType": "image/png"}});
    let response = reqwest::Client::new().post(hooks.zapi_webhook_url("agent")).json(&message).send().await.unwrap();
    assert_eq!(response.status(), 200);

    let dir = tempdir();
    let files = FileStore::new(&dir, FileStore::DEFAULT_MAX_BYTES);
    let running = worker(&server.pool, zapi_registry(&files, &host));
    eventually("the download started", || async { requested.load(Ordering::SeqCst) > 0 }).await;
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let idle: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity
              where datname = current_database() and state like 'idle in transaction%'",
        )
        .fetch_one(&server.pool)
        .await
        .unwrap();
        assert_eq!(idle, 0, "a transaction is held open across the download");
    }
    eventually("the media copied", || async {
        count(&server.pool, tenant, "select count(*) from inbound_messages where media_file_id is not null").await == 1
    })
    .await;
    running.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
