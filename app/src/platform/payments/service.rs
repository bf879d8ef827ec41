//! Applying a provider's view of a charge to our `payments` row: one door for webhooks and reconciliation.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Decision, IgnoreReason, PaymentStatus, decide};
use crate::platform::tenancy::TenantTx;

/// Where an observation of a charge came from (recorded in the history).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    Webhook,
    Reconcile,
}

impl EventSource {
    fn as_str(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Reconcile => "reconcile",
        }
    }
}

/// A charge as the provider described it at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeSnapshot {
    pub charge_id: String,
    /// The provider's status name, as sent (an unknown one is recorded and ignored).
    pub status: String,
    /// `None` when the provider's description left the amount out: the amount we know is kept, never zeroed.
    pub value_cents: Option<i64>,
    /// What reaches the account after the provider's fee (`netValue`), when the description has it.
    pub net_value_cents: Option<i64>,
    pub billing_type: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub external_reference: Option<String>,
}

impl ChargeSnapshot {
    /// A charge as the gateway client read it back (creation, reconciliation): every field known.
    pub fn of(charge: &crate::platform::integrations::payment_gateway::Charge) -> Self {
        Self {
            charge_id: charge.id.clone(),
            status: charge.status.as_str().to_owned(),
            value_cents: Some(charge.value_cents),
            net_value_cents: charge.net_value_cents,
            billing_type: Some(charge.billing.as_str().to_owned()),
            due_date: Some(charge.due_date),
            external_reference: charge.external_reference.clone(),
        }
    }
}

/// One observation to apply: a webhook event, or what the reconciliation job read from the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentEvent {
    /// Unique per tenant: the provider's event id, or `reconcile:<pass>:<charge>:<status>` (the pass is part of it,
    /// so a status the charge returns to, e.g. PENDING → OVERDUE → PENDING, is news to a later pass). Applying the
    /// same id twice does nothing the second time.
    pub provider_event_id: String,
    pub source: EventSource,
    /// The provider's time of the event (the reconciliation uses the time it asked).
    pub occurred_at: DateTime<Utc>,
    pub charge: ChargeSnapshot,
}

/// What applying an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppliedOutcome {
    /// A charge we did not know: the row was created in this status.
    Created(PaymentStatus),
    Moved {
        from: PaymentStatus,
        to: PaymentStatus,
    },
    /// Recorded in the history as ignored, with the reason.
    Ignored(String),
    /// This event id was applied (or ignored) before: nothing done.
    AlreadyRecorded,
    /// A status we do not know, for a charge we do not know: nothing to record it against.
    UnknownCharge(String),
}

