//! An in-process Asaas: a real HTTP server on `127.0.0.1:0` with the endpoints the client uses, memory per API key,
//! and the webhooks Asaas would send when a developer (or a test) pays, lets expire or refunds a charge. The real
//! client code runs against it, so `make run` works with no Asaas account.

mod qr_image;
mod routes;
mod state;

use std::{sync::Arc, time::Duration};

use app::platform::integrations::payment_gateway::{
    BillingType, Charge, ChargeStatus, GatewayAccount, GatewayError, GatewayFuture, PaymentSimulator, Simulation,
};
use chrono::Utc;

use self::state::{Shared, today};
use super::wire::{AsaasEvent, AsaasPayment};
use crate::integrations::fake_server::{self, ServerTask};

/// How the fake behaves, so tests can watch the client cope with a provider in trouble.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeMode {
    Healthy,
    /// Every API call answers 500.
    ServerErrors,
    /// Every API call hangs for a minute (longer than any client timeout).
    Timeouts,
    /// Charges are created, but the answer to `POST /payments` is lost on the way back (the caller sees a 502, as
    /// from a proxy that timed out): a charge exists though its creator never heard of it. Other calls answer.
    LostChargeAnswers,
}

/// One webhook POST the fake made. `status` is what our side answered (`None`: unreachable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub event_id: String,
    pub event: String,
    pub charge_id: String,
    pub url: String,
    pub status: Option<u16>,
}

/// The handle: cheap to clone; the server stops when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct FakeAsaas {
    shared: Arc<Shared>,
    base_url: String,
    webhooks: reqwest::Client,
    _task: Arc<ServerTask>,
}

impl FakeAsaas {
    pub async fn start() -> std::io::Result<Self> {
        let (listener, addr) = fake_server::bind().await?;
        let origin = format!("http://{addr}");
        let shared = Arc::new(Shared::new(origin.clone()));
        let task = fake_server::spawn(listener, routes::router(shared.clone()));
        let webhooks = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|error| std::io::Error::other(error.without_url()))?;
        Ok(Self { shared, base_url: format!("{origin}/v3"), webhooks, _task: task })
    }

    /// The API root, like `https://api-sandbox.asaas.com/v3`: give it to `AsaasSettings::new`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn set_mode(&self, mode: FakeMode) {
        self.shared.set_mode(mode);
    }

    /// Makes every API call wait `delay` before it is answered (zero: answer at once), like a slow Asaas.
    pub fn set_delay(&self, delay: Duration) {
        self.shared.set_delay(delay);
    }

    /// Changes a charge's status at "Asaas" without delivering any webhook, as if its webhook was lost (or
    /// something happened that the fake does not simulate: a due date moved, a refund denied). Only
    /// reconciliation can learn of it.
    pub fn set_status_quietly(&self, charge_id: &str, status: ChargeStatus) -> Result<(), GatewayError> {
        let key = self.shared.owner_of(charge_id).ok_or_else(|| rejected("Cobrança não encontrada."))?;
        self.shared.account(&key, |account| {
            let payment = account.payments.iter_mut().find(|p| p.id == charge_id).ok_or_else(|| rejected(""))?;
            payment.status = status;
            Ok(())
        })
    }

    /// API requests received so far (refused ones included).
    pub fn request_count(&self) -> usize {
        self.shared.requests()
    }

    /// Every webhook delivery so far, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.deliveries()
    }

    /// Makes something happen to a charge and delivers the resulting webhooks, in order, to every webhook of its
    /// account that wants the event. Paid: a PIX charge becomes RECEIVED; a boleto first CONFIRMED (compensated)
    /// then RECEIVED (credited), two events, as Asaas does. Overdue: PENDING → OVERDUE. Refunded: a paid charge
    /// becomes REFUNDED. Returns the deliveries made.
    pub async fn simulate(&self, charge_id: &str, simulation: Simulation) -> Result<Vec<Delivery>, GatewayError> {
        let key = self.shared.owner_of(charge_id).ok_or_else(|| rejected("Cobrança não encontrada."))?;
        let snapshots = self.shared.account(&key, |account| {
            let payment = account.payments.iter_mut().find(|p| p.id == charge_id).ok_or_else(|| rejected(""))?;
            apply(payment, simulation)
        })?;
        let mut made = Vec::new();
        for (event, payment) in snapshots {
            let hooks = self.shared.account(&key, |account| account.webhooks.clone());
            for hook in hooks.iter().filter(|h| h.enabled && h.events.contains(&event)) {
                let delivery =
                    self.deliver(&hook.url, hook.auth_token.as_deref().unwrap_or_default(), &event, &payment).await;
                self.shared.log_delivery(delivery.clone());
                made.push(delivery);
            }
        }
        Ok(made)
    }

    async fn deliver(&self, url: &str, token: &str, event: &str, payment: &AsaasPayment) -> Delivery {
        let body = AsaasEvent {
            id: format!("evt_{}", uuid::Uuid::new_v4().simple()),
            event: event.into(),
            date_created: (Utc::now() - chrono::Duration::hours(3)).naive_utc(),
            payment: Some(payment.clone()),
        };
        let status = self
            .webhooks
            .post(url)
            .header("asaas-access-token", token)
            .json(&body)
            .send()
            .await
            .ok()
            .map(|response| response.status().as_u16());
        Delivery { event_id: body.id, event: event.into(), charge_id: payment.id.clone(), url: url.into(), status }
    }
}

