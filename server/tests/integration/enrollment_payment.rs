//! Enrollment charges against the fake Asaas over HTTP: a double submit makes one charge, a charge whose answer was
//! lost is found by its reference on the retry instead of being made again, and installments where the class allows.

use std::time::Duration;

use app::{
    enrollment::payments::{
        service::{self, Choice},
        types::PayBy,
    },
    platform::{
        AppError,
        integrations::payment_gateway::{GatewayAccount, PaymentSimulator},
        tenancy::TenantTx,
    },
};
use server::{
    database::seed,
    integrations::{
        asaas::{AsaasClient, AsaasSettings, FakeAsaas, FakeMode},
        outbound::{OutboundSettings, RetrySettings},
    },
    test_support::TestServer,
    webhooks,
};
use uuid::Uuid;

const API_KEY: &str = "$aact_famath";

pub struct Setup {
    pub server: TestServer,
    pub fake: FakeAsaas,
    pub client: AsaasClient,
    pub tenant: Uuid,
    /// Where the fake (or a test posting its own events) delivers famath's Asaas webhooks.
    pub hooks: webhooks::Provisioned,
}

/// The demo, with famath's Asaas account at the fake (its webhook pointing at the test server).
pub async fn setup() -> Setup {
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    let fake = FakeAsaas::start().await.unwrap();
    let outbound = OutboundSettings {
        timeout: Duration::from_secs(2),
        retry: RetrySettings { max_attempts: 1, ..RetrySettings::default() },
        ..OutboundSettings::default()
    };
    let client = AsaasClient::new(AsaasSettings { outbound, ..AsaasSettings::new(fake.base_url()) }).unwrap();
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&server.pool).await.unwrap();
    let hooks =
        webhooks::provision_tenant(&server.pool, tenant, &server.url, Some(&client), API_KEY, &[]).await.unwrap();
    Setup { server, fake, client, tenant, hooks }
}

impl Setup {
    pub async fn application_of(&self, name: &str) -> Uuid {
        let mut tx = TenantTx::begin(&self.server.pool, self.tenant).await.unwrap();
        sqlx::query_scalar("select a.id from applications a join users u on u.id = a.student_id where u.name = $1")
            .bind(name)
            .fetch_one(tx.conn())
            .await
            .unwrap()
    }

    pub async fn open(
        &self,
        application: Uuid,
        choice: Choice,
    ) -> Result<app::enrollment::payments::types::ChargeView, AppError> {
        service::open_charge(&self.server.pool, self.tenant, &self.client, None, application, choice).await
    }

    /// Every charge the fake Asaas holds for famath.
    async fn charges_at_asaas(&self) -> Vec<app::platform::integrations::payment_gateway::Charge> {
        PaymentSimulator::list_charges(&self.fake, &GatewayAccount { api_key: API_KEY.into() }).await.unwrap()
    }

    pub async fn scalar<T>(&self, sql: &str, id: Uuid) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
    {
        let mut tx = TenantTx::begin(&self.server.pool, self.tenant).await.unwrap();
        sqlx::query_scalar(sql).bind(id).fetch_one(tx.conn()).await.unwrap()
    }
}

pub const PIX: Choice = Choice { by: PayBy::Pix, installments: 1 };

#[tokio::test]
async fn a_double_submit_makes_one_charge_and_a_reload_asks_asaas_nothing() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    // A slow Asaas: the second click arrives while the first is still waiting for its answer.
    s.fake.set_delay(Duration::from_millis(300));
    let (first, second) = tokio::join!(s.open(gustavo, PIX), s.open(gustavo, PIX));
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first, second, "both clicks see the same charge");
    assert!(first.pix_payload.as_deref().is_some_and(|p| p.starts_with("000201")), "{first:?}");
    assert!(first.pix_image.is_some() && first.pix_expires.is_some(), "{first:?}");
    assert_eq!(first.value_cents, 9_900, "the class's enrollment fee");
    let at_asaas = s.charges_at_asaas().await;
    assert_eq!(at_asaas.len(), 1, "one charge at Asaas: {at_asaas:?}");
    let reference = at_asaas[0].external_reference.clone().unwrap();
    let intent = service::intent_of(&reference).expect("an enrollment reference");
    assert_eq!(s.scalar::<i64>("select count(*) from enrollment_charges where application_id = $1", gustavo).await, 1);
    assert_eq!(s.scalar::<Uuid>("select application_id from enrollment_charges where id = $1", intent).await, gustavo);
    // The platform knows the charge before any webhook, under the same reference.
    assert_eq!(
        s.scalar::<String>("select status from payments where external_reference = 'enrollment:' || $1::text", intent)
            .await,
        "PENDING"
    );

    // A reload (or a third click) shows the recorded charge without calling Asaas.
    s.fake.set_delay(Duration::ZERO);
    let requests = s.fake.request_count();
    assert_eq!(s.open(gustavo, PIX).await.unwrap().pix_payload, first.pix_payload);
    assert_eq!(s.fake.request_count(), requests, "nothing asked of Asaas");
    assert_eq!(s.charges_at_asaas().await.len(), 1);
}

