//! Charging students: customers and PIX / boleto charges at the payment provider (Asaas), one provider account per
//! institution. Services see only the `PaymentGateway` trait; the Asaas client and its in-process fake live in
//! `server/src/integrations/asaas/`. Amounts are integer cents here; the client converts to the provider's decimal
//! reais exactly.

use std::{future::Future, pin::Pin};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// One institution's provider account. Not `Serialize` (the key never goes to a browser), and `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct GatewayAccount {
    pub api_key: String,
}

impl std::fmt::Debug for GatewayAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayAccount").field("api_key", &"<redacted>").finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCustomer {
    pub name: String,
    /// CPF, digits only.
    pub cpf: String,
    pub email: Option<String>,
    /// DDD + number, digits only (the provider's format).
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
}

/// How the payer pays. `Other` keeps charges created elsewhere (credit card, in the provider's panel) readable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum BillingType {
    Pix,
    Boleto,
    Other(String),
}

impl BillingType {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Pix => "PIX",
            Self::Boleto => "BOLETO",
            Self::Other(other) => other,
        }
    }
}

impl From<String> for BillingType {
    fn from(value: String) -> Self {
        match value.as_str() {
            "PIX" => Self::Pix,
            "BOLETO" => Self::Boleto,
            _ => Self::Other(value),
        }
    }
}

impl From<BillingType> for String {
    fn from(value: BillingType) -> Self {
        value.as_str().to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCharge {
    pub customer_id: String,
    pub billing: BillingType,
    /// The whole amount, split by the provider when `installments` is more than one.
    pub value_cents: i64,
    /// The first (or only) due date; further installments fall due a month apart.
    pub due_date: NaiveDate,
    pub description: String,
    /// 1: a single charge; more: the provider creates that many monthly charges (each carrying
    /// `external_reference`) and answers with the first.
    pub installments: u32,
    /// Our id for what is being paid (e.g. the enrollment payment's UUID): webhooks and reconciliation find our
    /// record by it, and after an uncertain create (a timeout) `find_charges_by_reference` tells whether the charge
    /// exists before creating it again.
    pub external_reference: String,
}

/// A payment's status at the provider. `Unknown` keeps a status the provider adds later from breaking parsing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum ChargeStatus {
    Pending,
    Received,
    Confirmed,
    Overdue,
    Refunded,
    ReceivedInCash,
    RefundRequested,
    RefundInProgress,
    ChargebackRequested,
    ChargebackDispute,
    AwaitingChargebackReversal,
    DunningRequested,
    DunningReceived,
    AwaitingRiskAnalysis,
    Unknown(String),
}

const STATUSES: [(ChargeStatus, &str); 14] = [
    (ChargeStatus::Pending, "PENDING"),
    (ChargeStatus::Received, "RECEIVED"),
    (ChargeStatus::Confirmed, "CONFIRMED"),
    (ChargeStatus::Overdue, "OVERDUE"),
    (ChargeStatus::Refunded, "REFUNDED"),
    (ChargeStatus::ReceivedInCash, "RECEIVED_IN_CASH"),
    (ChargeStatus::RefundRequested, "REFUND_REQUESTED"),
    (ChargeStatus::RefundInProgress, "REFUND_IN_PROGRESS"),
    (ChargeStatus::ChargebackRequested, "CHARGEBACK_REQUESTED"),
    (ChargeStatus::ChargebackDispute, "CHARGEBACK_DISPUTE"),
    (ChargeStatus::AwaitingChargebackReversal, "AWAITING_CHARGEBACK_REVERSAL"),
    (ChargeStatus::DunningRequested, "DUNNING_REQUESTED"),
    (ChargeStatus::DunningReceived, "DUNNING_RECEIVED"),
    (ChargeStatus::AwaitingRiskAnalysis, "AWAITING_RISK_ANALYSIS"),
];

impl ChargeStatus {
    /// The provider's name (`RECEIVED_IN_CASH`).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown(other) => other,
            known => STATUSES.iter().find(|(status, _)| status == known).map_or("UNKNOWN", |(_, name)| name),
        }
    }

    /// Whether the money arrived (by PIX, boleto or in cash).
    pub fn is_paid(&self) -> bool {
        matches!(self, Self::Received | Self::Confirmed | Self::ReceivedInCash)
    }
}

impl From<String> for ChargeStatus {
    fn from(value: String) -> Self {
        STATUSES.iter().find(|(_, name)| *name == value).map_or(Self::Unknown(value), |(status, _)| status.clone())
    }
}

impl From<ChargeStatus> for String {
    fn from(value: ChargeStatus) -> Self {
        value.as_str().to_string()
    }
}

