//! Webhook intake: refusals write nothing, duplicates are one event and one job, unknown events are acknowledged
//! and processed without effect, Z-API messages are stored once with their media copied, tenants stay apart.

use std::{future::Future, time::Duration};

use app::platform::tenancy::TenantTx;
use axum::{Router, routing::get};
use serde_json::{Value, json};
use server::{
    files::FileStore,
    integrations::outbound::{FetchPolicy, GuardedClient, Origin, OutboundSettings},
    jobs::{Registry, Worker, WorkerHandle, WorkerSettings},
    test_support::{TestServer, create_tenant},
    webhooks::{self, AsaasEventHandler, Provisioned, ZapiInboundHandler},
};
use sqlx::PgPool;
use uuid::Uuid;

pub const SECRET_HEADER: &str = "asaas-access-token";

/// A tenant with webhook settings (no provider is told: the test posts the webhooks itself).
pub async fn provisioned_tenant(server: &TestServer, slug: &str) -> Provisioned {
    let tenant = create_tenant(&server.pool, slug).await;
    webhooks::provision_tenant(&server.pool, tenant, &server.url, None, "$aact_test_key", &[]).await.unwrap()
}

/// A count in the tenant's own view (row-level security applies).
pub async fn count(pool: &PgPool, tenant: Uuid, sql: &str) -> i64 {
    let mut tx = TenantTx::begin(pool, tenant).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(tx.conn()).await.unwrap()
}

pub async fn post_asaas(hooks: &Provisioned, body: &Value) -> u16 {
    reqwest::Client::new()
        .post(&hooks.asaas_webhook_url)
        .header(SECRET_HEADER, &hooks.asaas_auth_token)
        .json(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

pub fn payment_event(id: &str, event: &str, charge: &str, status: &str, at: &str) -> Value {
    json!({
        "id": id, "event": event, "dateCreated": at,
        "payment": {"object": "payment", "id": charge, "customer": "cus_1", "status": status, "value": 150.5,
                    "billingType": "PIX", "dueDate": "2026-12-01", "externalReference": "enrollment-1"}
    })
}

/// A worker running the webhook jobs, polling fast.
pub fn worker(pool: &PgPool, registry: Registry) -> WorkerHandle {
    let settings = WorkerSettings { poll_interval: Duration::from_millis(50), ..WorkerSettings::default() };
    Worker::new(pool.clone(), registry, settings).spawn()
}

pub async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn nothing_written(server: &TestServer, tenant: Uuid) {
    assert_eq!(count(&server.pool, tenant, "select count(*) from webhook_events").await, 0);
    assert_eq!(count(&server.pool, tenant, "select count(*) from jobs").await, 0);
    assert_eq!(count(&server.pool, tenant, "select count(*) from inbound_messages").await, 0);
}

#[tokio::test]
async fn refused_deliveries_write_nothing() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let client = reqwest::Client::new();
    let event = payment_event("evt_1", "PAYMENT_RECEIVED", "pay_1", "RECEIVED", "2026-11-21 10:00:00");

    let wrong = client.post(&hooks.asaas_webhook_url).header(SECRET_HEADER, "not-the-secret").json(&event);
    assert_eq!(wrong.send().await.unwrap().status(), 401, "wrong secret");
    let missing = client.post(&hooks.asaas_webhook_url).json(&event);
    assert_eq!(missing.send().await.unwrap().status(), 401, "no secret");

    // An unknown path token gets the very same answer as a wrong secret.
    for url in [
        format!("{}/webhooks/asaas/{}", server.url, webhooks::new_token()),
        format!("{}/webhooks/asaas/short", server.url),
    ] {
        let response = client.post(&url).header(SECRET_HEADER, &hooks.asaas_auth_token).json(&event).send().await;
        let response = response.unwrap();
        assert_eq!(response.status(), 401, "unknown tenant token");
        assert_eq!(response.text().await.unwrap(), "Não autorizado.");
    }

    let malformed = client
        .post(&hooks.asaas_webhook_url)
        .header(SECRET_HEADER, &hooks.asaas_auth_token)
        .header("content-type", "application/json")
        .body("{\"id\": \"evt_1\", \"event\": ");
    assert_eq!(malformed.send().await.unwrap().status(), 400, "malformed JSON");
    for incomplete in [json!({"event": "PAYMENT_RECEIVED"}), json!({"id": "evt_2"}), json!({"id": "", "event": "X"})] {
        assert_eq!(post_asaas(&hooks, &incomplete).await, 400, "{incomplete}");
    }

    let huge = json!({"id": "evt_3", "event": "PAYMENT_RECEIVED", "padding": "x".repeat(300 * 1024)});
    assert_eq!(post_asaas(&hooks, &huge).await, 413, "over 256 KiB");

    let zapi = format!("{}/webhooks/zapi/{}/agent", server.url, webhooks::new_token());
    let message = json!({"type": "ReceivedCallback", "messageId": "M1", "phone": "5511999990000"});
    assert_eq!(client.post(&zapi).json(&message).send().await.unwrap().status(), 401, "unknown Z-API token");
    let unknown_session = client.post(hooks.zapi_webhook_url("owner")).json(&message).send().await.unwrap();
    assert_eq!(unknown_session.status(), 404);

    nothing_written(&server, hooks.tenant_id).await;
}

#[tokio::test]
async fn a_redelivered_event_is_one_event_and_one_job() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let event = payment_event("evt_dup", "PAYMENT_CONFIRMED", "pay_1", "CONFIRMED", "2026-11-21 10:00:00");
    assert_eq!(post_asaas(&hooks, &event).await, 200);
    let again = futures_util::future::join_all((0..5).map(|_| post_asaas(&hooks, &event))).await;
    assert!(again.iter().all(|status| *status == 200), "{again:?}");
    assert_eq!(count(&server.pool, hooks.tenant_id, "select count(*) from webhook_events").await, 1);
    assert_eq!(count(&server.pool, hooks.tenant_id, "select count(*) from jobs").await, 1);
    let key: String = {
        let mut tx = TenantTx::begin(&server.pool, hooks.tenant_id).await.unwrap();
        sqlx::query_scalar("select idempotency_key from jobs where kind = 'asaas.payment_event'")
            .fetch_one(tx.conn())
            .await
            .unwrap()
    };
    assert_eq!(key, "evt_dup");
}