#[tokio::test]
async fn a_charge_whose_answer_was_lost_is_found_by_its_reference_on_the_retry() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    s.fake.set_mode(FakeMode::LostChargeAnswers);
    let lost = s.open(gustavo, PIX).await;
    assert!(matches!(lost, Err(AppError::Conflict { .. })), "the student is told to try again: {lost:?}");
    let at_asaas = s.charges_at_asaas().await;
    assert_eq!(at_asaas.len(), 1, "Asaas made the charge though we never heard of it");
    assert_eq!(
        s.scalar::<Option<String>>(
            "select provider_charge_id from enrollment_charges where application_id = $1",
            gustavo
        )
        .await,
        None
    );

    s.fake.set_mode(FakeMode::Healthy);
    let retried = s.open(gustavo, PIX).await.unwrap();
    assert!(retried.pix_payload.is_some(), "{retried:?}");
    assert_eq!(s.charges_at_asaas().await.len(), 1, "the retry adopted it instead of charging twice");
    assert_eq!(
        s.scalar::<Option<String>>(
            "select provider_charge_id from enrollment_charges where application_id = $1",
            gustavo
        )
        .await,
        Some(at_asaas[0].id.clone())
    );
}

#[tokio::test]
async fn a_boleto_in_installments_where_the_class_allows_and_approved_becomes_awaiting_payment() {
    let s = setup().await;
    let fernanda = s.application_of("Fernanda Lopes").await;
    let too_many = s.open(fernanda, Choice { by: PayBy::Boleto, installments: 4 }).await;
    assert!(matches!(&too_many, Err(AppError::Validation { field, .. }) if field == "installments"), "{too_many:?}");
    assert!(s.charges_at_asaas().await.is_empty());

    let boleto = s.open(fernanda, Choice { by: PayBy::Boleto, installments: 3 }).await.unwrap();
    assert_eq!((boleto.by, boleto.installments, boleto.value_cents), (PayBy::Boleto, 3, 20_000));
    assert!(boleto.boleto_url.is_some(), "{boleto:?}");
    assert_eq!(boleto.boleto_line.as_ref().map(String::len), Some(47), "the digitable line: {boleto:?}");
    let mut at_asaas = s.charges_at_asaas().await;
    at_asaas.sort_by_key(|charge| charge.installment_number);
    let split: Vec<(Option<u32>, i64)> = at_asaas.iter().map(|c| (c.installment_number, c.value_cents)).collect();
    assert_eq!(split, [(Some(1), 6_668), (Some(2), 6_666), (Some(3), 6_666)], "R$ 200,00 in three");
    assert!(at_asaas.iter().all(|c| c.external_reference == at_asaas[0].external_reference));
    assert_eq!(s.scalar::<String>("select status from applications where id = $1", fernanda).await, "awaiting_payment");
    // Beatriz's draft is not awaiting any payment.
    let beatriz = s.application_of("Beatriz Ramos").await;
    assert!(matches!(s.open(beatriz, PIX).await, Err(AppError::Conflict { .. })));
}

#[tokio::test]
async fn the_first_paid_installment_enrolls_through_the_webhook_and_tells_the_live_topic() {
    use app::platform::{integrations::payment_gateway::Simulation, live::Topic};
    use server::{jobs::Registry, webhooks::AsaasEventHandler};

    use crate::webhooks::{eventually, worker};

    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    let fernanda = s.application_of("Fernanda Lopes").await;
    s.open(gustavo, PIX).await.unwrap();
    s.open(fernanda, Choice { by: PayBy::Boleto, installments: 3 }).await.unwrap();
    let running = worker(&s.server.pool, Registry::new().register(AsaasEventHandler));
    for application in [gustavo, fernanda] {
        let charge: Option<String> =
            s.scalar("select provider_charge_id from enrollment_charges where application_id = $1", application).await;
        let deliveries = s.fake.simulate(&charge.unwrap(), Simulation::Paid).await.unwrap();
        assert!(deliveries.iter().all(|d| d.status == Some(200)), "{deliveries:?}");
    }
    for application in [gustavo, fernanda] {
        eventually("enrolled", || async {
            s.scalar::<String>("select status from applications where id = $1", application).await == "enrolled"
        })
        .await;
        assert!(s.scalar::<bool>("select paid_at is not null from applications where id = $1", application).await);
        let topic = Topic::Application(application).to_string();
        let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
        let seq: i64 = sqlx::query_scalar("select seq from live_topics where topic = $1")
            .bind(&topic)
            .fetch_one(tx.conn())
            .await
            .unwrap();
        assert!(seq >= 1, "the payment page heard of it on {topic}");
    }
    running.shutdown().await;
    // Fernanda's other two installments are still open: paid is the first one, and it was enough.
    let open: i64 = {
        let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
        // The demo's own enrollment charges (`enrollment:demo-…`) are not this test's.
        sqlx::query_scalar(
            "select count(*) from payments where status = 'RECEIVED' and external_reference not like 'enrollment:demo-%'",
        )
            .fetch_one(tx.conn())
            .await
            .unwrap()
    };
    assert_eq!(open, 2, "one received charge each");
}
