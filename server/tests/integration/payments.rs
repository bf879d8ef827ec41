//! Payment events end to end: replays in any order have exactly one effect, stale events never move a payment
//! backwards, the fake Asaas pays through our endpoint and worker, and reconciliation survives an Asaas outage.

use std::{sync::Arc, time::Duration};

use app::platform::{
    integrations::payment_gateway::{
        BillingType, ChargeStatus, GatewayAccount, GatewayError, NewCharge, NewCustomer, PaymentGateway, Simulation,
    },
    jobs::{EnqueueOptions, enqueue},
    payments::{AppliedOutcome, ChargeSnapshot, EventSource, PaymentEvent, apply_event},
    tenancy::TenantTx,
};
use chrono::{NaiveDate, Utc};
use server::{
    integrations::{
        asaas::{AsaasClient, AsaasSettings, FakeAsaas, FakeMode},
        outbound::{BreakerSettings, CircuitState, OutboundSettings, RetrySettings},
    },
    jobs::{Backoff, JobSettings, Registry},
    test_support::TestServer,
    webhooks::{self, AsaasEventHandler, ReconcileHandler, ReconcileJob},
};
use uuid::Uuid;

use crate::webhooks::{count, eventually, payment_event, post_asaas, provisioned_tenant, worker};

/// One charge's life, oldest first: created, overdue, paid late by card (confirmed, then received).
fn life(charge: &str) -> Vec<serde_json::Value> {
    vec![
        payment_event(&format!("evt_{charge}_1"), "PAYMENT_CREATED", charge, "PENDING", "2026-11-01 09:00:00"),
        payment_event(&format!("evt_{charge}_2"), "PAYMENT_OVERDUE", charge, "OVERDUE", "2026-11-02 00:05:00"),
        payment_event(&format!("evt_{charge}_3"), "PAYMENT_CONFIRMED", charge, "CONFIRMED", "2026-11-03 14:00:00"),
        payment_event(&format!("evt_{charge}_4"), "PAYMENT_RECEIVED", charge, "RECEIVED", "2026-11-05 08:00:00"),
    ]
}

/// Each event three times, shuffled.
fn replays(events: &[serde_json::Value]) -> Vec<serde_json::Value> {
    let mut all: Vec<_> = events.iter().flat_map(|event| [event.clone(), event.clone(), event.clone()]).collect();
    fastrand::shuffle(&mut all);
    all
}

async fn status_of(server: &TestServer, tenant: Uuid, charge: &str) -> Option<String> {
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    sqlx::query_scalar("select status from payments where provider_charge_id = $1")
        .bind(charge)
        .fetch_optional(tx.conn())
        .await
        .unwrap()
}

/// (from, to, applied) of a payment's history, in the order it was written.
async fn history(server: &TestServer, tenant: Uuid, charge: &str) -> Vec<(Option<String>, String, bool)> {
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    sqlx::query_as(
        "select e.from_status, e.to_status, e.applied from payment_events e join payments p on p.id = e.payment_id
          where p.provider_charge_id = $1 order by e.recorded_at, e.id",
    )
    .bind(charge)
    .fetch_all(tx.conn())
    .await
    .unwrap()
}

fn applied(history: &[(Option<String>, String, bool)]) -> Vec<(Option<&str>, &str)> {
    history.iter().filter(|(_, _, applied)| *applied).map(|(from, to, _)| (from.as_deref(), to.as_str())).collect()
}

