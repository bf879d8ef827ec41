//! Asaas' JSON, as sent and received (API v3, camelCase, amounts in reais). Public so the webhook intake parses
//! the same payment object the client reads; `Charge::from` turns it into the product's type.

use app::platform::integrations::payment_gateway::{BillingType, Charge, ChargeStatus, PixQrCode};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::decimal::reais;

/// A payment (a "cobrança"): what `GET /payments/{id}` answers and what a webhook event carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AsaasPayment {
    #[serde(default = "payment_object")]
    pub object: String,
    pub id: String,
    #[serde(default)]
    pub date_created: Option<NaiveDate>,
    pub customer: String,
    pub billing_type: BillingType,
    #[serde(with = "reais")]
    pub value: i64,
    pub due_date: NaiveDate,
    pub status: ChargeStatus,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub external_reference: Option<String>,
    #[serde(default)]
    pub invoice_url: Option<String>,
    #[serde(default)]
    pub bank_slip_url: Option<String>,
    #[serde(default)]
    pub payment_date: Option<NaiveDate>,
    #[serde(default)]
    pub client_payment_date: Option<NaiveDate>,
    #[serde(default)]
    pub confirmed_date: Option<NaiveDate>,
    #[serde(default)]
    pub deleted: bool,
    /// The installment series this charge belongs to (charges created in installments).
    #[serde(default)]
    pub installment: Option<String>,
    #[serde(default)]
    pub installment_number: Option<u32>,
    /// The value minus Asaas' fee.
    #[serde(default, with = "optional_reais")]
    pub net_value: Option<i64>,
}

fn payment_object() -> String {
    "payment".into()
}

impl From<AsaasPayment> for Charge {
    fn from(payment: AsaasPayment) -> Self {
        Self {
            id: payment.id,
            customer_id: payment.customer,
            status: payment.status,
            billing: payment.billing_type,
            value_cents: payment.value,
            due_date: payment.due_date,
            external_reference: payment.external_reference,
            invoice_url: payment.invoice_url,
            bank_slip_url: payment.bank_slip_url,
            payment_date: payment.payment_date.or(payment.client_payment_date).or(payment.confirmed_date),
            installment_number: payment.installment_number,
            net_value_cents: payment.net_value,
        }
    }
}

/// A page of a list endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AsaasList<T> {
    #[serde(default)]
    pub has_more: bool,
    #[serde(default)]
    pub total_count: u64,
    #[serde(default)]
    pub offset: u32,
    #[serde(default)]
    pub limit: u32,
    pub data: Vec<T>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AsaasCustomer {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub cpf_cnpj: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub mobile_phone: Option<String>,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCustomerBody {
    pub name: String,
    pub cpf_cnpj: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
}

/// `POST /payments`. A single charge sends `value`; a charge in installments sends `installmentCount` and
/// `totalValue` instead (Asaas splits the total and creates one payment per installment, a month apart).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPaymentBody {
    pub customer: String,
    pub billing_type: BillingType,
    #[serde(with = "optional_reais", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installment_count: Option<u32>,
    #[serde(with = "optional_reais", skip_serializing_if = "Option::is_none")]
    pub total_value: Option<i64>,
    pub due_date: NaiveDate,
    pub description: String,
    pub external_reference: String,
}

impl NewPaymentBody {
    pub fn new(charge: app::platform::integrations::payment_gateway::NewCharge) -> Self {
        let split = charge.installments > 1;
        Self {
            customer: charge.customer_id,
            billing_type: charge.billing,
            value: (!split).then_some(charge.value_cents),
            installment_count: split.then_some(charge.installments),
            total_value: split.then_some(charge.value_cents),
            due_date: charge.due_date,
            description: charge.description,
            external_reference: charge.external_reference,
        }
    }
}

/// `GET /payments/{id}/identificationField`: the boleto's digitable line, its "nosso número" and bar code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AsaasIdentificationField {
    pub identification_field: String,
    #[serde(default)]
    pub nosso_numero: Option<String>,
    #[serde(default)]
    pub bar_code: Option<String>,
}

/// `reais` for an amount that may be absent (`null` or missing).
pub mod optional_reais {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::reais;

