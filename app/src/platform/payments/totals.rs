//! Sums of the `payments` rows a module's charges made, found by the `external_reference` prefix the module gives
//! its charges (enrollment: `enrollment:<intent id>`). Modules read the platform's payments through here, never
//! with their own SQL, so the meaning of "received" and "pending" lives with the statuses.

use super::PaymentStatus;
use crate::platform::tenancy::TenantTx;

/// Money of a set of charges, by where they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReferenceTotals {
    /// Paid (CONFIRMED, RECEIVED, RECEIVED_IN_CASH, DUNNING_RECEIVED).
    pub received_cents: i64,
    /// Still to be paid (PENDING, OVERDUE, AWAITING_RISK_ANALYSIS).
    pub pending_cents: i64,
}

/// Statuses of a charge still waiting for its money.
pub(super) const PENDING: [PaymentStatus; 3] =
    [PaymentStatus::Pending, PaymentStatus::Overdue, PaymentStatus::AwaitingRiskAnalysis];

/// The totals of the tenant's charges whose `external_reference` starts with `prefix`.
pub async fn totals_by_reference_prefix(tx: &mut TenantTx, prefix: &str) -> Result<ReferenceTotals, sqlx::Error> {
    let paid: Vec<&str> =
        PaymentStatus::ALL.into_iter().filter(|status| status.is_paid()).map(PaymentStatus::as_str).collect();
    let pending: Vec<&str> = PENDING.into_iter().map(PaymentStatus::as_str).collect();
    let (received_cents, pending_cents): (i64, i64) = sqlx::query_as(
        "select coalesce(sum(value_cents) filter (where status = any($3)), 0)::bigint,
                coalesce(sum(value_cents) filter (where status = any($4)), 0)::bigint
           from payments
          where tenant_id = $1 and starts_with(external_reference, $2)",
    )
    .bind(tx.tenant_id())
    .bind(prefix)
    .bind(&paid)
    .bind(&pending)
    .fetch_one(tx.conn())
    .await?;
    Ok(ReferenceTotals { received_cents, pending_cents })
}
