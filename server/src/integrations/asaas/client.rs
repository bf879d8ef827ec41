//! `PaymentGateway` over the Asaas REST API v3, on the outbound kit (dependency `asaas`). Reads are retried, writes
//! are not: a charge created twice would charge a student twice.

use app::platform::integrations::payment_gateway::{
    Charge, ChargePage, ChargeStatus, Customer, GatewayAccount, GatewayError, GatewayFuture, NewCharge, NewCustomer,
    PaymentGateway, PixQrCode,
};
use reqwest::RequestBuilder;
use serde::{Serialize, de::DeserializeOwned};

use super::wire::{
    AsaasCustomer, AsaasErrors, AsaasIdentificationField, AsaasList, AsaasPayment, AsaasPixQrCode, AsaasWebhook,
    NewCustomerBody, NewPaymentBody,
};
use crate::integrations::outbound::{Idempotency, OutboundClient, OutboundError, OutboundSettings};
use crate::turns::Turns;

pub const DEPENDENCY: &str = "asaas";

/// The payment events a tenant's webhook subscribes to.
const WEBHOOK_EVENTS: [&str; 17] = [
    "PAYMENT_CREATED",
    "PAYMENT_UPDATED",
    "PAYMENT_CONFIRMED",
    "PAYMENT_RECEIVED",
    "PAYMENT_OVERDUE",
    "PAYMENT_DELETED",
    "PAYMENT_RESTORED",
    "PAYMENT_REFUNDED",
    "PAYMENT_PARTIALLY_REFUNDED",
    "PAYMENT_REFUND_IN_PROGRESS",
    "PAYMENT_RECEIVED_IN_CASH_UNDONE",
    "PAYMENT_CHARGEBACK_REQUESTED",
    "PAYMENT_CHARGEBACK_DISPUTE",
    "PAYMENT_AWAITING_CHARGEBACK_REVERSAL",
    "PAYMENT_DUNNING_RECEIVED",
    "PAYMENT_DUNNING_REQUESTED",
    "PAYMENT_AWAITING_RISK_ANALYSIS",
];

#[derive(Debug, Clone)]
pub struct AsaasSettings {
    /// `AsaasSettings::PRODUCTION`, `AsaasSettings::SANDBOX`, or a fake's `base_url()`.
    pub base_url: String,
    /// Where Asaas e-mails us when it stops delivering to a webhook (optional).
    pub webhook_email: Option<String>,
    pub outbound: OutboundSettings,
}

impl AsaasSettings {
    pub const PRODUCTION: &str = "https://api.asaas.com/v3";
    pub const SANDBOX: &str = "https://api-sandbox.asaas.com/v3";

    pub fn new(base_url: impl Into<String>) -> Self {
        Self { base_url: base_url.into(), webhook_email: None, outbound: OutboundSettings::default() }
    }
}

/// One client for every tenant: the account (API key) comes with each call. Clones share the breaker.
#[derive(Debug, Clone)]
pub struct AsaasClient {
    base_url: String,
    webhook_email: Option<String>,
    http: OutboundClient,
    /// One find-or-create at a time per account and CPF: two at once (a double submit, two applications of one
    /// payer) would both find nothing and create the payer twice. Within this process only.
    customer_turns: Turns<(String, String)>,
}

impl AsaasClient {
    pub fn new(settings: AsaasSettings) -> Result<Self, OutboundError> {
        Ok(Self {
            base_url: settings.base_url.trim_end_matches('/').to_string(),
            webhook_email: settings.webhook_email,
            http: OutboundClient::new(DEPENDENCY, settings.outbound)?,
            customer_turns: Turns::default(),
        })
    }