#[tokio::test]
async fn an_unknown_event_type_is_stored_acknowledged_and_processed_without_effect() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let unknown = json!({"id": "evt_x", "event": "ACCOUNT_STATUS_UPDATED", "dateCreated": "2026-11-21 10:00:00",
                         "accountStatus": {"id": "acc_1", "general": "APPROVED"}});
    assert_eq!(post_asaas(&hooks, &unknown).await, 200);
    // A payment event type we do not apply (a boleto was viewed) is also without effect, payment object or not.
    let viewed = payment_event("evt_v", "PAYMENT_BANK_SLIP_VIEWED", "pay_1", "PENDING", "2026-11-21 10:00:00");
    assert_eq!(post_asaas(&hooks, &viewed).await, 200);

    let worker = worker(&server.pool, Registry::new().register(AsaasEventHandler));
    let tenant = hooks.tenant_id;
    eventually("both events processed", || async {
        count(&server.pool, tenant, "select count(*) from webhook_events where processed_at is not null").await == 2
    })
    .await;
    eventually("both jobs done", || async {
        count(&server.pool, tenant, "select count(*) from jobs where state = 'done'").await == 2
    })
    .await;
    worker.shutdown().await;
    assert_eq!(count(&server.pool, tenant, "select count(*) from payments").await, 0);
    assert_eq!(count(&server.pool, tenant, "select count(*) from payment_events").await, 0);
    let outcomes: Vec<String> = {
        let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
        sqlx::query_scalar("select outcome from webhook_events order by provider_event_id")
            .fetch_all(tx.conn())
            .await
            .unwrap()
    };
    assert!(outcomes.iter().all(|outcome| outcome.starts_with("no effect")), "{outcomes:?}");
}

/// A tiny media host standing in for Z-API's storage.
async fn media_host(bytes: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new().route("/media/doc.png", get(move || async move { bytes.clone() }));
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

pub fn png() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R'];
    bytes.extend((0..2000_u32).map(|n| (n % 251) as u8));
    bytes
}

/// The media job with only `media_origin` (a local stand-in for Z-API's storage) allowed, as start-up allows the
/// in-process fake's origin.
pub fn zapi_registry(files: &FileStore, media_origin: &str) -> Registry {
    let policy = FetchPolicy { hosts: Vec::new(), allow_origins: vec![Origin::parse(media_origin).unwrap()] };
    let media = GuardedClient::new("zapi_media", OutboundSettings::default(), policy).unwrap();
    Registry::new().register(ZapiInboundHandler { media, files: files.clone() })
}

