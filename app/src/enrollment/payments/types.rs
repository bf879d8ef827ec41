//! What the payment page and its server functions exchange.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the payer pays the enrollment fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayBy {
    Pix,
    Boleto,
}

impl PayBy {
    /// Asaas' `billingType`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pix => "PIX",
            Self::Boleto => "BOLETO",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "PIX" => Some(Self::Pix),
            "BOLETO" => Some(Self::Boleto),
            _ => None,
        }
    }
}

/// The charge of an application, as the payer needs it to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeView {
    pub by: PayBy,
    pub installments: u32,
    /// The whole fee.
    pub value_cents: i64,
    /// The first (or only) installment's due date.
    pub due_date: NaiveDate,
    /// PIX: the "copia e cola" text and the QR code (PNG, base64); when it expires, dd/mm/aaaa hh:mm.
    pub pix_payload: Option<String>,
    pub pix_image: Option<String>,
    pub pix_expires: Option<String>,
    /// Boleto: the PDF and the digitable line.
    pub boleto_url: Option<String>,
    pub boleto_line: Option<String>,
    /// Asaas' page for the charge (every way to pay in one place).
    pub invoice_url: Option<String>,
    /// The provider's status as we last heard it (PENDING, RECEIVED…), once a webhook or a check told us.
    pub status: Option<String>,
}

/// The payment page of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSummary {
    pub course_name: String,
    pub term: String,
    pub status: crate::enrollment::types::ApplicationStatus,
    pub fee_cents: i64,
    pub max_installments: u32,
    /// `None` until the payer chose how to pay.
    pub charge: Option<ChargeView>,
}

/// A flag that needs staff (`applications.payment_flag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentFlag {
    /// Paid after the window released the seat, with no seat left in the class.
    PaidWithoutSeat,
    /// The payer disputed the paid charge at the card issuer or bank.
    Chargeback,
}

impl PaymentFlag {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "paid_without_seat" => Some(Self::PaidWithoutSeat),
            "chargeback" => Some(Self::Chargeback),
            _ => None,
        }
    }

    pub fn label(self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Self::PaidWithoutSeat => Text::new("Pago sem vaga", "Paid without a seat"),
            Self::Chargeback => Text::new("Chargeback em disputa", "Chargeback in dispute"),
        }
    }
}

/// The enrollment charge as staff see it on the application page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCharge {
    pub by: PayBy,
    pub value_cents: i64,
    /// The first (or only) installment's due date.
    pub due_date: NaiveDate,
    /// Asaas' status as we last heard it (PENDING, RECEIVED…).
    pub status: Option<String>,
    /// When the seat stops being held without a payment (the PIX's expiry, or the boleto's due date + 3 business
    /// days).
    pub window_ends: chrono::DateTime<chrono::Utc>,
    /// Whether this is the application's open charge (a closed one ended with its window or a refund).
    pub open: bool,
}

/// The payment part of the staff's application page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPayment {
    pub charge: Option<StaffCharge>,
    pub flag: Option<PaymentFlag>,
    pub flag_since: Option<chrono::DateTime<chrono::Utc>>,
}

/// An Asaas status in staff's words.
pub fn charge_status_label(status: &str) -> crate::i18n::Text {
    use crate::i18n::Text;
    match status {
        "PENDING" => Text::new("Aguardando pagamento", "Awaiting payment"),
        "AWAITING_RISK_ANALYSIS" => Text::new("Em análise de risco", "In risk analysis"),
        "OVERDUE" => Text::new("Vencida", "Overdue"),
        "CONFIRMED" => Text::new("Paga (saldo a liberar)", "Paid (balance pending)"),
        "RECEIVED" | "DUNNING_RECEIVED" => Text::new("Paga", "Paid"),
        "RECEIVED_IN_CASH" => Text::new("Paga em dinheiro", "Paid in cash"),
        "REFUND_REQUESTED" | "REFUND_IN_PROGRESS" => Text::new("Estorno em andamento", "Refund in progress"),
        "REFUNDED" => Text::new("Estornada", "Refunded"),
        "CHARGEBACK_REQUESTED" => Text::new("Chargeback recebido", "Chargeback received"),
        "CHARGEBACK_DISPUTE" => Text::new("Chargeback em disputa", "Chargeback in dispute"),
        "AWAITING_CHARGEBACK_REVERSAL" => {
            Text::new("Disputa vencida, aguardando repasse", "Dispute won, awaiting the transfer")
        }
        "DUNNING_REQUESTED" => Text::new("Em negativação", "In collection"),
        _ => Text::new("Situação desconhecida", "Unknown status"),
    }
}