    /// The outbound client (breaker state, availability).
    pub fn outbound(&self) -> &OutboundClient {
        &self.http
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    fn authorized(&self, request: RequestBuilder, account: &GatewayAccount) -> RequestBuilder {
        request.header("access_token", &account.api_key)
    }

    async fn call<T: DeserializeOwned>(
        &self,
        account: &GatewayAccount,
        request: RequestBuilder,
        idempotency: Idempotency,
    ) -> Result<T, GatewayError> {
        let response = self.http.send(self.authorized(request, account), idempotency).await.map_err(gateway_error)?;
        let bytes = response.bytes().await.map_err(|error| {
            if error.is_timeout() {
                GatewayError::Unavailable { dependency: DEPENDENCY }
            } else {
                GatewayError::Unexpected(format!("reading the asaas answer: {}", error.without_url()))
            }
        })?;
        serde_json::from_slice(&bytes).map_err(|error| GatewayError::Unexpected(format!("asaas answer: {error}")))
    }

    async fn get<T: DeserializeOwned>(
        &self,
        account: &GatewayAccount,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, GatewayError> {
        self.call(account, self.http.get(&self.url(path)).query(query), Idempotency::Safe).await
    }

    async fn post<T: DeserializeOwned>(
        &self,
        account: &GatewayAccount,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, GatewayError> {
        self.call(account, self.http.post(&self.url(path)).json(body), Idempotency::Unsafe).await
    }

    async fn find_customer(&self, account: &GatewayAccount, cpf: &str) -> Result<Option<Customer>, GatewayError> {
        let page: AsaasList<AsaasCustomer> = self.get(account, "/customers", &[("cpfCnpj", cpf)]).await?;
        Ok(page.data.into_iter().find(|c| !c.deleted).map(|c| Customer { id: c.id }))
    }

    async fn charges(&self, account: &GatewayAccount, query: &[(&str, &str)]) -> Result<ChargePage, GatewayError> {
        let page: AsaasList<AsaasPayment> = self.get(account, "/payments", query).await?;
        Ok(ChargePage { data: page.data.into_iter().map(Charge::from).collect(), has_more: page.has_more })
    }

    async fn upsert_webhook(&self, account: &GatewayAccount, url: &str, token: &str) -> Result<(), GatewayError> {
        let webhook = AsaasWebhook {
            id: None,
            name: "Atrium".into(),
            url: url.into(),
            email: self.webhook_email.clone(),
            enabled: true,
            interrupted: false,
            auth_token: Some(token.into()),
            send_type: "SEQUENTIALLY".into(),
            events: WEBHOOK_EVENTS.iter().map(|event| (*event).to_string()).collect(),
        };
        // Calling again (a new token, a re-enabled queue) updates the webhook for this URL instead of adding one.
        let existing: AsaasList<AsaasWebhook> = self.get(account, "/webhooks", &[]).await?;
        match existing.data.into_iter().find(|hook| hook.url == url).and_then(|hook| hook.id) {
            Some(id) => {
                let path = format!("/webhooks/{}", checked_id(&id)?);
                let request = self.http.put(&self.url(&path)).json(&webhook);
                // Replacing a configuration with the same one is harmless to repeat.
                self.call::<serde_json::Value>(account, request, Idempotency::Safe).await?;
            }
            None => {
                self.post::<serde_json::Value>(account, "/webhooks", &webhook).await?;
            }
        }
        Ok(())
    }
}

impl PaymentGateway for AsaasClient {
    fn find_or_create_customer<'a>(
        &'a self,
        account: &'a GatewayAccount,
        customer: NewCustomer,
    ) -> GatewayFuture<'a, Customer> {
        Box::pin(async move {
            let _turn = self.customer_turns.take((account.api_key.clone(), customer.cpf.clone())).await;
            if let Some(found) = self.find_customer(account, &customer.cpf).await? {
                return Ok(found);
            }
            let body = NewCustomerBody {
                name: customer.name,
                cpf_cnpj: customer.cpf,
                email: customer.email,
                mobile_phone: customer.phone,
            };
            let created: AsaasCustomer = self.post(account, "/customers", &body).await?;
            Ok(Customer { id: created.id })
        })
    }

    fn create_charge<'a>(&'a self, account: &'a GatewayAccount, charge: NewCharge) -> GatewayFuture<'a, Charge> {
        Box::pin(async move {
            let payment: AsaasPayment = self.post(account, "/payments", &NewPaymentBody::new(charge)).await?;
            Ok(payment.into())
        })
    }

    fn pix_qr_code<'a>(&'a self, account: &'a GatewayAccount, charge_id: &'a str) -> GatewayFuture<'a, PixQrCode> {
        Box::pin(async move {
            let path = format!("/payments/{}/pixQrCode", checked_id(charge_id)?);
            let qr: AsaasPixQrCode = self.get(account, &path, &[]).await?;
            Ok(qr.into())
        })
    }

    fn boleto_line<'a>(&'a self, account: &'a GatewayAccount, charge_id: &'a str) -> GatewayFuture<'a, String> {
        Box::pin(async move {
            let path = format!("/payments/{}/identificationField", checked_id(charge_id)?);
            let field: AsaasIdentificationField = self.get(account, &path, &[]).await?;
            Ok(field.identification_field)
        })
    }

    fn get_charge<'a>(&'a self, account: &'a GatewayAccount, charge_id: &'a str) -> GatewayFuture<'a, Charge> {
        Box::pin(async move {
            let path = format!("/payments/{}", checked_id(charge_id)?);
            let payment: AsaasPayment = self.get(account, &path, &[]).await?;
            Ok(payment.into())
        })
    }

    fn list_charges<'a>(
        &'a self,
        account: &'a GatewayAccount,
        status: ChargeStatus,
        offset: u32,
        limit: u32,
    ) -> GatewayFuture<'a, ChargePage> {
        Box::pin(async move {
            let (offset, limit) = (offset.to_string(), limit.clamp(1, 100).to_string());
            self.charges(account, &[("status", status.as_str()), ("offset", &offset), ("limit", &limit)]).await
        })
    }

    fn find_charges_by_reference<'a>(
        &'a self,
        account: &'a GatewayAccount,
        external_reference: &'a str,
    ) -> GatewayFuture<'a, Vec<Charge>> {
        Box::pin(async move {
            let page = self.charges(account, &[("externalReference", external_reference), ("limit", "100")]).await?;
            Ok(page.data)
        })
    }

    fn configure_webhook<'a>(
        &'a self,
        account: &'a GatewayAccount,
        url: &'a str,
        auth_token: &'a str,
    ) -> GatewayFuture<'a, ()> {
        Box::pin(self.upsert_webhook(account, url, auth_token))
    }
}

/// Ids go into paths: anything but Asaas' id alphabet (`pay_abc123`) could reach another endpoint.
fn checked_id(id: &str) -> Result<&str, GatewayError> {
    let valid =
        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if valid { Ok(id) } else { Err(GatewayError::Rejected { message: "invalid id".into() }) }
}

/// Down, slow or overloaded ⇒ `Unavailable` (try later); a 4xx ⇒ `Rejected` with Asaas' own explanation.
pub fn gateway_error(error: OutboundError) -> GatewayError {
    match &error {
        OutboundError::Status { status, body_excerpt, .. } if status.is_client_error() && !error.is_transient() => {
            let message = serde_json::from_str::<AsaasErrors>(body_excerpt)
                .ok()
                .map(|body| body.errors.into_iter().map(|e| e.description).collect::<Vec<_>>().join("; "))
                .filter(|message| !message.is_empty())
                .unwrap_or_else(|| format!("HTTP {status}"));
            GatewayError::Rejected { message }
        }
        _ if error.is_transient() => GatewayError::Unavailable { dependency: DEPENDENCY },
        _ => GatewayError::Unexpected(error.to_string()),
    }
}
