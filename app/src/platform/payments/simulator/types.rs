//! Wire types of the test payments page.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCharge {
    pub id: String,
    /// `PIX` or `BOLETO`.
    pub billing: String,
    pub value_cents: i64,
    pub due_date: chrono::NaiveDate,
    /// The status at the (fake) provider.
    pub provider_status: String,
    /// The status on our side, as webhooks and reconciliation set it; `None` until the first event arrives.
    pub our_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TestPayments {
    pub charges: Vec<TestCharge>,
}

/// A status in words (Asaas' codes are shown beside it).
pub fn status_label(code: &str) -> Option<crate::i18n::Text> {
    use crate::i18n::Text;
    Some(match code {
        "PENDING" => Text::new("Aguardando pagamento", "Awaiting payment"),
        "AWAITING_RISK_ANALYSIS" => Text::new("Em análise", "Under review"),
        "OVERDUE" => Text::new("Vencida", "Overdue"),
        "CONFIRMED" => Text::new("Confirmada", "Confirmed"),
        "RECEIVED" | "RECEIVED_IN_CASH" => Text::new("Paga", "Paid"),
        "REFUND_REQUESTED" | "REFUND_IN_PROGRESS" => Text::new("Estorno em andamento", "Refund in progress"),
        "REFUNDED" => Text::new("Estornada", "Refunded"),
        "CHARGEBACK_REQUESTED" | "CHARGEBACK_DISPUTE" | "AWAITING_CHARGEBACK_REVERSAL" => {
            Text::new("Contestação", "Chargeback")
        }
        "DUNNING_REQUESTED" | "DUNNING_RECEIVED" => Text::new("Negativação", "Dunning"),
        _ => return None,
    })
}
