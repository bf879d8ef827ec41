//! The payment window: an application awaiting payment keeps its seat until its PIX expires, or until the end of
//! the boleto's due date plus 3 business days (Brazilian bank days, `finance::holidays`: a boleto paid on its last
//! day may take that long to be confirmed). Then `release_expired` (run by the job `enrollment.payment_window`)
//! moves it to payment_expired through the one state machine — which gives the seat back to the class and e-mails
//! the student — records why on the timeline, and closes the intent. A payment that still arrives is handled by
//! `reaction` (a seat again if one is free, else the flag "pago sem vaga").

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use uuid::Uuid;

use super::{store, types::PayBy};
use crate::{
    enrollment::{
        applications::{self, Actor},
        review_types::brasilia_day,
        types::ApplicationStatus,
    },
    finance::holidays,
    platform::{
        AppError,
        live::{self, Event, Topic},
        payments::charge_facts,
        tenancy::TenantTx,
    },
};

/// Business days a boleto's seat is kept after its due date.
pub const BOLETO_GRACE_BUSINESS_DAYS: u32 = 3;
/// What the timeline says (staff and the student read it).
pub const EXPIRED_REASON: &str = "Prazo de pagamento encerrado: a vaga foi liberada.";

/// Brasília is UTC−3 all year (no daylight saving since 2019).
fn brasilia_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&(local + chrono::Duration::hours(3)))
}

/// The instant the seat of a charge stops being held: the PIX's expiry (Asaas gives it in Brasília time; without
/// it, the end of its due date), or the end of the boleto's due date plus 3 business days.
pub fn window_end(by: PayBy, due_date: NaiveDate, pix_expires_at: Option<NaiveDateTime>) -> DateTime<Utc> {
    let end_of = |day: NaiveDate| {
        let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
        brasilia_to_utc(next.and_time(NaiveTime::MIN))
    };
    match by {
        PayBy::Pix => pix_expires_at.map_or_else(|| end_of(due_date), brasilia_to_utc),
        PayBy::Boleto => end_of(holidays::add_business_days(due_date, BOLETO_GRACE_BUSINESS_DAYS)),
    }
}

/// Releases the seats whose window ended by `now`: each such application (awaiting payment, its charge still
/// unpaid) moves to payment_expired. Answers the applications released. Idempotent: a released application no
/// longer awaits payment.
pub async fn release_expired(tx: &mut TenantTx, now: DateTime<Utc>) -> Result<Vec<Uuid>, AppError> {
    let mut released = Vec::new();
    for waiting in store::waiting_since(tx, brasilia_day(now)).await? {
        let by = PayBy::from_code(&waiting.billing_type).unwrap_or(PayBy::Pix);
        if window_end(by, waiting.due_date, waiting.pix_expires_at) > now {
            continue;
        }
        // Only an unpaid charge loses its seat: a payment whose webhook is on its way is not overtaken here (its
        // status is already paid in `payments` when reconciliation or the webhook saw it).
        let unpaid = charge_facts(tx, &waiting.provider_charge_id).await?.is_none_or(|charge| !charge.status.is_paid());
        if !unpaid {
            continue;
        }
        let id = waiting.application_id;
        applications::transition(tx, id, ApplicationStatus::PaymentExpired, Actor::System, Some(EXPIRED_REASON))
            .await?;
        store::close_intent(tx, id).await?;
        let version = now.timestamp_millis();
        live::publish(tx, Topic::Application(id), &Event::Changed { id, version }).await?;
        released.push(id);
    }
    Ok(released)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn brasilia(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        brasilia_to_utc(day(y, m, d).and_hms_opt(h, 0, 0).unwrap_or_default())
    }

    #[test]
    fn a_friday_boleto_keeps_its_seat_until_the_end_of_the_third_business_day() {
        // Due Friday 04/12/2026: Monday 7, Tuesday 8, Wednesday 9 are the 3 business days.
        let end = window_end(PayBy::Boleto, day(2026, 12, 4), None);
        assert_eq!(end, brasilia(2026, 12, 10, 0));
        assert!(end > brasilia(2026, 12, 9, 23));
    }

    #[test]
    fn a_boleto_window_skips_national_holidays() {
        // Due Thursday 19/11/2026; Friday 20 is Consciência Negra: Monday 23, Tuesday 24, Wednesday 25.
        assert_eq!(window_end(PayBy::Boleto, day(2026, 11, 19), None), brasilia(2026, 11, 26, 0));
    }

    #[test]
    fn a_pix_ends_when_its_qr_code_expires_or_else_with_its_due_date() {
        let expires = day(2026, 12, 2).and_hms_opt(10, 30, 0).unwrap_or_default();
        assert_eq!(window_end(PayBy::Pix, day(2026, 12, 2), Some(expires)), brasilia_to_utc(expires));
        assert_eq!(window_end(PayBy::Pix, day(2026, 12, 2), None), brasilia(2026, 12, 3, 0));
    }
}