impl std::fmt::Display for ChargeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub id: String,
    pub customer_id: String,
    pub status: ChargeStatus,
    pub billing: BillingType,
    pub value_cents: i64,
    pub due_date: NaiveDate,
    pub external_reference: Option<String>,
    /// The provider's payment page (PIX, boleto and card in one place).
    pub invoice_url: Option<String>,
    /// The boleto PDF (boleto charges only).
    pub bank_slip_url: Option<String>,
    pub payment_date: Option<NaiveDate>,
    /// Which installment this is (1, 2, …), for charges created in installments.
    pub installment_number: Option<u32>,
    /// What reaches the institution after the provider's fee, when the provider says.
    pub net_value_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PixQrCode {
    /// PNG, base64 (for `<img src="data:image/png;base64,…">`).
    pub encoded_image: String,
    /// The "copia e cola" text.
    pub payload: String,
    pub expiration_date: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargePage {
    pub data: Vec<Charge>,
    pub has_more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// The provider is down or its circuit breaker is open: nothing was decided, try again later.
    #[error("{dependency} is unavailable, try again later")]
    Unavailable { dependency: &'static str },
    /// The provider refused our input (a 4xx); `message` is its explanation (in Portuguese, from Asaas).
    #[error("refused by the payment provider: {message}")]
    Rejected { message: String },
    #[error("unexpected payment provider error: {0}")]
    Unexpected(String),
}

pub type GatewayFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, GatewayError>> + Send + 'a>>;

/// The payment provider, per institution account. Dyn-compatible: the server hands in `Arc<dyn PaymentGateway>`.
pub trait PaymentGateway: Send + Sync {
    /// The customer with this CPF, created if the account has none yet (safe to call again).
    fn find_or_create_customer<'a>(
        &'a self,
        account: &'a GatewayAccount,
        customer: NewCustomer,
    ) -> GatewayFuture<'a, Customer>;

    /// Creates a charge. Not retried: after `Unavailable` the charge may or may not exist, so look it up with
    /// `find_charges_by_reference` before creating it again.
    fn create_charge<'a>(&'a self, account: &'a GatewayAccount, charge: NewCharge) -> GatewayFuture<'a, Charge>;

    fn pix_qr_code<'a>(&'a self, account: &'a GatewayAccount, charge_id: &'a str) -> GatewayFuture<'a, PixQrCode>;

    /// The boleto's digitable line (linha digitável), for payers who type it into their bank's app.
    fn boleto_line<'a>(&'a self, account: &'a GatewayAccount, charge_id: &'a str) -> GatewayFuture<'a, String>;

    fn get_charge<'a>(&'a self, account: &'a GatewayAccount, charge_id: &'a str) -> GatewayFuture<'a, Charge>;

    /// Charges in one status, `limit` at a time from `offset` (the reconciliation job walks `Pending`).
    fn list_charges<'a>(
        &'a self,
        account: &'a GatewayAccount,
        status: ChargeStatus,
        offset: u32,
        limit: u32,
    ) -> GatewayFuture<'a, ChargePage>;

    /// The charges carrying our `external_reference` (normally none or one).
    fn find_charges_by_reference<'a>(
        &'a self,
        account: &'a GatewayAccount,
        external_reference: &'a str,
    ) -> GatewayFuture<'a, Vec<Charge>>;

    /// Points the account's payment events at `url`, which the provider calls with `auth_token` in a header.
    fn configure_webhook<'a>(
        &'a self,
        account: &'a GatewayAccount,
        url: &'a str,
        auth_token: &'a str,
    ) -> GatewayFuture<'a, ()>;
}

/// What a developer can make happen to a charge in the fake provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Simulation {
    Paid,
    Overdue,
    Refunded,
}

/// Development and test control of the fake provider (the backoffice's "simulate payment" button). Never
/// implemented by the real client.
pub trait PaymentSimulator: Send + Sync {
    fn list_charges<'a>(&'a self, account: &'a GatewayAccount) -> GatewayFuture<'a, Vec<Charge>>;

    /// Changes the charge and delivers the webhook the provider would send.
    fn simulate<'a>(
        &'a self,
        account: &'a GatewayAccount,
        charge_id: &'a str,
        simulation: Simulation,
    ) -> GatewayFuture<'a, ()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_by_their_provider_names_and_keep_unknown_ones() {
        for (status, name) in STATUSES {
            assert_eq!(ChargeStatus::from(name.to_string()), status);
            assert_eq!(status.as_str(), name);
        }
        let new = ChargeStatus::from("PARTIALLY_REFUNDED".to_string());
        assert_eq!(new, ChargeStatus::Unknown("PARTIALLY_REFUNDED".into()));
        assert_eq!(new.as_str(), "PARTIALLY_REFUNDED");
    }

    #[test]
    fn billing_types_keep_unknown_ones() {
        assert_eq!(BillingType::from("PIX".to_string()), BillingType::Pix);
        assert_eq!(BillingType::from("CREDIT_CARD".to_string()).as_str(), "CREDIT_CARD");
    }

    #[test]
    fn the_api_key_never_shows_in_debug() {
        let account = GatewayAccount { api_key: "$aact_secret".into() };
        assert!(!format!("{account:?}").contains("secret"));
    }
}