#[tokio::test]
async fn a_life_replayed_three_times_shuffled_and_concurrently_has_exactly_one_effect() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let tenant = hooks.tenant_id;

    // Delivered while no worker runs (a backlog): the job applies the charge's stored events in provider order.
    let deliveries = replays(&life("pay_backlog"));
    let statuses = futures_util::future::join_all(deliveries.iter().map(|event| post_asaas(&hooks, event))).await;
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    assert_eq!(count(&server.pool, tenant, "select count(*) from webhook_events").await, 4);
    assert_eq!(count(&server.pool, tenant, "select count(*) from jobs").await, 4, "one job per event id");

    let running = worker(&server.pool, Registry::new().register(AsaasEventHandler));
    eventually("the backlog processed", || async {
        count(&server.pool, tenant, "select count(*) from jobs where state = 'done'").await == 4
    })
    .await;
    assert_eq!(status_of(&server, tenant, "pay_backlog").await.as_deref(), Some("RECEIVED"));
    let backlog = history(&server, tenant, "pay_backlog").await;
    assert_eq!(
        applied(&backlog),
        vec![
            (None, "PENDING"),
            (Some("PENDING"), "OVERDUE"),
            (Some("OVERDUE"), "CONFIRMED"),
            (Some("CONFIRMED"), "RECEIVED")
        ],
        "one history row per real transition, in order"
    );
    assert_eq!(backlog.len(), 4, "and nothing else");

    // Delivered while the worker runs: arrival order varies, the end is the same and each event counts once.
    let deliveries = replays(&life("pay_live"));
    let statuses = futures_util::future::join_all(deliveries.iter().map(|event| post_asaas(&hooks, event))).await;
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    eventually("the live events processed", || async {
        count(&server.pool, tenant, "select count(*) from jobs where state = 'done'").await == 8
    })
    .await;

    // Redelivered after processing (Asaas retries a delivery whose 200 it missed): acknowledged, nothing new.
    let history_before = history(&server, tenant, "pay_live").await;
    let again = futures_util::future::join_all(life("pay_live").iter().map(|event| post_asaas(&hooks, event))).await;
    assert!(again.iter().all(|status| *status == 200), "{again:?}");
    assert_eq!(count(&server.pool, tenant, "select count(*) from webhook_events").await, 8, "no second event");
    assert_eq!(count(&server.pool, tenant, "select count(*) from jobs").await, 8, "no second job");
    // And applied again, as a job that ran twice would: each event id is already recorded and changes nothing.
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    for event in life("pay_live") {
        let replay = PaymentEvent {
            provider_event_id: event["id"].as_str().unwrap().to_owned(),
            source: EventSource::Webhook,
            occurred_at: Utc::now(),
            charge: ChargeSnapshot {
                charge_id: "pay_live".into(),
                status: event["payment"]["status"].as_str().unwrap().to_owned(),
                value_cents: Some(1),
                net_value_cents: None,
                billing_type: None,
                due_date: None,
                external_reference: None,
            },
        };
        assert_eq!(apply_event(&mut tx, &replay).await.unwrap(), AppliedOutcome::AlreadyRecorded, "{replay:?}");
    }
    tx.commit().await.unwrap();
    assert_eq!(history(&server, tenant, "pay_live").await, history_before, "no second effect");
    running.shutdown().await;
    assert_eq!(status_of(&server, tenant, "pay_live").await.as_deref(), Some("RECEIVED"));
    let live = history(&server, tenant, "pay_live").await;
    assert_eq!(live.len(), 4, "one history row per event id: {live:?}");
    let moves = applied(&live);
    assert_eq!(moves.last().map(|(_, to)| *to), Some("RECEIVED"));
    assert!(moves.iter().all(|(from, _)| *from != Some("RECEIVED")), "never moved away from RECEIVED: {moves:?}");
    assert_eq!(count(&server.pool, tenant, "select count(*) from jobs").await, 8);
    assert_eq!(count(&server.pool, tenant, "select count(*) from payments").await, 2);
    let value: i64 = {
        let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
        sqlx::query_scalar("select value_cents from payments limit 1").fetch_one(tx.conn()).await.unwrap()
    };
    assert_eq!(value, 15_050, "R$ 150,50 in cents");
}

