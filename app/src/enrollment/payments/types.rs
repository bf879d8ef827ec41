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