    pub fn serialize<S: Serializer>(cents: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match cents {
            Some(cents) => reais::serialize(cents, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        #[derive(Deserialize)]
        struct Amount(#[serde(with = "reais")] i64);
        Ok(Option::<Amount>::deserialize(deserializer)?.map(|Amount(cents)| cents))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AsaasPixQrCode {
    pub encoded_image: String,
    pub payload: String,
    #[serde(with = "date_time")]
    pub expiration_date: NaiveDateTime,
}

impl From<AsaasPixQrCode> for PixQrCode {
    fn from(qr: AsaasPixQrCode) -> Self {
        Self { encoded_image: qr.encoded_image, payload: qr.payload, expiration_date: qr.expiration_date }
    }
}

/// A webhook configuration (`/webhooks`). `auth_token` is what Asaas sends back in `asaas-access-token`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AsaasWebhook {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub enabled: bool,
    #[serde(default)]
    pub interrupted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_token: Option<String>,
    pub send_type: String,
    pub events: Vec<String>,
}

impl std::fmt::Debug for AsaasWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL carries our tenant's secret path token and `auth_token` is a secret: neither is printed.
        f.debug_struct("AsaasWebhook").field("id", &self.id).field("enabled", &self.enabled).finish_non_exhaustive()
    }
}

/// What Asaas POSTs to a webhook: `{"id":"evt_…","event":"PAYMENT_RECEIVED","dateCreated":"…","payment":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AsaasEvent {
    /// Unique per event: the intake's deduplication key.
    pub id: String,
    pub event: String,
    #[serde(with = "date_time")]
    pub date_created: NaiveDateTime,
    /// Absent on events that are not about a payment.
    #[serde(default)]
    pub payment: Option<AsaasPayment>,
}

/// `{"errors":[{"code":"invalid_value","description":"…"}]}`, Asaas' 4xx body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AsaasErrors {
    pub errors: Vec<AsaasErrorItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AsaasErrorItem {
    pub code: String,
    pub description: String,
}

impl AsaasErrors {
    pub fn one(code: &str, description: &str) -> Self {
        Self { errors: vec![AsaasErrorItem { code: code.into(), description: description.into() }] }
    }
}

/// Asaas' date-times: `2024-06-12 16:45:03` (local Brazilian time, no zone).
pub mod date_time {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

    pub fn serialize<S: Serializer>(value: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&value.format(FORMAT))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveDateTime::parse_from_str(&text, FORMAT).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_event_from_the_asaas_documentation_parses() {
        let json = r#"{
          "id": "evt_05b708f961d739ea7eba7e4db318f621&368604920",
          "event": "PAYMENT_RECEIVED",
          "dateCreated": "2024-06-12 16:45:03",
          "payment": {
            "object": "payment", "id": "pay_080225913252", "dateCreated": "2021-01-01",
            "customer": "cus_G7Dvo4iphUNk", "subscription": null, "paymentLink": null,
            "value": 129.9, "netValue": 124.9, "originalValue": null, "interestValue": null,
            "description": "Mensalidade", "billingType": "PIX", "pixTransaction": null,
            "status": "RECEIVED", "dueDate": "2021-01-10", "originalDueDate": "2021-01-10",
            "paymentDate": "2021-01-05", "clientPaymentDate": "2021-01-05", "installmentNumber": null,
            "invoiceUrl": "https://www.asaas.com/i/080225913252", "invoiceNumber": "00005101",
            "externalReference": "0190b1d2-0000-7000-8000-000000000001", "deleted": false,
            "anticipated": false, "anticipable": false, "creditDate": "2021-01-05",
            "estimatedCreditDate": "2021-01-05", "transactionReceiptUrl": null, "nossoNumero": null,
            "bankSlipUrl": null, "lastInvoiceViewedDate": null, "lastBankSlipViewedDate": null,
            "discount": {"value": 0, "limitDate": null, "dueDateLimitDays": 0, "type": "FIXED"},
            "fine": {"value": 0, "type": "FIXED"}, "interest": {"value": 0, "type": "PERCENTAGE"},
            "postalService": false, "custody": null, "refunds": null
          }
        }"#;
        let event: AsaasEvent = serde_json::from_str(json).unwrap();
        assert_eq!(event.event, "PAYMENT_RECEIVED");
        let charge = Charge::from(event.payment.unwrap());
        assert_eq!(charge.value_cents, 12_990);
        assert_eq!(charge.status, ChargeStatus::Received);
        assert_eq!(charge.billing, BillingType::Pix);
        assert_eq!(charge.payment_date, NaiveDate::from_ymd_opt(2021, 1, 5));
        assert_eq!(charge.net_value_cents, Some(12_490));
    }

    #[test]
    fn a_charge_in_installments_sends_the_count_and_the_total_instead_of_the_value() {
        use app::platform::integrations::payment_gateway::NewCharge;
        let charge = |installments| NewCharge {
            customer_id: "cus_1".into(),
            billing: BillingType::Boleto,
            value_cents: 100_000,
            due_date: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
            description: "Matrícula".into(),
            installments,
            external_reference: "enrollment:1".into(),
        };
        // As text: the amounts are exact decimals on the wire (a `Value` would read them back as floats).
        let split = serde_json::to_string(&NewPaymentBody::new(charge(4))).unwrap();
        assert!(split.contains(r#""installmentCount":4"#) && split.contains(r#""totalValue":1000.00"#), "{split}");
        assert!(!split.contains(r#""value""#), "{split}");
        let single = serde_json::to_string(&NewPaymentBody::new(charge(1))).unwrap();
        assert!(single.contains(r#""value":1000.00"#), "{single}");
        assert!(!single.contains("installmentCount") && !single.contains("totalValue"), "{single}");
    }
}