#[tokio::test]
async fn a_stale_event_never_moves_a_payment_backwards() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let tenant = hooks.tenant_id;
    let running = worker(&server.pool, Registry::new().register(AsaasEventHandler));
    let received = payment_event("evt_r", "PAYMENT_RECEIVED", "pay_1", "RECEIVED", "2026-11-05 08:00:00");
    assert_eq!(post_asaas(&hooks, &received).await, 200);
    eventually("received", || async { status_of(&server, tenant, "pay_1").await.as_deref() == Some("RECEIVED") }).await;

    // Older, delivered late.
    let overdue = payment_event("evt_o", "PAYMENT_OVERDUE", "pay_1", "OVERDUE", "2026-11-02 00:05:00");
    assert_eq!(post_asaas(&hooks, &overdue).await, 200);
    // Newer but backwards: Asaas would not send it, the state machine refuses it anyway.
    let pending = payment_event("evt_p", "PAYMENT_UPDATED", "pay_1", "PENDING", "2026-11-06 08:00:00");
    assert_eq!(post_asaas(&hooks, &pending).await, 200);
    eventually("both processed", || async {
        count(&server.pool, tenant, "select count(*) from webhook_events where processed_at is not null").await == 3
    })
    .await;
    running.shutdown().await;
    assert_eq!(status_of(&server, tenant, "pay_1").await.as_deref(), Some("RECEIVED"));
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    let reasons: Vec<(String, Option<String>)> =
        sqlx::query_as("select provider_event_id, reason from payment_events order by provider_event_id")
            .fetch_all(tx.conn())
            .await
            .unwrap();
    assert_eq!(
        reasons,
        vec![
            ("evt_o".into(), Some("stale".into())),
            ("evt_p".into(), Some("not allowed".into())),
            ("evt_r".into(), None)
        ]
    );
}

#[tokio::test]
async fn an_event_without_a_value_keeps_the_known_amount() {
    let server = TestServer::start().await;
    let hooks = provisioned_tenant(&server, "alfa").await;
    let tenant = hooks.tenant_id;
    let created = payment_event("evt_v1", "PAYMENT_CREATED", "pay_v", "PENDING", "2026-11-01 09:00:00");
    assert_eq!(post_asaas(&hooks, &created).await, 200);
    // Newer events whose payment object leaves `value` out, or sends it null.
    let mut overdue = payment_event("evt_v2", "PAYMENT_OVERDUE", "pay_v", "OVERDUE", "2026-11-02 00:05:00");
    overdue["payment"].as_object_mut().unwrap().remove("value");
    let mut updated = payment_event("evt_v3", "PAYMENT_UPDATED", "pay_v", "OVERDUE", "2026-11-02 10:00:00");
    updated["payment"]["value"] = serde_json::Value::Null;
    for event in [&overdue, &updated] {
        assert_eq!(post_asaas(&hooks, event).await, 200);
    }
    let running = worker(&server.pool, Registry::new().register(AsaasEventHandler));
    eventually("all three processed", || async {
        count(&server.pool, tenant, "select count(*) from webhook_events where processed_at is not null").await == 3
    })
    .await;
    running.shutdown().await;
    assert_eq!(status_of(&server, tenant, "pay_v").await.as_deref(), Some("OVERDUE"));
    assert_eq!(count(&server.pool, tenant, "select value_cents from payments").await, 15_050, "R$ 150,50 kept");
}

fn asaas_client(fake: &FakeAsaas, breaker: BreakerSettings) -> AsaasClient {
    let outbound = OutboundSettings {
        connect_timeout: Duration::from_millis(500),
        timeout: Duration::from_millis(500),
        retry: RetrySettings { max_attempts: 1, ..RetrySettings::default() },
        breaker,
    };
    AsaasClient::new(AsaasSettings { outbound, ..AsaasSettings::new(fake.base_url()) }).unwrap()
}

async fn new_charge(client: &AsaasClient, account: &GatewayAccount) -> String {
    let customer = client
        .find_or_create_customer(
            account,
            NewCustomer { name: "João Pedro Alves".into(), cpf: "52998224725".into(), email: None, phone: None },
        )
        .await
        .unwrap();
    let charge = NewCharge {
        customer_id: customer.id,
        billing: BillingType::Pix,
        value_cents: 49_900,
        due_date: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
        description: "Matrícula".into(),
        installments: 1,
        external_reference: Uuid::now_v7().to_string(),
    };
    client.create_charge(account, charge).await.unwrap().id
}

