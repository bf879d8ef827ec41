//! The statuses of an Asaas charge, by their wire names (what `payments.status` stores).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentStatus {
    Pending,
    AwaitingRiskAnalysis,
    Overdue,
    Confirmed,
    Received,
    ReceivedInCash,
    RefundRequested,
    RefundInProgress,
    Refunded,
    ChargebackRequested,
    ChargebackDispute,
    AwaitingChargebackReversal,
    DunningRequested,
    DunningReceived,
}

impl PaymentStatus {
    pub const ALL: [Self; 14] = [
        Self::Pending,
        Self::AwaitingRiskAnalysis,
        Self::Overdue,
        Self::Confirmed,
        Self::Received,
        Self::ReceivedInCash,
        Self::RefundRequested,
        Self::RefundInProgress,
        Self::Refunded,
        Self::ChargebackRequested,
        Self::ChargebackDispute,
        Self::AwaitingChargebackReversal,
        Self::DunningRequested,
        Self::DunningReceived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::AwaitingRiskAnalysis => "AWAITING_RISK_ANALYSIS",
            Self::Overdue => "OVERDUE",
            Self::Confirmed => "CONFIRMED",
            Self::Received => "RECEIVED",
            Self::ReceivedInCash => "RECEIVED_IN_CASH",
            Self::RefundRequested => "REFUND_REQUESTED",
            Self::RefundInProgress => "REFUND_IN_PROGRESS",
            Self::Refunded => "REFUNDED",
            Self::ChargebackRequested => "CHARGEBACK_REQUESTED",
            Self::ChargebackDispute => "CHARGEBACK_DISPUTE",
            Self::AwaitingChargebackReversal => "AWAITING_CHARGEBACK_REVERSAL",
            Self::DunningRequested => "DUNNING_REQUESTED",
            Self::DunningReceived => "DUNNING_RECEIVED",
        }
    }

    /// The status with this wire name; `None` for a status we do not know (Asaas may add some): such events are
    /// recorded and ignored rather than guessed at.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }

    /// Money is in (or was, and may still come back): nothing more will happen unless a refund or chargeback
    /// starts. The reconciliation job stops asking the provider about payments in a final status.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Received | Self::ReceivedInCash | Self::Refunded | Self::DunningReceived)
    }

    /// The payer has paid (the charge may still be refunded later).
    pub fn is_paid(self) -> bool {
        matches!(self, Self::Confirmed | Self::Received | Self::ReceivedInCash | Self::DunningReceived)
    }
}

impl std::fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(PaymentStatus::parse("SOMETHING_NEW"), None);
        assert_eq!(PaymentStatus::parse("received"), None, "wire names are upper case");
    }
}
