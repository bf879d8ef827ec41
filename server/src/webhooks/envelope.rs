//! Reading Asaas webhook bodies: the envelope intake needs (`id`, `event`, `dateCreated`, `payment.id`) and, in
//! the job, the charge the event describes. Everything else in the body is kept as-is in `webhook_events.payload`.

use app::platform::payments::{ChargeSnapshot, EventSource, PaymentEvent};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;

use crate::integrations::asaas::decimal::reais_to_cents;

/// What intake checks and indexes. `id` and `event` are required; a body without them is refused (400).
#[derive(Debug, Deserialize)]
pub struct AsaasEnvelope {
    pub id: String,
    pub event: String,
    #[serde(rename = "dateCreated")]
    pub date_created: Option<String>,
    pub payment: Option<PaymentRef>,
}

#[derive(Debug, Deserialize)]
pub struct PaymentRef {
    pub id: Option<String>,
}

impl AsaasEnvelope {
    /// Parses and checks a body; `Err` carries a message for the 400 answer.
    pub fn parse(body: &serde_json::Value) -> Result<Self, &'static str> {
        let envelope: Self = serde_json::from_value(body.clone()).map_err(|_| "o corpo precisa ter `id` e `event`")?;
        if envelope.id.trim().is_empty() || envelope.id.len() > 200 || envelope.event.trim().is_empty() {
            return Err("`id` e `event` não podem ser vazios");
        }
        Ok(envelope)
    }

    pub fn occurred_at(&self) -> Option<DateTime<Utc>> {
        self.date_created.as_deref().and_then(parse_asaas_time)
    }

    pub fn charge_id(&self) -> Option<&str> {
        self.payment.as_ref().and_then(|payment| payment.id.as_deref()).filter(|id| !id.is_empty())
    }
}

/// Asaas writes times as `2026-11-21 14:03:07` in Brasília time (UTC−3, no daylight saving since 2019); RFC 3339
/// is accepted too.
pub fn parse_asaas_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    let brasilia = FixedOffset::west_opt(3 * 3600)?;
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").ok()?;
    naive.and_local_timezone(brasilia).single().map(|time| time.with_timezone(&Utc))
}

/// Event types that report a charge's status (`payment.status` is the status after the event). Others (boleto
/// viewed, splits, transfers, anything new) are stored and acknowledged without effect.
const PAYMENT_STATUS_EVENTS: &[&str] = &[
    "PAYMENT_CREATED",
    "PAYMENT_UPDATED",
    "PAYMENT_AWAITING_RISK_ANALYSIS",
    "PAYMENT_APPROVED_BY_RISK_ANALYSIS",
    "PAYMENT_REPROVED_BY_RISK_ANALYSIS",
    "PAYMENT_AUTHORIZED",
    "PAYMENT_CONFIRMED",
    "PAYMENT_RECEIVED",
    "PAYMENT_ANTICIPATED",
    "PAYMENT_OVERDUE",
    "PAYMENT_RESTORED",
    "PAYMENT_REFUNDED",
    "PAYMENT_PARTIALLY_REFUNDED",
    "PAYMENT_REFUND_IN_PROGRESS",
    "PAYMENT_REFUND_DENIED",
    "PAYMENT_RECEIVED_IN_CASH_UNDONE",
    "PAYMENT_CHARGEBACK_REQUESTED",
    "PAYMENT_CHARGEBACK_DISPUTE",
    "PAYMENT_AWAITING_CHARGEBACK_REVERSAL",
    "PAYMENT_DUNNING_RECEIVED",
    "PAYMENT_DUNNING_REQUESTED",
    "PAYMENT_CREDIT_CARD_CAPTURE_REFUSED",
];

pub fn reports_payment_status(event_type: &str) -> bool {
    PAYMENT_STATUS_EVENTS.contains(&event_type)
}

/// The charge as the event's `payment` object describes it; `None` when it lacks an id or a status.
pub fn charge_snapshot(payload: &serde_json::Value) -> Option<ChargeSnapshot> {
    let payment = payload.get("payment")?;
    let text = |field: &str| payment.get(field).and_then(serde_json::Value::as_str).map(str::to_owned);
    Some(ChargeSnapshot {
        charge_id: text("id").filter(|id| !id.is_empty())?,
        status: text("status").filter(|status| !status.is_empty())?,
        // Absent, null or unreadable: unknown (the amount we have stays), never zero.
        value_cents: payment.get("value").and_then(cents),
        net_value_cents: payment.get("netValue").and_then(cents),
        billing_type: text("billingType"),
        due_date: text("dueDate").and_then(|date| NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()),
        external_reference: text("externalReference"),
    })
}

/// Asaas sends amounts as JSON numbers in reais (`150.5`); read exactly from their decimal text (no float
/// arithmetic). Negative or unreadable values count as missing.
fn cents(value: &serde_json::Value) -> Option<i64> {
    let number = value.as_number()?;
    reais_to_cents(&number.to_string()).ok().filter(|cents| *cents >= 0)
}

/// The payment event a stored webhook event carries, for the state machine.
pub fn payment_event(
    provider_event_id: &str,
    payload: &serde_json::Value,
    occurred_at: DateTime<Utc>,
) -> Option<PaymentEvent> {
    Some(PaymentEvent {
        provider_event_id: provider_event_id.to_owned(),
        source: EventSource::Webhook,
        occurred_at,
        charge: charge_snapshot(payload)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn asaas_times_are_brasilia_local_or_rfc3339() {
        let local = parse_asaas_time("2026-11-21 14:03:07").expect("Asaas format");
        assert_eq!(local.to_rfc3339(), "2026-11-21T17:03:07+00:00");
        let rfc = parse_asaas_time("2026-11-21T14:03:07-03:00").expect("RFC 3339");
        assert_eq!(rfc, local);
        assert_eq!(parse_asaas_time("yesterday"), None);
    }

    #[test]
    fn envelopes_need_an_id_and_an_event() {
        assert!(AsaasEnvelope::parse(&json!({"id": "evt_1", "event": "PAYMENT_RECEIVED"})).is_ok());
        assert!(AsaasEnvelope::parse(&json!({"event": "PAYMENT_RECEIVED"})).is_err());
        assert!(AsaasEnvelope::parse(&json!({"id": "evt_1"})).is_err());
        assert!(AsaasEnvelope::parse(&json!({"id": "", "event": "X"})).is_err());
        assert!(AsaasEnvelope::parse(&json!({"id": 7, "event": "X"})).is_err());
        assert!(AsaasEnvelope::parse(&json!([1, 2])).is_err());
    }

    #[test]
    fn charges_are_read_in_cents() {
        let payload = json!({"payment": {"id": "pay_1", "status": "RECEIVED", "value": 150.1, "billingType": "PIX",
                                         "dueDate": "2026-12-01", "externalReference": "enr_9"}});
        let charge = charge_snapshot(&payload).expect("a charge");
        assert_eq!(charge.value_cents, Some(15_010));
        assert_eq!(charge.due_date, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(charge.external_reference.as_deref(), Some("enr_9"));
        assert_eq!(cents(&json!(99)), Some(9_900));
        assert_eq!(cents(&json!(-1.0)), None);
        assert!(charge_snapshot(&json!({"payment": {"id": "pay_1"}})).is_none(), "no status");
        let without_value = charge_snapshot(&json!({"payment": {"id": "pay_1", "status": "OVERDUE"}}));
        assert_eq!(without_value.expect("a charge").value_cents, None, "no value is unknown, not zero");
    }
}