#[tokio::test]
async fn a_whatsapp_message_is_stored_once_and_its_media_copied() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let tenant = hooks.tenant_id;
    let bytes = png();
    let host = media_host(bytes.clone()).await;
    let message = json!({
        "type": "ReceivedCallback", "instanceId": "I1", "messageId": "3EB0C0FFEE", "phone": "5511988887777",
        "fromMe": false, "senderName": "Ana Souza", "momment": 1_790_000_000_000_i64,
        "image": {"imageUrl": format!("{host}/media/doc.png"), "mimeType": "image/png", "caption": "meu RG"}
    });
    let client = reqwest::Client::new();
    let url = hooks.zapi_webhook_url("agent");
    let statuses = futures_util::future::join_all((0..3).map(|_| client.post(&url).json(&message).send())).await;
    assert!(statuses.into_iter().all(|response| response.unwrap().status() == 200));
    let status_callback = json!({"type": "MessageStatusCallback", "status": "READ", "ids": ["3EB0AAAA"],
                                 "momment": 1_790_000_001_000_i64, "phone": "5511988887777"});
    assert_eq!(client.post(&url).json(&status_callback).send().await.unwrap().status(), 200);

    assert_eq!(count(&server.pool, tenant, "select count(*) from inbound_messages").await, 1);
    assert_eq!(count(&server.pool, tenant, "select count(*) from webhook_events").await, 2);
    assert_eq!(count(&server.pool, tenant, "select count(*) from jobs").await, 1, "the status needs no job");

    let dir = tempdir();
    let files = FileStore::new(&dir, FileStore::DEFAULT_MAX_BYTES);
    let worker = worker(&server.pool, zapi_registry(&files, &host));
    eventually("the media copied", || async {
        count(&server.pool, tenant, "select count(*) from inbound_messages where media_file_id is not null").await == 1
    })
    .await;
    worker.shutdown().await;

    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    let (file_id, text, session, phone): (Uuid, String, String, String) =
        sqlx::query_as("select media_file_id, text, session, phone from inbound_messages")
            .fetch_one(tx.conn())
            .await
            .unwrap();
    assert_eq!((text.as_str(), session.as_str(), phone.as_str()), ("meu RG", "agent", "5511988887777"));
    let (mime, stored) = files.read(&mut tx, file_id).await.unwrap().expect("the file");
    assert_eq!(mime, "image/png");
    assert_eq!(stored, bytes, "the bytes are equal");
    let unprocessed: i64 = sqlx::query_scalar("select count(*) from webhook_events where processed_at is null")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    assert_eq!(unprocessed, 0);
    drop(tx);
    let _ = std::fs::remove_dir_all(&dir);
}

pub fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("atrium-files-{}", Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn media_that_is_not_an_accepted_type_is_recorded_and_not_copied() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let host = media_host(b"MZ\x90\x00 a windows program".to_vec()).await;
    let message = json!({"type": "ReceivedCallback", "messageId": "M-EXE", "phone": "5511988887777",
                         "document": {"documentUrl": format!("{host}/media/doc.png"), "fileName": "boleto.pdf"}});
    let response = reqwest::Client::new().post(hooks.zapi_webhook_url("consultant")).json(&message).send().await;
    assert_eq!(response.unwrap().status(), 200);
    let dir = tempdir();
    let files = FileStore::new(&dir, FileStore::DEFAULT_MAX_BYTES);
    let worker = worker(&server.pool, zapi_registry(&files, &host));
    let tenant = hooks.tenant_id;
    eventually("the event processed", || async {
        count(&server.pool, tenant, "select count(*) from webhook_events where processed_at is not null").await == 1
    })
    .await;
    worker.shutdown().await;
    assert_eq!(count(&server.pool, tenant, "select count(*) from stored_files").await, 0);
    assert_eq!(
        count(&server.pool, tenant, "select count(*) from webhook_events where outcome like 'media not copied%'").await,
        1
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn one_tenant_never_sees_another_tenants_events_payments_or_messages() {
    let server = TestServer::start().await;
    let alfa = provisioned_tenant(&server, "alfa").await;
    let beta = provisioned_tenant(&server, "beta").await;
    let event = payment_event("evt_a", "PAYMENT_RECEIVED", "pay_a", "RECEIVED", "2026-11-21 10:00:00");
    assert_eq!(post_asaas(&alfa, &event).await, 200);
    let message =
        json!({"type": "ReceivedCallback", "messageId": "MA", "phone": "5511988887777", "text": {"message": "oi"}});
    let client = reqwest::Client::new();
    assert_eq!(client.post(alfa.zapi_webhook_url("agent")).json(&message).send().await.unwrap().status(), 200);

    // Alfa's path token with beta's secret is refused: a secret belongs to its own tenant only.
    let crossed = client.post(&alfa.asaas_webhook_url).header(SECRET_HEADER, &beta.asaas_auth_token).json(&event);
    assert_eq!(crossed.send().await.unwrap().status(), 401);

    let worker = worker(&server.pool, Registry::new().register(AsaasEventHandler));
    eventually("alfa's payment", || async {
        count(&server.pool, alfa.tenant_id, "select count(*) from payments").await == 1
    })
    .await;
    worker.shutdown().await;

    for table in ["webhook_events", "payments", "payment_events", "inbound_messages", "jobs", "tenant_integrations"] {
        let sql = format!("select count(*) from {table} where tenant_id = '{}'", alfa.tenant_id);
        assert_eq!(count(&server.pool, beta.tenant_id, &sql).await, 0, "beta sees none of alfa's {table}");
        assert!(count(&server.pool, alfa.tenant_id, &sql).await >= 1, "alfa sees its own {table}");
    }
    // Without a tenant, nothing at all.
    for table in
        ["webhook_events", "payments", "inbound_messages", "tenant_integrations", "zapi_sessions", "stored_files"]
    {
        let none: i64 =
            sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(&server.pool).await.unwrap();
        assert_eq!(none, 0, "{table} outside any tenant");
    }
}