fn rejected(message: &str) -> GatewayError {
    GatewayError::Rejected {
        message: if message.is_empty() { "Cobrança não encontrada.".into() } else { message.into() },
    }
}

/// The status changes of a simulation, each with the event and the payment as it stood after it.
fn apply(payment: &mut AsaasPayment, simulation: Simulation) -> Result<Vec<(String, AsaasPayment)>, GatewayError> {
    let today = today();
    let mut steps = Vec::new();
    let mut step = |payment: &mut AsaasPayment, status: ChargeStatus, event: &str| {
        payment.status = status;
        steps.push((event.to_string(), payment.clone()));
    };
    match simulation {
        Simulation::Paid if matches!(payment.status, ChargeStatus::Pending | ChargeStatus::Overdue) => {
            payment.client_payment_date = Some(today);
            if payment.billing_type == BillingType::Boleto {
                payment.confirmed_date = Some(today);
                step(payment, ChargeStatus::Confirmed, "PAYMENT_CONFIRMED");
            }
            payment.payment_date = Some(today);
            step(payment, ChargeStatus::Received, "PAYMENT_RECEIVED");
        }
        Simulation::Overdue if payment.status == ChargeStatus::Pending => {
            step(payment, ChargeStatus::Overdue, "PAYMENT_OVERDUE");
        }
        Simulation::Refunded if payment.status.is_paid() => step(payment, ChargeStatus::Refunded, "PAYMENT_REFUNDED"),
        _ => {
            return Err(rejected(&format!("Não é possível aplicar {simulation:?} a uma cobrança {}.", payment.status)));
        }
    }
    Ok(steps)
}

impl PaymentSimulator for FakeAsaas {
    fn list_charges<'a>(&'a self, account: &'a GatewayAccount) -> GatewayFuture<'a, Vec<Charge>> {
        Box::pin(async move {
            Ok(self.shared.account(&account.api_key, |a| a.payments.iter().cloned().map(Charge::from).collect()))
        })
    }

    fn simulate<'a>(
        &'a self,
        account: &'a GatewayAccount,
        charge_id: &'a str,
        simulation: Simulation,
    ) -> GatewayFuture<'a, ()> {
        Box::pin(async move {
            if self.shared.owner_of(charge_id).as_deref() != Some(account.api_key.as_str()) {
                return Err(rejected("Cobrança não encontrada."));
            }
            FakeAsaas::simulate(self, charge_id, simulation).await.map(|_| ())
        })
    }
}