#[tokio::test]
async fn a_charge_paid_at_the_fake_asaas_becomes_received_through_our_webhook_and_worker() {
    let server = TestServer::start().await;
    let fake = FakeAsaas::start().await.unwrap();
    let client = asaas_client(&fake, BreakerSettings::default());
    let tenant = server::test_support::create_tenant(&server.pool, "alfa").await;
    let api_key = "$aact_alfa";
    let hooks =
        webhooks::provision_tenant(&server.pool, tenant, &server.url, Some(&client), api_key, &[]).await.unwrap();
    assert!(hooks.asaas_webhook_url.starts_with(&server.url));
    let account = GatewayAccount { api_key: api_key.into() };
    let charge = new_charge(&client, &account).await;

    let running = worker(&server.pool, Registry::new().register(AsaasEventHandler));
    let deliveries = fake.simulate(&charge, Simulation::Paid).await.unwrap();
    assert!(!deliveries.is_empty() && deliveries.iter().all(|delivery| delivery.status == Some(200)), "{deliveries:?}");
    eventually("the payment received", || async {
        status_of(&server, tenant, &charge).await.as_deref() == Some("RECEIVED")
    })
    .await;
    running.shutdown().await;
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    let (value, paid): (i64, bool) =
        sqlx::query_as("select value_cents, paid_at is not null from payments").fetch_one(tx.conn()).await.unwrap();
    assert_eq!((value, paid), (49_900, true));
}

#[tokio::test]
async fn reconciliation_retries_while_asaas_is_down_and_catches_up_when_it_is_back() {
    let server = TestServer::start().await;
    let fake = FakeAsaas::start().await.unwrap();
    let breaker =
        BreakerSettings { failure_threshold: 2, window: Duration::from_secs(30), cooldown: Duration::from_millis(300) };
    let client = asaas_client(&fake, breaker);
    let tenant = server::test_support::create_tenant(&server.pool, "alfa").await;
    let api_key = "$aact_alfa";
    // No gateway: the fake has no webhook for this account, so only reconciliation can learn of the payment.
    webhooks::provision_tenant(&server.pool, tenant, &server.url, None, api_key, &[]).await.unwrap();
    let account = GatewayAccount { api_key: api_key.into() };
    let charges = [new_charge(&client, &account).await, new_charge(&client, &account).await];
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    for charge in &charges {
        let created = PaymentEvent {
            provider_event_id: format!("created:{charge}"),
            source: EventSource::Webhook,
            occurred_at: Utc::now() - chrono::Duration::minutes(5),
            charge: ChargeSnapshot {
                charge_id: charge.clone(),
                status: "PENDING".into(),
                value_cents: Some(49_900),
                net_value_cents: None,
                billing_type: Some("PIX".into()),
                due_date: NaiveDate::from_ymd_opt(2026, 12, 10),
                external_reference: None,
            },
        };
        apply_event(&mut tx, &created).await.unwrap();
    }
    enqueue(&mut tx, &ReconcileJob { bucket: 1 }, EnqueueOptions::key("period:1")).await.unwrap();
    tx.commit().await.unwrap();
    for charge in &charges {
        fake.simulate(charge, Simulation::Paid).await.unwrap();
    }

    fake.set_mode(FakeMode::ServerErrors);
    let gateway: Arc<dyn PaymentGateway> = Arc::new(client.clone());
    let handler = ReconcileHandler {
        settings: JobSettings {
            timeout: Duration::from_secs(10),
            max_attempts: 50,
            backoff: Backoff { base: Duration::from_millis(200), max: Duration::from_millis(400) },
            ..JobSettings::default()
        },
        ..ReconcileHandler::new(gateway)
    };
    let running = worker(&server.pool, Registry::new().register(handler));
    eventually("a failed attempt", || async {
        count(&server.pool, tenant, "select count(*) from jobs where attempts >= 2 and last_error is not null").await
            == 1
    })
    .await;
    // The second attempt's failure opens the breaker (its call may still be under way when the first is recorded).
    eventually("the breaker open", || async { client.outbound().circuit_state() == CircuitState::Open }).await;
    let before = fake.request_count();
    let fast = client.get_charge(&account, &charges[0]).await;
    assert!(matches!(fast, Err(GatewayError::Unavailable { .. })), "{fast:?}");
    assert_eq!(fake.request_count(), before, "an open breaker fails fast without calling");
    for charge in &charges {
        assert_eq!(status_of(&server, tenant, charge).await.as_deref(), Some("PENDING"), "nothing applied yet");
    }

    fake.set_mode(FakeMode::Healthy);
    eventually("the job done", || async {
        count(&server.pool, tenant, "select count(*) from jobs where state = 'done'").await == 1
    })
    .await;
    running.shutdown().await;
    for charge in &charges {
        assert_eq!(status_of(&server, tenant, charge).await.as_deref(), Some("RECEIVED"), "nothing lost");
        let moves = history(&server, tenant, charge).await;
        assert_eq!(applied(&moves), vec![(None, "PENDING"), (Some("PENDING"), "RECEIVED")]);
    }
    assert_eq!(count(&server.pool, tenant, "select count(*) from jobs where state = 'dead'").await, 0);
}

