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
    /// Each installment's due date and value (one entry when paid at once), as Asaas splits the fee.
    pub plan: Vec<Installment>,
}

/// One installment of a charge split by Asaas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installment {
    pub number: u32,
    pub due_date: NaiveDate,
    pub value_cents: i64,
}

/// The provider statuses that mean the money arrived (issue 17: paid means these, and only these).
pub const PAID_STATUSES: [&str; 4] = ["CONFIRMED", "RECEIVED", "RECEIVED_IN_CASH", "DUNNING_RECEIVED"];

impl ChargeView {
    pub fn is_paid(&self) -> bool {
        self.status.as_deref().is_some_and(|status| PAID_STATUSES.contains(&status))
    }
}

/// The payment page of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSummary {
    pub course_name: String,
    pub term: String,
    pub status: crate::enrollment::types::ApplicationStatus,
    pub fee_cents: i64,
    pub max_installments: u32,
    /// Who pays (the financial guardian, or the student): name and CPF with its first and last digits hidden.
    pub payer_name: String,
    pub payer_cpf: String,
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

impl PaymentSummary {
    /// Paid: the application is enrolled, or its charge's money arrived (the enrollment follows in the same
    /// transaction, so both say the same once the page reads them).
    pub fn is_paid(&self) -> bool {
        self.status == crate::enrollment::types::ApplicationStatus::Enrolled
            || self.charge.as_ref().is_some_and(ChargeView::is_paid)
    }

    /// Whether the student can (still) choose how to pay: approved or awaiting payment, and no charge yet.
    pub fn can_choose(&self) -> bool {
        use crate::enrollment::types::ApplicationStatus::{Approved, AwaitingPayment};
        matches!(self.status, Approved | AwaitingPayment) && self.charge.is_none()
    }
}

/// How Asaas splits `total_cents` into `count` monthly installments from `first_due`: equal parts, the odd cents on
/// the first (what it answers to `installmentCount` + `totalValue`).
pub fn installment_plan(total_cents: i64, count: u32, first_due: NaiveDate) -> Vec<Installment> {
    let count = count.max(1);
    let each = total_cents / i64::from(count);
    let odd = total_cents - each * i64::from(count);
    (0..count)
        .map(|n| Installment {
            number: n + 1,
            due_date: first_due.checked_add_months(chrono::Months::new(n)).unwrap_or(first_due),
            value_cents: if n == 0 { each + odd } else { each },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installments_split_like_asaas_with_the_odd_cents_first_and_monthly_dues() {
        let due = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let plan = installment_plan(20_000, 3, due);
        let values: Vec<i64> = plan.iter().map(|i| i.value_cents).collect();
        assert_eq!(values, [6_668, 6_666, 6_666]);
        assert_eq!(values.iter().sum::<i64>(), 20_000);
        let dues: Vec<String> = plan.iter().map(|i| i.due_date.to_string()).collect();
        assert_eq!(dues, ["2026-01-31", "2026-02-28", "2026-03-31"], "month ends clamp, as Asaas does");
        assert_eq!(installment_plan(9_900, 1, due), [Installment { number: 1, due_date: due, value_cents: 9_900 }]);
        assert_eq!(installment_plan(9_900, 0, due).len(), 1, "never no installment");
    }
}
