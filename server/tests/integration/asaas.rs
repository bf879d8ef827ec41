//! The real Asaas client against the in-process fake: customers, charges in exact cents, PIX QR codes, lists,
//! Asaas' refusals, the circuit breaker while the fake is down, and webhook delivery.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use app::platform::integrations::payment_gateway::{
    BillingType, ChargeStatus, GatewayAccount, GatewayError, NewCharge, NewCustomer, PaymentGateway, PaymentSimulator,
    Simulation,
};
use axum::{Router, extract::State, http::HeaderMap, routing::post};
use chrono::{Duration as Days, NaiveDate, Utc};
use server::integrations::{
    asaas::{AsaasClient, AsaasSettings, FakeAsaas, FakeMode, wire::AsaasEvent},
    outbound::{BreakerSettings, CircuitState, OutboundSettings, RetrySettings},
};

const CPF: &str = "52998224725";

fn account(key: &str) -> GatewayAccount {
    GatewayAccount { api_key: format!("$aact_test_{key}") }
}

fn in_days(days: i64) -> NaiveDate {
    (Utc::now() + Days::days(days)).date_naive()
}

async fn setup() -> (FakeAsaas, AsaasClient) {
    let fake = FakeAsaas::start().await.unwrap();
    let client = AsaasClient::new(AsaasSettings::new(fake.base_url())).unwrap();
    (fake, client)
}

fn new_customer(cpf: &str) -> NewCustomer {
    NewCustomer {
        name: "Maria da Silva".into(),
        cpf: cpf.into(),
        email: Some("maria@example.com".into()),
        phone: Some("11987654321".into()),
    }
}

fn new_charge(customer_id: &str, billing: BillingType, cents: i64, reference: &str) -> NewCharge {
    NewCharge {
        customer_id: customer_id.into(),
        billing,
        value_cents: cents,
        due_date: in_days(7),
        description: "Matrícula 2026.1".into(),
        installments: 1,
        external_reference: reference.into(),
    }
}

#[tokio::test]
async fn customers_are_found_by_cpf_before_being_created() {
    let (_fake, client) = setup().await;
    let first = client.find_or_create_customer(&account("a"), new_customer(CPF)).await.unwrap();
    let again = client.find_or_create_customer(&account("a"), new_customer(CPF)).await.unwrap();
    assert_eq!(first, again);
    assert!(first.id.starts_with("cus_"), "{first:?}");
    // Each institution's account is its own world.
    let elsewhere = client.find_or_create_customer(&account("b"), new_customer(CPF)).await.unwrap();
    assert_ne!(first, elsewhere);
}

#[tokio::test]
async fn pix_and_boleto_charges_keep_their_cents_exactly() {
    let (_fake, client) = setup().await;
    let account = account("cents");
    let customer = client.find_or_create_customer(&account, new_customer(CPF)).await.unwrap();
    for (billing, cents) in [(BillingType::Pix, 1_234_567), (BillingType::Boleto, 10), (BillingType::Pix, 30)] {
        let charge =
            client.create_charge(&account, new_charge(&customer.id, billing.clone(), cents, "ref-1")).await.unwrap();
        assert!(charge.id.starts_with("pay_"), "{charge:?}");
        assert_eq!((charge.value_cents, &charge.billing, &charge.status), (cents, &billing, &ChargeStatus::Pending));
        assert_eq!(charge.due_date, in_days(7));
        assert_eq!(charge.external_reference.as_deref(), Some("ref-1"));
        assert!(charge.invoice_url.is_some());
        assert_eq!(charge.bank_slip_url.is_some(), billing == BillingType::Boleto);
        let read = client.get_charge(&account, &charge.id).await.unwrap();
        assert_eq!(read, charge);
    }
}

#[tokio::test]
async fn a_pix_charge_has_a_qr_code() {
    let (_fake, client) = setup().await;
    let account = account("qr");
    let customer = client.find_or_create_customer(&account, new_customer(CPF)).await.unwrap();
    let charge = client.create_charge(&account, new_charge(&customer.id, BillingType::Pix, 4990, "r")).await.unwrap();
    let qr = client.pix_qr_code(&account, &charge.id).await.unwrap();
    assert!(qr.encoded_image.starts_with("iVBORw0KGgo"), "a base64 PNG");
    assert!(qr.payload.starts_with("000201") && qr.payload.contains("540549.90"), "{}", qr.payload);
    assert_eq!(qr.expiration_date.date(), charge.due_date);
}

