//! The payment state machine: may an incoming status, seen at a given provider time, move a payment?
//!
//! Providers deliver webhooks at least once and in any order, and the reconciliation job adds its own
//! observations. The rule that makes every arrival order end in the same state: **apply an event only if it is
//! not older than the payment's current status and its status can follow the current one in the charge's
//! lifecycle** (is reachable from it, through any number of steps). Reachability is transitive, so the newest
//! event of a real history is always applicable to whatever state an older event left behind, and once applied
//! every older event is stale: the final state is the newest event's status, whatever the order.
//!
//! Direct moves (reachability is their transitive closure):
//!
//! | from                           | to                                                                            |
//! |--------------------------------|-------------------------------------------------------------------------------|
//! | `PENDING`                      | `AWAITING_RISK_ANALYSIS`, `OVERDUE`, `CONFIRMED`, `RECEIVED`, `RECEIVED_IN_CASH` |
//! | `AWAITING_RISK_ANALYSIS`       | `PENDING` (approved), `CONFIRMED`, `RECEIVED`                                 |
//! | `OVERDUE`                      | `PENDING` (due date moved), `CONFIRMED`, `RECEIVED`, `RECEIVED_IN_CASH` (late payment), `DUNNING_REQUESTED` |
//! | `DUNNING_REQUESTED`            | `OVERDUE` (dunning cancelled), `DUNNING_RECEIVED`, `RECEIVED`                 |
//! | `CONFIRMED`                    | `RECEIVED`, `REFUND_REQUESTED`, `REFUNDED`, `CHARGEBACK_REQUESTED`            |
//! | `RECEIVED`                     | `REFUND_REQUESTED`, `REFUND_IN_PROGRESS`, `REFUNDED`, `CHARGEBACK_REQUESTED`  |
//! | `RECEIVED_IN_CASH`             | `PENDING`, `OVERDUE` (a manual "paid in cash" undone)                         |
//! | `REFUND_REQUESTED`             | `REFUND_IN_PROGRESS`, `REFUNDED`, `RECEIVED` (refund denied)                  |
//! | `REFUND_IN_PROGRESS`           | `REFUNDED`                                                                    |
//! | `CHARGEBACK_REQUESTED`         | `CHARGEBACK_DISPUTE`, `AWAITING_CHARGEBACK_REVERSAL`, `RECEIVED` (reversed)   |
//! | `CHARGEBACK_DISPUTE`           | `AWAITING_CHARGEBACK_REVERSAL`, `RECEIVED`                                    |
//! | `AWAITING_CHARGEBACK_REVERSAL` | `RECEIVED`                                                                    |
//! | `REFUNDED`, `DUNNING_RECEIVED` | — (terminal)                                                                  |
//!
//! Consequences the tests pin down: a `RECEIVED` (or `CONFIRMED`) payment never goes back to `PENDING` or
//! `OVERDUE`; `REFUNDED` and `DUNNING_RECEIVED` never move; the same status again is a no-op (a newer one only
//! moves the status time forward, see `Decision::Refresh`); an event older than
//! the current status never applies. Two events with the *same* provider time (Asaas stamps to the second) are
//! ordered by lifecycle rank: on a tie only a move further along the lifecycle applies.

use chrono::{DateTime, Utc};

use super::PaymentStatus::{self, *};

/// What to do with an incoming status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Apply,
    /// The same status, reported later than the current one: the status stays, but its time moves forward to
    /// this event's, so events older than this observation stay stale (without it, a `RECEIVED` seen again after
    /// a denied refund would let the older `REFUND_REQUESTED` apply afterwards).
    Refresh,
    Ignore(IgnoreReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoreReason {
    /// The payment already has this status.
    SameStatus,
    /// Older than the event that set the current status (or as old, and not further along the lifecycle).
    Stale,
    /// The lifecycle does not lead from the current status to this one (e.g. `RECEIVED` → `OVERDUE`).
    NotAllowed,
}

impl IgnoreReason {
    /// How the history records it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SameStatus => "same status",
            Self::Stale => "stale",
            Self::NotAllowed => "not allowed",
        }
    }
}

/// The direct moves of the table above.
fn direct_moves(from: PaymentStatus) -> &'static [PaymentStatus] {
    match from {
        Pending => &[AwaitingRiskAnalysis, Overdue, Confirmed, Received, ReceivedInCash],
        AwaitingRiskAnalysis => &[Pending, Confirmed, Received],
        Overdue => &[Pending, Confirmed, Received, ReceivedInCash, DunningRequested],
        DunningRequested => &[Overdue, DunningReceived, Received],
        Confirmed => &[Received, RefundRequested, Refunded, ChargebackRequested],
        Received => &[RefundRequested, RefundInProgress, Refunded, ChargebackRequested],
        ReceivedInCash => &[Pending, Overdue],
        RefundRequested => &[RefundInProgress, Refunded, Received],
        RefundInProgress => &[Refunded],
        ChargebackRequested => &[ChargebackDispute, AwaitingChargebackReversal, Received],
        ChargebackDispute => &[AwaitingChargebackReversal, Received],
        AwaitingChargebackReversal => &[Received],
        Refunded | DunningReceived => &[],
    }
}

/// Whether `to` can follow `from` in a charge's life, through any number of direct moves.
pub fn may_move(from: PaymentStatus, to: PaymentStatus) -> bool {
    let mut seen = [false; PaymentStatus::ALL.len()];
    let mut stack = vec![from];
    while let Some(status) = stack.pop() {
        for &next in direct_moves(status) {
            if next == to {
                return true;
            }
            if !seen[next as usize] {
                seen[next as usize] = true;
                stack.push(next);
            }
        }
    }
    false
}

/// How far along the lifecycle a status is; only breaks ties between events with the same provider time.
fn rank(status: PaymentStatus) -> u8 {
    match status {
        Pending => 0,
        AwaitingRiskAnalysis => 1,
        Overdue => 2,
        DunningRequested => 3,
        Confirmed | ReceivedInCash => 4,
        Received | DunningReceived => 5,
        RefundRequested | ChargebackRequested => 6,
        RefundInProgress | ChargebackDispute => 7,
        AwaitingChargebackReversal => 8,
        Refunded => 9,
    }
}

/// Decides whether `incoming`, which the provider reported at `at`, moves a payment whose status is `current`
/// (with the provider time that set it), or `None` for a payment we do not know yet.
pub fn decide(current: Option<(PaymentStatus, DateTime<Utc>)>, incoming: PaymentStatus, at: DateTime<Utc>) -> Decision {
    let Some((status, status_at)) = current else { return Decision::Apply };
    if status == incoming {
        if at > status_at { Decision::Refresh } else { Decision::Ignore(IgnoreReason::SameStatus) }
    } else if at < status_at {
        Decision::Ignore(IgnoreReason::Stale)
    } else if !may_move(status, incoming) {
        Decision::Ignore(IgnoreReason::NotAllowed)
    } else if at == status_at && rank(incoming) <= rank(status) {
        Decision::Ignore(IgnoreReason::Stale)
    } else {
        Decision::Apply
    }
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