#[tokio::test]
async fn the_periodic_task_enqueues_one_reconciliation_per_tenant_and_period() {
    let server = TestServer::start().await;
    let alfa = provisioned_tenant(&server, "alfa").await;
    let beta = provisioned_tenant(&server, "beta").await;
    let without_asaas = server::test_support::create_tenant(&server.pool, "gama").await;
    let period = Duration::from_secs(600);
    // Several workers ticking at once within one period make one job per tenant.
    let ticks = (0..3).map(|_| webhooks::enqueue_reconciliations(server.pool.clone(), period));
    assert!(futures_util::future::join_all(ticks).await.iter().all(Result::is_ok));
    for tenant in [alfa.tenant_id, beta.tenant_id] {
        assert_eq!(count(&server.pool, tenant, "select count(*) from jobs where kind = 'asaas.reconcile'").await, 1);
    }
    assert_eq!(count(&server.pool, without_asaas, "select count(*) from jobs").await, 0);
}

/// Records `charge` as a PENDING payment we know of (as its creation webhook would have).
async fn known_pending(server: &TestServer, tenant: Uuid, charge: &str) {
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    let created = PaymentEvent {
        provider_event_id: format!("created:{charge}"),
        source: EventSource::Webhook,
        occurred_at: Utc::now() - chrono::Duration::minutes(5),
        charge: ChargeSnapshot {
            charge_id: charge.to_owned(),
            status: "PENDING".into(),
            value_cents: Some(49_900),
            net_value_cents: None,
            billing_type: Some("PIX".into()),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 10),
            external_reference: None,
        },
    };
    apply_event(&mut tx, &created).await.unwrap();
    tx.commit().await.unwrap();
}

/// Enqueues reconciliation pass `pass` and waits until the worker has finished it.
async fn reconcile_pass(server: &TestServer, tenant: Uuid, pass: i64) {
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    enqueue(&mut tx, &ReconcileJob { bucket: pass }, EnqueueOptions::key(format!("period:{pass}"))).await.unwrap();
    tx.commit().await.unwrap();
    eventually("the pass done", || async {
        count(&server.pool, tenant, "select count(*) from jobs where kind = 'asaas.reconcile' and state = 'done'").await
            == pass
    })
    .await;
}