#[tokio::test]
async fn charges_are_listed_by_status_a_page_at_a_time_and_found_by_reference() {
    let (fake, client) = setup().await;
    let account = account("list");
    let customer = client.find_or_create_customer(&account, new_customer(CPF)).await.unwrap();
    let mut ids = Vec::new();
    for n in 0..5 {
        let charge = new_charge(&customer.id, BillingType::Pix, 1000 + n, &format!("ref-{n}"));
        ids.push(client.create_charge(&account, charge).await.unwrap().id);
    }
    fake.simulate(&ids[0], Simulation::Paid).await.unwrap();

    let first = client.list_charges(&account, ChargeStatus::Pending, 0, 3).await.unwrap();
    assert_eq!(first.data.len(), 3);
    assert!(first.has_more);
    let second = client.list_charges(&account, ChargeStatus::Pending, 3, 3).await.unwrap();
    assert_eq!(second.data.len(), 1);
    assert!(!second.has_more);
    let received = client.list_charges(&account, ChargeStatus::Received, 0, 10).await.unwrap();
    assert_eq!(received.data.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [ids[0].as_str()]);
    assert_eq!(received.data[0].payment_date, Some((Utc::now() - Days::hours(3)).date_naive()));

    let found = client.find_charges_by_reference(&account, "ref-3").await.unwrap();
    assert_eq!(found.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [ids[3].as_str()]);
    assert!(client.find_charges_by_reference(&account, "nothing").await.unwrap().is_empty());
}

#[tokio::test]
async fn refused_input_comes_back_with_the_asaas_description() {
    let (_fake, client) = setup().await;
    let account = account("refusals");
    let customer = client.find_or_create_customer(&account, new_customer(CPF)).await.unwrap();
    let zero = client.create_charge(&account, new_charge(&customer.id, BillingType::Pix, 0, "r")).await;
    assert_eq!(rejected(zero), "O valor da cobrança deve ser maior que zero.");
    let mut past = new_charge(&customer.id, BillingType::Boleto, 100, "r");
    past.due_date = in_days(-3);
    assert!(rejected(client.create_charge(&account, past).await).contains("vencimento"));
    let bad_cpf = client.find_or_create_customer(&account, new_customer("12345678900")).await;
    assert_eq!(rejected(bad_cpf), "O CPF/CNPJ informado é inválido.");
    let no_key = client.get_charge(&GatewayAccount { api_key: String::new() }, "pay_x").await;
    assert_eq!(rejected(no_key), "A chave de API fornecida é inválida.");
    assert!(matches!(client.get_charge(&account, "pay_missing").await, Err(GatewayError::Rejected { .. })));
    // A 4xx is the provider answering: the breaker stays closed.
    assert_eq!(client.outbound().circuit_state(), CircuitState::Closed);
}

