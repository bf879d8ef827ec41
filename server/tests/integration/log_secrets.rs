//! No secret reaches a log line: webhook path tokens and the Asaas auth token stay out of the JSON log of real
//! deliveries (request spans carry the route template, not the path), and `Debug` of what holds them is redacted.

use std::{
    io::Write,
    sync::{Arc, Mutex, OnceLock},
};

use serde_json::json;
use server::{
    jobs::Registry,
    test_support::TestServer,
    webhooks::{AsaasEventHandler, provision_tenant},
};
use tracing_subscriber::{EnvFilter, layer::SubscriberExt};

use crate::webhooks::{SECRET_HEADER, count, eventually, payment_event, post_asaas, worker};

/// The log as written: JSON lines, in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The part of a webhook URL after `/webhooks/<provider>/`, up to the next `/`.
fn path_token(url: &str, provider: &str) -> String {
    let marker = format!("/webhooks/{provider}/");
    let start = url.find(&marker).unwrap() + marker.len();
    url[start..].split('/').next().unwrap().to_string()
}

/// The process-wide log, captured as JSON lines from the first call on. Global rather than per-thread: tracing
/// caches per call site whether anyone listens, and a thread-local subscriber misses lines whose call site another
/// test's thread registered at the wrong moment. Other tests' lines land here too; they hold none of our tokens.
fn global_log() -> Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        // What production logs, plus everything our crates and the trace layer say at debug.
        let filter = EnvFilter::new("info,sqlx=warn,tower_http=debug,server=debug,app=debug");
        let subscriber =
            tracing_subscriber::registry().with(filter).with(server::telemetry::json_layer(move || writer.clone()));
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber in the tests");
        captured
    })
    .clone()
}

#[tokio::test]
async fn webhook_tokens_never_reach_the_json_log() {
    let captured = global_log();
    let server = TestServer::start().await;
    let tenant = server::test_support::create_tenant(&server.pool, "alfa").await;
    let hooks = provision_tenant(&server.pool, tenant, &server.url, None, "$aact_log_test", &[]).await.unwrap();
    let asaas_token = path_token(&hooks.asaas_webhook_url, "asaas");
    let zapi_token = path_token(&hooks.zapi_webhook_base, "zapi");
    let client = reqwest::Client::new();

    // An Asaas delivery (stored and processed), one with a wrong secret, and one to a path no route matches.
    let event = payment_event("evt_log_1", "PAYMENT_RECEIVED", "pay_log", "RECEIVED", "2026-11-21 10:00:00");
    assert_eq!(post_asaas(&hooks, &event).await, 200);
    let wrong = client.post(&hooks.asaas_webhook_url).header(SECRET_HEADER, "wrong-secret").json(&event);
    assert_eq!(wrong.send().await.unwrap().status(), 401);
    let unmatched = format!("{}/extra", hooks.asaas_webhook_url);
    let unmatched = client.post(&unmatched).header(SECRET_HEADER, &hooks.asaas_auth_token).json(&event);
    assert_eq!(unmatched.send().await.unwrap().status(), 404);
    let running = worker(&server.pool, Registry::new().register(AsaasEventHandler));
    eventually("the payment event processed", || async {
        count(&server.pool, tenant, "select count(*) from jobs where state = 'done'").await == 1
    })
    .await;
    running.shutdown().await;

    // A Z-API delivery, and one to a session that does not exist.
    let message = json!({"type": "ReceivedCallback", "messageId": "3EB0LOG", "phone": "5511988887777",
                         "text": {"message": "oi"}});
    assert_eq!(client.post(hooks.zapi_webhook_url("agent")).json(&message).send().await.unwrap().status(), 200);
    assert_eq!(client.post(hooks.zapi_webhook_url("owner")).json(&message).send().await.unwrap().status(), 404);

    let text = captured.text();
    // The capture works: this test's lines are there (they name its tenant), with the requests' routes.
    let ours: Vec<&str> = text.lines().filter(|line| line.contains(&tenant.to_string())).collect();
    for expected in ["Asaas webhook stored", "Z-API callback stored", "refused an Asaas webhook"] {
        assert!(ours.iter().any(|line| line.contains(expected)), "no `{expected}` line in {ours:#?}");
    }
    assert!(text.contains(r#""route":"/webhooks/asaas/{token}""#), "{text}");
    assert!(text.contains(r#""route":"/webhooks/zapi/{token}/{session}""#), "{text}");
    for (name, secret) in [
        ("Asaas path token", &asaas_token),
        ("Z-API path token", &zapi_token),
        ("Asaas auth token", &hooks.asaas_auth_token),
    ] {
        assert!(secret.len() >= 20, "{name} looks like a token");
        assert!(!text.contains(secret.as_str()), "the {name} is in the log:\n{text}");
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn debug_of_provisioned_settings_shows_no_secret() {
    let server = TestServer::start().await;
    let tenant = server::test_support::create_tenant(&server.pool, "alfa").await;
    let hooks = provision_tenant(&server.pool, tenant, &server.url, None, "$aact_debug_secret", &[]).await.unwrap();
    let shown = format!("{hooks:?}");
    for secret in [
        path_token(&hooks.asaas_webhook_url, "asaas"),
        path_token(&hooks.zapi_webhook_base, "zapi"),
        hooks.asaas_auth_token.clone(),
    ] {
        assert!(!shown.contains(&secret), "{shown}");
    }
}