#[tokio::test]
async fn reconciliation_corrects_a_status_the_charge_returns_to() {
    let server = TestServer::start().await;
    let fake = FakeAsaas::start().await.unwrap();
    let client = asaas_client(&fake, BreakerSettings::default());
    let tenant = server::test_support::create_tenant(&server.pool, "alfa").await;
    let api_key = "$aact_alfa";
    // No gateway: Asaas has no webhook for this account, every webhook is "lost"; only reconciliation learns.
    webhooks::provision_tenant(&server.pool, tenant, &server.url, None, api_key, &[]).await.unwrap();
    let account = GatewayAccount { api_key: api_key.into() };
    let charge = new_charge(&client, &account).await;
    known_pending(&server, tenant, &charge).await;
    let running = worker(&server.pool, Registry::new().register(ReconcileHandler::new(Arc::new(client.clone()))));

    // PENDING seen, then OVERDUE, then PENDING again (the due date was moved).
    reconcile_pass(&server, tenant, 1).await;
    fake.set_status_quietly(&charge, ChargeStatus::Overdue).unwrap();
    reconcile_pass(&server, tenant, 2).await;
    assert_eq!(status_of(&server, tenant, &charge).await.as_deref(), Some("OVERDUE"));
    fake.set_status_quietly(&charge, ChargeStatus::Pending).unwrap();
    reconcile_pass(&server, tenant, 3).await;
    assert_eq!(status_of(&server, tenant, &charge).await.as_deref(), Some("PENDING"), "back to PENDING");

    // Paid (seen by reconciliation), a refund requested (its webhook arrived), the refund denied (webhook lost).
    fake.set_status_quietly(&charge, ChargeStatus::Received).unwrap();
    reconcile_pass(&server, tenant, 4).await;
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    let refund_requested = PaymentEvent {
        provider_event_id: "evt_refund_requested".into(),
        source: EventSource::Webhook,
        occurred_at: Utc::now(),
        charge: ChargeSnapshot {
            charge_id: charge.clone(),
            status: "REFUND_REQUESTED".into(),
            value_cents: Some(49_900),
            net_value_cents: None,
            billing_type: Some("PIX".into()),
            due_date: None,
            external_reference: None,
        },
    };
    apply_event(&mut tx, &refund_requested).await.unwrap();
    tx.commit().await.unwrap();
    fake.set_status_quietly(&charge, ChargeStatus::Received).unwrap();
    reconcile_pass(&server, tenant, 5).await;
    running.shutdown().await;

    assert_eq!(status_of(&server, tenant, &charge).await.as_deref(), Some("RECEIVED"), "the denied refund is seen");
    assert_eq!(
        applied(&history(&server, tenant, &charge).await),
        vec![
            (None, "PENDING"),
            (Some("PENDING"), "OVERDUE"),
            (Some("OVERDUE"), "PENDING"),
            (Some("PENDING"), "RECEIVED"),
            (Some("RECEIVED"), "REFUND_REQUESTED"),
            (Some("REFUND_REQUESTED"), "RECEIVED"),
        ]
    );
    // A pass that finds nothing new writes no history row (pass 1 saw the PENDING we had).
    assert_eq!(history(&server, tenant, &charge).await.len(), 6);
}

/// Connections of this test's database that sit inside a transaction while doing nothing.
async fn idle_in_transaction(server: &TestServer) -> i64 {
    sqlx::query_scalar(
        "select count(*) from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
    )
    .fetch_one(&server.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_slow_asaas_holds_no_pooled_connection_during_reconciliation() {
    let server = TestServer::start().await;
    let fake = FakeAsaas::start().await.unwrap();
    let patient = OutboundSettings {
        timeout: Duration::from_secs(15),
        retry: RetrySettings { max_attempts: 1, ..RetrySettings::default() },
        ..OutboundSettings::default()
    };
    let client = AsaasClient::new(AsaasSettings { outbound: patient, ..AsaasSettings::new(fake.base_url()) }).unwrap();
    let tenant = server::test_support::create_tenant(&server.pool, "alfa").await;
    webhooks::provision_tenant(&server.pool, tenant, &server.url, None, "$aact_alfa", &[]).await.unwrap();
    let charge = new_charge(&client, &GatewayAccount { api_key: "$aact_alfa".into() }).await;
    known_pending(&server, tenant, &charge).await;
    fake.set_status_quietly(&charge, ChargeStatus::Received).unwrap();
    fake.set_delay(Duration::from_secs(5));
    let asked_before = fake.request_count();

    let running = worker(&server.pool, Registry::new().register(ReconcileHandler::new(Arc::new(client.clone()))));
    let mut tx = TenantTx::begin(&server.pool, tenant).await.unwrap();
    enqueue(&mut tx, &ReconcileJob { bucket: 1 }, EnqueueOptions::key("period:1")).await.unwrap();
    tx.commit().await.unwrap();
    eventually("Asaas asked", || async { fake.request_count() > asked_before }).await;
    // While Asaas takes its 5 s, look several times: no connection waits inside a transaction.
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(idle_in_transaction(&server).await, 0, "a transaction is held open across the Asaas call");
    }
    eventually("the pass done", || async {
        count(&server.pool, tenant, "select count(*) from jobs where state = 'done'").await == 1
    })
    .await;
    running.shutdown().await;
    assert_eq!(status_of(&server, tenant, &charge).await.as_deref(), Some("RECEIVED"), "the answer was applied");
}