fn rejected<T: std::fmt::Debug>(result: Result<T, GatewayError>) -> String {
    match result {
        Err(GatewayError::Rejected { message }) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn fragile(base_url: &str) -> AsaasClient {
    let mut settings = AsaasSettings::new(base_url);
    settings.outbound = OutboundSettings {
        connect_timeout: Duration::from_millis(500),
        timeout: Duration::from_millis(300),
        retry: RetrySettings { max_attempts: 2, base_delay: Duration::from_millis(5), ..RetrySettings::default() },
        breaker: BreakerSettings {
            failure_threshold: 3,
            window: Duration::from_secs(30),
            cooldown: Duration::from_millis(400),
        },
    };
    AsaasClient::new(settings).unwrap()
}

async fn breaker_opens_and_recovers(mode: FakeMode) {
    let fake = FakeAsaas::start().await.unwrap();
    let client = fragile(fake.base_url());
    let account = account("down");
    let customer = client.find_or_create_customer(&account, new_customer(CPF)).await.unwrap();
    let charge = client.create_charge(&account, new_charge(&customer.id, BillingType::Pix, 500, "r")).await.unwrap();

    fake.set_mode(mode);
    let before = fake.request_count();
    // A GET is tried twice, both fail.
    let error = client.get_charge(&account, &charge.id).await.unwrap_err();
    assert_eq!(error, GatewayError::Unavailable { dependency: "asaas" });
    assert_eq!(fake.request_count(), before + 2);
    // A charge creation is tried once: the third failure opens the breaker.
    let error =
        client.create_charge(&account, new_charge(&customer.id, BillingType::Pix, 500, "r2")).await.unwrap_err();
    assert_eq!(error, GatewayError::Unavailable { dependency: "asaas" });
    assert_eq!(fake.request_count(), before + 3);
    assert_eq!(client.outbound().circuit_state(), CircuitState::Open);

    // Open: fails fast, the fake sees nothing.
    let started = std::time::Instant::now();
    let error = client.get_charge(&account, &charge.id).await.unwrap_err();
    assert_eq!(error, GatewayError::Unavailable { dependency: "asaas" });
    assert!(started.elapsed() < Duration::from_millis(50), "{:?}", started.elapsed());
    assert_eq!(fake.request_count(), before + 3);
    assert!(!client.outbound().is_available());

    fake.set_mode(FakeMode::Healthy);
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert!(client.outbound().is_available());
    assert_eq!(client.get_charge(&account, &charge.id).await.unwrap().id, charge.id);
    assert_eq!(client.outbound().circuit_state(), CircuitState::Closed);
}

#[tokio::test]
async fn server_errors_open_the_breaker_which_fails_fast_and_recovers() {
    breaker_opens_and_recovers(FakeMode::ServerErrors).await;
}

#[tokio::test]
async fn timeouts_open_the_breaker_which_fails_fast_and_recovers() {
    breaker_opens_and_recovers(FakeMode::Timeouts).await;
}

/// A webhook as our side saw it: the `asaas-access-token` header and the event.
type Hook = (Option<String>, AsaasEvent);

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<Hook>>>);

async fn receive(State(received): State<Received>, headers: HeaderMap, body: axum::body::Bytes) -> &'static str {
    let token = headers.get("asaas-access-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let event: AsaasEvent = serde_json::from_slice(&body).expect("an Asaas event");
    received.0.lock().unwrap().push((token, event));
    "ok"
}

async fn receiver() -> (String, Received) {
    let received = Received::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/asaas/tenant-secret", listener.local_addr().unwrap());
    let app = Router::new().route("/webhooks/asaas/tenant-secret", post(receive)).with_state(received.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

#[tokio::test]
async fn simulated_payments_deliver_asaas_webhooks_to_the_configured_url() {
    let (fake, client) = setup().await;
    let (url, received) = receiver().await;
    let account = account("hooks");
    let token = "a-32-character-or-longer-auth-token!";
    client.configure_webhook(&account, &url, "an-older-token-that-is-also-long-enough").await.unwrap();
    // Configuring again updates the same webhook (one delivery per event below, not two).
    client.configure_webhook(&account, &url, token).await.unwrap();

    let customer = client.find_or_create_customer(&account, new_customer(CPF)).await.unwrap();
    let boleto =
        client.create_charge(&account, new_charge(&customer.id, BillingType::Boleto, 123_456, "b")).await.unwrap();
    let deliveries = fake.simulate(&boleto.id, Simulation::Paid).await.unwrap();
    assert_eq!(
        deliveries.iter().map(|d| d.event.as_str()).collect::<Vec<_>>(),
        ["PAYMENT_CONFIRMED", "PAYMENT_RECEIVED"]
    );
    assert!(deliveries.iter().all(|d| d.status == Some(200)), "{deliveries:?}");

    // Through the dyn simulator (the backoffice button's way).
    let simulator: Arc<dyn PaymentSimulator> = Arc::new(fake.clone());
    simulator.simulate(&account, &boleto.id, Simulation::Refunded).await.unwrap();
    assert!(simulator.simulate(&account, &boleto.id, Simulation::Overdue).await.is_err(), "refunded cannot expire");
    assert!(simulator.simulate(&self::account("other"), &boleto.id, Simulation::Paid).await.is_err());
    let listed = simulator.list_charges(&account).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, ChargeStatus::Refunded);

    let events = received.0.lock().unwrap().clone();
    assert_eq!(events.len(), 3);
    for (header, event) in &events {
        assert_eq!(header.as_deref(), Some(token));
        assert!(event.id.starts_with("evt_"));
        let payment = event.payment.as_ref().unwrap();
        assert_eq!((payment.id.as_str(), payment.value), (boleto.id.as_str(), 123_456));
    }
    let statuses: Vec<_> = events.iter().map(|(_, e)| e.payment.as_ref().unwrap().status.clone()).collect();
    assert_eq!(statuses, [ChargeStatus::Confirmed, ChargeStatus::Received, ChargeStatus::Refunded]);
    assert_eq!(fake.deliveries().len(), 3);
}

#[tokio::test]
async fn a_short_webhook_token_is_refused() {
    let (_fake, client) = setup().await;
    let error = client.configure_webhook(&account("short"), "http://127.0.0.1:9/x", "short").await.unwrap_err();
    assert!(matches!(error, GatewayError::Rejected { ref message } if message.contains("32")), "{error:?}");
}

#[tokio::test]
async fn the_same_payer_asked_for_many_times_at_once_is_created_once() {
    let (_fake, client) = setup().await;
    let account = account("a");
    let found =
        futures_util::future::join_all((0..8).map(|_| client.find_or_create_customer(&account, new_customer(CPF))))
            .await;
    let ids: std::collections::BTreeSet<String> = found.into_iter().map(|customer| customer.unwrap().id).collect();
    assert_eq!(ids.len(), 1, "one customer at the gateway: {ids:?}");
}