impl AppliedOutcome {
    /// A short line for `webhook_events.outcome` and logs.
    pub fn describe(&self) -> String {
        match self {
            Self::Created(status) => format!("created as {status}"),
            Self::Moved { from, to } => format!("{from} → {to}"),
            Self::Ignored(reason) => format!("ignored: {reason}"),
            Self::AlreadyRecorded => "already applied".into(),
            Self::UnknownCharge(status) => format!("ignored: unknown status {status} for an unknown charge"),
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct Current {
    id: Uuid,
    status: String,
    status_at: DateTime<Utc>,
}

/// Applies `event` to its payment in `tx`: locks the row (`for update`, or creates it for a charge made
/// elsewhere), asks the state machine, updates, and appends the history row. Idempotent by
/// `event.provider_event_id`. Concurrent calls for one charge serialise on the row lock.
pub async fn apply_event(tx: &mut TenantTx, event: &PaymentEvent) -> Result<AppliedOutcome, sqlx::Error> {
    let incoming = PaymentStatus::parse(&event.charge.status);
    let current = match lock(tx, &event.charge.charge_id).await? {
        Some(current) => current,
        None => {
            let Some(status) = incoming else {
                return Ok(AppliedOutcome::UnknownCharge(event.charge.status.clone()));
            };
            if let Some(id) = insert(tx, event, status).await? {
                record(tx, id, event, None, true, None).await?;
                return Ok(AppliedOutcome::Created(status));
            }
            // Created by a concurrent transaction meanwhile: the insert waited for it; lock what it made.
            lock(tx, &event.charge.charge_id).await?.ok_or(sqlx::Error::RowNotFound)?
        }
    };
    let recorded: bool = sqlx::query_scalar(
        "select exists (select from payment_events where tenant_id = $1 and provider_event_id = $2)",
    )
    .bind(tx.tenant_id())
    .bind(&event.provider_event_id)
    .fetch_one(tx.conn())
    .await?;
    if recorded {
        return Ok(AppliedOutcome::AlreadyRecorded);
    }
    let Some(from) = PaymentStatus::parse(&current.status) else {
        // The table's check constraint allows known statuses only.
        return Err(sqlx::Error::Decode(
            format!("payment {} has unknown status {}", current.id, current.status).into(),
        ));
    };
    let Some(to) = incoming else {
        let reason = format!("unknown status {}", event.charge.status);
        record(tx, current.id, event, Some(from), false, Some(&reason)).await?;
        return Ok(AppliedOutcome::Ignored(reason));
    };
    let decision = decide(Some((from, current.status_at)), to, event.occurred_at);
    let not_stale = event.occurred_at >= current.status_at;
    if not_stale {
        refresh_details(tx, current.id, &event.charge).await?;
    }
    match decision {
        Decision::Apply => {
            sqlx::query(
                "update payments
                    set status = $2, status_at = $3, updated_at = now(),
                        paid_at = case when $4 and paid_at is null then $3 else paid_at end
                  where tenant_id = $1 and id = $5",
            )
            .bind(tx.tenant_id())
            .bind(to.as_str())
            .bind(event.occurred_at)
            .bind(to.is_paid())
            .bind(current.id)
            .execute(tx.conn())
            .await?;
            record(tx, current.id, event, Some(from), true, None).await?;
            Ok(AppliedOutcome::Moved { from, to })
        }
        Decision::Refresh => {
            sqlx::query("update payments set status_at = $3, updated_at = now() where tenant_id = $1 and id = $2")
                .bind(tx.tenant_id())
                .bind(current.id)
                .bind(event.occurred_at)
                .execute(tx.conn())
                .await?;
            let reason = IgnoreReason::SameStatus.as_str();
            if !unchanged_by_reconciliation(event, from) {
                record(tx, current.id, event, Some(from), false, Some(reason)).await?;
            }
            Ok(AppliedOutcome::Ignored(reason.to_owned()))
        }
        Decision::Ignore(reason) => {
            let reason_text = reason.as_str();
            if !unchanged_by_reconciliation(event, from) {
                record(tx, current.id, event, Some(from), false, Some(reason_text)).await?;
            }
            Ok(AppliedOutcome::Ignored(reason_text.to_owned()))
        }
    }
}

/// A reconciliation pass that finds the status we already have brings no news but the time (which `Refresh` still
/// moves forward): no history row, or every pending charge would gain one per pass.
fn unchanged_by_reconciliation(event: &PaymentEvent, current: PaymentStatus) -> bool {
    event.source == EventSource::Reconcile && event.charge.status == current.as_str()
}

async fn lock(tx: &mut TenantTx, charge_id: &str) -> Result<Option<Current>, sqlx::Error> {
    sqlx::query_as(
        "select id, status, status_at from payments where tenant_id = $1 and provider_charge_id = $2 for update",
    )
    .bind(tx.tenant_id())
    .bind(charge_id)
    .fetch_optional(tx.conn())
    .await
}

async fn insert(tx: &mut TenantTx, event: &PaymentEvent, status: PaymentStatus) -> Result<Option<Uuid>, sqlx::Error> {
    let charge = &event.charge;
    sqlx::query_scalar(
        "insert into payments (tenant_id, provider_charge_id, external_reference, billing_type, value_cents, due_date,
                               status, status_at, paid_at, net_value_cents)
         values ($1, $2, $3, coalesce($4, 'UNDEFINED'), coalesce($5, 0), $6, $7, $8, case when $9 then $8 end, $10)
         on conflict (tenant_id, provider_charge_id) do nothing
         returning id",
    )
    .bind(tx.tenant_id())
    .bind(&charge.charge_id)
    .bind(charge.external_reference.as_deref())
    .bind(charge.billing_type.as_deref())
    .bind(charge.value_cents)
    .bind(charge.due_date)
    .bind(status.as_str())
    .bind(event.occurred_at)
    .bind(status.is_paid())
    .bind(charge.net_value_cents)
    .fetch_optional(tx.conn())
    .await
}

/// Value, due date and billing type change on the provider's side (`PAYMENT_UPDATED`); the newest view wins. A
/// detail the view leaves out keeps what we know (a missing value never becomes zero).
async fn refresh_details(tx: &mut TenantTx, id: Uuid, charge: &ChargeSnapshot) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update payments
            set value_cents = coalesce($3, value_cents), due_date = coalesce($4, due_date),
                billing_type = coalesce($5, billing_type), external_reference = coalesce($6, external_reference),
                net_value_cents = coalesce($7, net_value_cents), updated_at = now()
          where tenant_id = $1 and id = $2
            and (value_cents, due_date, billing_type, external_reference, net_value_cents)
                is distinct from (coalesce($3, value_cents), coalesce($4, due_date), coalesce($5, billing_type),
                                  coalesce($6, external_reference), coalesce($7, net_value_cents))",
    )
    .bind(tx.tenant_id())
    .bind(id)
    .bind(charge.value_cents)
    .bind(charge.due_date)
    .bind(charge.billing_type.as_deref())
    .bind(charge.external_reference.as_deref())
    .bind(charge.net_value_cents)
    .execute(tx.conn())
    .await?;
    Ok(())
}

async fn record(
    tx: &mut TenantTx,
    payment_id: Uuid,
    event: &PaymentEvent,
    from: Option<PaymentStatus>,
    applied: bool,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into payment_events (tenant_id, payment_id, provider_event_id, source, from_status, to_status, applied,
                                     reason, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(tx.tenant_id())
    .bind(payment_id)
    .bind(&event.provider_event_id)
    .bind(event.source.as_str())
    .bind(from.map(PaymentStatus::as_str))
    .bind(&event.charge.status)
    .bind(applied)
    .bind(reason)
    .bind(event.occurred_at)
    .execute(tx.conn())
    .await?;
    Ok(())
}
