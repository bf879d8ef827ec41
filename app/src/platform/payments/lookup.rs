//! One charge, or a module's open charges, as the platform's `payments` rows hold them: how modules read a
//! payment's amounts and due date (enrollment books tuition and feeds the forecast from here), never with their own
//! SQL on `payments`.

use chrono::{DateTime, NaiveDate, Utc};

use super::PaymentStatus;
use crate::platform::tenancy::TenantTx;

/// A charge as we last heard of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeFacts {
    pub charge_id: String,
    pub external_reference: Option<String>,
    pub status: PaymentStatus,
    pub value_cents: i64,
    /// What reaches the account after the provider's fee, when the provider said.
    pub net_value_cents: Option<i64>,
    pub billing_type: String,
    pub due_date: Option<NaiveDate>,
    /// When it was first paid (the provider's time of that event).
    pub paid_at: Option<DateTime<Utc>>,
}

impl ChargeFacts {
    /// The provider's fee: value − net value (zero when the net value is unknown or not below the value).
    pub fn fee_cents(&self) -> i64 {
        self.net_value_cents.map_or(0, |net| (self.value_cents - net).max(0))
    }
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    provider_charge_id: String,
    external_reference: Option<String>,
    status: String,
    value_cents: i64,
    net_value_cents: Option<i64>,
    billing_type: String,
    due_date: Option<NaiveDate>,
    paid_at: Option<DateTime<Utc>>,
}

impl FactsRow {
    fn facts(self) -> Option<ChargeFacts> {
        Some(ChargeFacts {
            status: PaymentStatus::parse(&self.status)?,
            charge_id: self.provider_charge_id,
            external_reference: self.external_reference,
            value_cents: self.value_cents,
            net_value_cents: self.net_value_cents,
            billing_type: self.billing_type,
            due_date: self.due_date,
            paid_at: self.paid_at,
        })
    }
}

const FACTS: &str = "select provider_charge_id, external_reference, status, value_cents, net_value_cents, billing_type,
                            due_date, paid_at
                       from payments";

/// Charge `charge_id` of the tenant, if we know it.
pub async fn charge_facts(tx: &mut TenantTx, charge_id: &str) -> Result<Option<ChargeFacts>, sqlx::Error> {
    let row: Option<FactsRow> = sqlx::query_as(&format!("{FACTS} where tenant_id = $1 and provider_charge_id = $2"))
        .bind(tx.tenant_id())
        .bind(charge_id)
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.and_then(FactsRow::facts))
}

/// The tenant's charges whose reference starts with `prefix` that still wait for their money (PENDING, OVERDUE,
/// AWAITING_RISK_ANALYSIS) and are due up to `until`, oldest due first.
pub async fn open_by_reference_prefix(
    tx: &mut TenantTx,
    prefix: &str,
    until: NaiveDate,
) -> Result<Vec<ChargeFacts>, sqlx::Error> {
    let pending: Vec<&str> = super::totals::PENDING.into_iter().map(PaymentStatus::as_str).collect();
    let rows: Vec<FactsRow> = sqlx::query_as(&format!(
        "{FACTS} where tenant_id = $1 and starts_with(external_reference, $2) and status = any($3)
                   and coalesce(due_date, $4) <= $4
                 order by due_date, provider_charge_id"
    ))
    .bind(tx.tenant_id())
    .bind(prefix)
    .bind(&pending)
    .bind(until)
    .fetch_all(tx.conn())
    .await?;
    Ok(rows.into_iter().filter_map(FactsRow::facts).collect())
}
