//! After the enrollment payment, through the real webhook path (the fake Asaas delivers its webhooks to the test
//! server, or the test posts Asaas' events itself, then the worker applies them): tuition and fee booked once,
//! the reversal on a refund, open charges in the forecast, the payment window with business days, a late payment
//! (a seat again, or "pago sem vaga"), the overdue reminder once, refunds and chargebacks.

use app::{
    enrollment::payments::{
        books, reaction,
        service::Choice,
        types::PayBy,
        window::{self, EXPIRED_REASON},
    },
    finance::{forecast, forecast_api::receivables_sources},
    platform::{
        integrations::payment_gateway::Simulation,
        payments::{AppliedOutcome, PaymentStatus},
        tenancy::TenantTx,
    },
};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{
    jobs::{Registry, WorkerHandle},
    webhooks::AsaasEventHandler,
};
use uuid::Uuid;

use crate::enrollment_documents::signed_in;
use crate::enrollment_payment::{PIX, Setup, setup};
use crate::webhooks::{eventually, post_asaas, worker};

const BOLETO: Choice = Choice { by: PayBy::Boleto, installments: 1 };

fn events(s: &Setup) -> WorkerHandle {
    worker(&s.server.pool, Registry::new().register(AsaasEventHandler))
}

/// Midnight-free instants in Brasília (UTC−3).
fn brasilia(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap() + chrono::Duration::hours(3)
}

impl Setup {
    async fn charge_of(&self, application: Uuid) -> String {
        self.scalar::<Option<String>>(
            "select provider_charge_id from enrollment_charges where application_id = $1 order by created_at desc limit 1",
            application,
        )
        .await
        .expect("a charge was made")
    }

    async fn status(&self, application: Uuid) -> String {
        self.scalar("select status from applications where id = $1", application).await
    }

    async fn flag(&self, application: Uuid) -> Option<String> {
        self.scalar("select payment_flag from applications where id = $1", application).await
    }

    async fn seats_reserved(&self, application: Uuid) -> i32 {
        self.scalar(
            "select c.seats_reserved from classes c join applications a on a.class_id = c.id where a.id = $1",
            application,
        )
        .await
    }

    async fn wait_status(&self, application: Uuid, status: &str) {
        eventually(status, || async { self.status(application).await == status }).await;
    }

    /// The ledger rows booked for charge `charge`: (source id, kind, source kind, cents, category).
    async fn booked(&self, charge: &str) -> Vec<(String, String, String, i64, String)> {
        let mut tx = TenantTx::begin(&self.server.pool, self.tenant).await.unwrap();
        sqlx::query_as(
            "select t.source_id, t.kind, t.source_kind, t.amount_cents, c.name
               from finance_transactions t join finance_categories c on c.id = t.category_id
              where t.source = 'enrollment' and (t.source_id = $1 or t.source_id = $1 || ':tarifa')
              order by t.source_kind, t.kind desc",
        )
        .bind(charge)
        .fetch_all(tx.conn())
        .await
        .unwrap()
    }

    /// Posts an Asaas event about `charge` as Asaas would (its reference and amounts as we know them), to the real
    /// webhook route.
    async fn post(&self, id: &str, event: &str, charge: &str, status: &str, at: &str) {
        let (reference, value, net): (Option<String>, i64, Option<i64>) = {
            let mut tx = TenantTx::begin(&self.server.pool, self.tenant).await.unwrap();
            sqlx::query_as(
                "select external_reference, value_cents, net_value_cents from payments where provider_charge_id = $1",
            )
            .bind(charge)
            .fetch_one(tx.conn())
            .await
            .unwrap()
        };
        let reais =
            |cents: i64| -> Value { serde_json::from_str(&format!("{}.{:02}", cents / 100, cents % 100)).unwrap() };
        let body = json!({
            "id": id, "event": event, "dateCreated": at,
            "payment": {"object": "payment", "id": charge, "customer": "cus_x", "status": status, "value": reais(value),
                        "netValue": net.map(reais), "billingType": "PIX", "externalReference": reference}
        });
        assert_eq!(post_asaas(&self.hooks, &body).await, 200);
    }

    async fn pay(&self, application: Uuid) -> String {
        let charge = self.charge_of(application).await;
        let deliveries = self.fake.simulate(&charge, Simulation::Paid).await.unwrap();
        assert!(deliveries.iter().all(|d| d.status == Some(200)), "{deliveries:?}");
        charge
    }

    async fn mail_jobs(&self, application: Uuid, reminder: bool) -> i64 {
        self.scalar(
            &format!(
                "select count(*) from jobs where kind = 'enrollment.application_mail'
                   and payload->>'application_id' = $1::text and (payload->'reminder' is not null
                   and payload->'reminder' <> 'null'::jsonb) = {reminder}"
            ),
            application,
        )
        .await
    }
    /// Waits until the webhook events with these ids were all processed.
    async fn processed(&self, what: &str, ids: &[&str]) {
        let ids: Vec<String> = ids.iter().map(|id| (*id).to_string()).collect();
        eventually(what, || async {
            let mut tx = TenantTx::begin(&self.server.pool, self.tenant).await.unwrap();
            let done: i64 = sqlx::query_scalar(
                "select count(*) from webhook_events where provider_event_id = any($1) and processed_at is not null",
            )
            .bind(&ids)
            .fetch_one(tx.conn())
            .await
            .unwrap();
            done == ids.len() as i64
        })
        .await;
    }
}

#[tokio::test]
async fn a_paid_boleto_books_tuition_and_the_fee_once_though_confirmed_received_and_replayed() {
    let s = setup().await;
    let fernanda = s.application_of("Fernanda Lopes").await;
    s.open(fernanda, Choice { by: PayBy::Boleto, installments: 1 }).await.unwrap();
    let running = events(&s);
    // A boleto is CONFIRMED, then RECEIVED: two paid events, each reaching the reaction.
    let charge = s.pay(fernanda).await;
    s.wait_status(fernanda, "enrolled").await;
    // Both recorded, applied or not: the webhook jobs may run them in either order, and a CONFIRMED after the
    // RECEIVED is recorded as stale (not applied). The booking below must be the same either way.
    eventually("both events processed", || async {
        s.scalar::<i64>(
            "select count(*) from payment_events e join payments p on p.id = e.payment_id
              where p.provider_charge_id = (select provider_charge_id from enrollment_charges where application_id = $1)
                and e.to_status in ('CONFIRMED', 'RECEIVED')",
            fernanda,
        )
        .await
            == 2
    })
    .await;
    let fee_source = books::fee_source(&charge);
    let expected = vec![
        (charge.clone(), "income".to_owned(), "charge".to_owned(), 20_000, books::REVENUE_CATEGORY.to_owned()),
        (fee_source.clone(), "expense".to_owned(), "charge".to_owned(), 199, books::FEE_CATEGORY.to_owned()),
    ];
    assert_eq!(s.booked(&charge).await, expected, "gross value as revenue, Asaas' R$ 1,99 as an expense");

    // Asaas redelivers the RECEIVED (same event id: a duplicate), and a later RECEIVED arrives (a new id): no
    // second booking either way; nor when the reaction runs again for the same move.
    let event: (String, Value) = {
        let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
        sqlx::query_as(
            "select provider_event_id, payload from webhook_events
              where subject_id = $1 and event_type = 'PAYMENT_RECEIVED'",
        )
        .bind(&charge)
        .fetch_one(tx.conn())
        .await
        .unwrap()
    };
    assert_eq!(post_asaas(&s.hooks, &event.1).await, 200);
    s.post("evt_received_again", "PAYMENT_RECEIVED", &charge, "RECEIVED", "2031-01-01 10:00:00").await;
    s.processed("the new event processed", &["evt_received_again"]).await;
    running.shutdown().await;
    let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
    let moved = AppliedOutcome::Moved { from: PaymentStatus::Confirmed, to: PaymentStatus::Received };
    reaction::on_payment(&mut tx, &charge, &moved).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.booked(&charge).await, expected, "booked once per (charge, kind)");
}

#[tokio::test]
async fn a_refund_cancels_the_enrollment_frees_the_seat_and_books_the_reversal_once() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    s.open(gustavo, PIX).await.unwrap();
    let running = events(&s);
    let charge = s.pay(gustavo).await;
    s.wait_status(gustavo, "enrolled").await;
    let seats = s.seats_reserved(gustavo).await;

    s.fake.simulate(&charge, Simulation::Refunded).await.unwrap();
    s.wait_status(gustavo, "cancelled").await;
    running.shutdown().await;
    assert_eq!(s.seats_reserved(gustavo).await, seats - 1, "the seat went back to the class");
    let reason: String = s
        .scalar("select reason from application_events where application_id = $1 order by id desc limit 1", gustavo)
        .await;
    assert_eq!(reason, reaction::REFUND_REASON);
    let booked = s.booked(&charge).await;
    assert_eq!(booked.len(), 3, "revenue, fee and the reversal: {booked:?}");
    assert_eq!(
        booked[2],
        (charge.clone(), "expense".to_owned(), "reversal".to_owned(), 9_900, books::REVERSAL_CATEGORY.to_owned())
    );
    // The refund again (a replay through the reaction): one reversal still, and nothing left to cancel.
    let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
    let moved = AppliedOutcome::Moved { from: PaymentStatus::Received, to: PaymentStatus::Refunded };
    reaction::on_payment(&mut tx, &charge, &moved).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.booked(&charge).await.len(), 3);
}

#[tokio::test]
async fn a_pending_charge_is_an_open_receivable_in_the_forecast_until_it_is_paid() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    let boleto = s.open(gustavo, BOLETO).await.unwrap();
    let receivables = |s: &Setup| {
        let pool = s.server.pool.clone();
        let tenant = s.tenant;
        async move {
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            let today = Utc::now().date_naive();
            let projected = forecast::project(&mut tx, today, 3, &receivables_sources()).await.unwrap();
            projected
                .days
                .into_iter()
                .flat_map(|day| day.entries)
                .filter(|entry| entry.description.starts_with("Matrícula a receber"))
                .map(|entry| (entry.date, entry.amount_cents))
                .collect::<Vec<(NaiveDate, i64)>>()
        }
    };
    let before = receivables(&s).await;
    assert!(before.contains(&(boleto.due_date, 9_900)), "the boleto on its due date: {before:?}");

    let running = events(&s);
    s.pay(gustavo).await;
    s.wait_status(gustavo, "enrolled").await;
    running.shutdown().await;
    let after = receivables(&s).await;
    assert_eq!(after.len(), before.len() - 1, "paid: booked in the ledger, no longer expected: {after:?}");
}

#[tokio::test]
async fn a_friday_boleto_holds_the_seat_through_the_third_business_day_then_releases_it_and_tells_the_student() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    s.open(gustavo, BOLETO).await.unwrap();
    {
        let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
        sqlx::query("update enrollment_charges set due_date = '2026-12-04' where application_id = $1")
            .bind(gustavo)
            .execute(tx.conn())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let seats = s.seats_reserved(gustavo).await;
    let release = |now: DateTime<Utc>| {
        let pool = s.server.pool.clone();
        let tenant = s.tenant;
        async move {
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            let released = window::release_expired(&mut tx, now).await.unwrap();
            tx.commit().await.unwrap();
            released
        }
    };
    // Due Friday 04/12; Monday 7, Tuesday 8 and Wednesday 9 are the three business days.
    assert!(release(brasilia(2026, 12, 7, 9, 0)).await.is_empty());
    assert!(release(brasilia(2026, 12, 9, 23, 59)).await.is_empty(), "the third business day is still the window");
    assert_eq!(s.status(gustavo).await, "awaiting_payment");
    assert_eq!(release(brasilia(2026, 12, 10, 0, 1)).await, [gustavo]);
    assert!(release(brasilia(2026, 12, 11, 0, 0)).await.is_empty(), "released once");
    assert_eq!(s.status(gustavo).await, "payment_expired");
    assert_eq!(s.seats_reserved(gustavo).await, seats - 1, "the seat went back to the class");
    let reason: String = s
        .scalar("select reason from application_events where application_id = $1 order by id desc limit 1", gustavo)
        .await;
    assert_eq!(reason, EXPIRED_REASON);
    assert!(
        s.scalar::<bool>(
            "select bool_and(closed_at is not null) from enrollment_charges where application_id = $1",
            gustavo
        )
        .await
    );

    let mails = s.server.mail_worker();
    let sent = s.server.wait_for_mails(1).await;
    mails.shutdown().await;
    assert!(sent.iter().any(|mail| mail.subject.starts_with("Prazo de pagamento encerrado")), "{sent:?}");
}

#[tokio::test]
async fn a_late_payment_takes_a_free_seat_again_or_is_flagged_paid_without_seat() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    let fernanda = s.application_of("Fernanda Lopes").await;
    s.open(gustavo, PIX).await.unwrap();
    s.open(fernanda, PIX).await.unwrap();
    let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
    let released = window::release_expired(&mut tx, Utc::now() + chrono::Duration::days(5)).await.unwrap();
    tx.commit().await.unwrap();
    assert!(released.contains(&gustavo) && released.contains(&fernanda), "{released:?}");
    // Fernanda's class fills up meanwhile (another applicant is approved into the seat she left, the last one);
    // Gustavo's still has room.
    let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
    let other: Uuid = sqlx::query_scalar(
        "insert into applications (tenant_id, class_id, student_id)
         select a.tenant_id, a.class_id, (select id from users where name = 'Igor Batista')
           from applications a where a.id = $1
         returning id",
    )
    .bind(fernanda)
    .fetch_one(tx.conn())
    .await
    .unwrap();
    for status in ["submitted", "under_review", "approved"] {
        sqlx::query("update applications set status = $2 where id = $1")
            .bind(other)
            .bind(status)
            .execute(tx.conn())
            .await
            .unwrap();
    }
    sqlx::query(
        "update classes set capacity = seats_reserved where id = (select class_id from applications where id = $1)",
    )
    .bind(fernanda)
    .execute(tx.conn())
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let gustavo_seats = s.seats_reserved(gustavo).await;

    let running = events(&s);
    let gustavo_charge = s.pay(gustavo).await;
    let fernanda_charge = s.pay(fernanda).await;
    s.wait_status(gustavo, "enrolled").await;
    eventually("Fernanda flagged", || async { s.flag(fernanda).await.as_deref() == Some("paid_without_seat") }).await;
    running.shutdown().await;
    assert_eq!(s.seats_reserved(gustavo).await, gustavo_seats + 1, "Gustavo took a seat again");
    assert_eq!(s.status(fernanda).await, "payment_expired", "no seat: staff decide");
    assert_eq!(s.flag(gustavo).await, None);
    assert_eq!(s.booked(&gustavo_charge).await.len(), 2);
    assert_eq!(s.booked(&fernanda_charge).await.len(), 2, "the money came in: it is booked all the same");

    // Staff see it on the dashboard and on the application page, with the rules' facts.
    let mut staff = signed_in(&s.server, "famath", "secretaria@famath.example").await;
    let (status, dashboard) = staff.call("enrollment/dashboard", &[]).await;
    assert_eq!(status, StatusCode::OK, "{dashboard}");
    let flags = dashboard["flags"].as_array().unwrap();
    assert!(
        flags.iter().any(|flag| flag["student"] == "Fernanda Lopes" && flag["flag"] == "paid_without_seat"),
        "{flags:?}"
    );
    let id = fernanda.to_string();
    let (status, review) = staff.call("enrollment/applications/review", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert_eq!(review["status"], "payment_expired");
    assert_eq!(review["payment"]["flag"], "PaidWithoutSeat");
    assert_eq!(review["payment"]["charge"]["status"], "RECEIVED");
}

#[tokio::test]
async fn an_overdue_charge_reminds_the_student_once() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    s.open(gustavo, PIX).await.unwrap();
    let charge = s.charge_of(gustavo).await;
    let running = events(&s);
    s.fake.simulate(&charge, Simulation::Overdue).await.unwrap();
    eventually("the reminder enqueued", || async { s.mail_jobs(gustavo, true).await == 1 }).await;
    // The due date moved (back to PENDING), then it went overdue again: still one reminder for this charge.
    s.post("evt_restored", "PAYMENT_UPDATED", &charge, "PENDING", "2031-01-01 10:00:00").await;
    s.post("evt_overdue_again", "PAYMENT_OVERDUE", &charge, "OVERDUE", "2031-01-02 10:00:00").await;
    s.processed("both processed", &["evt_restored", "evt_overdue_again"]).await;
    running.shutdown().await;
    let overdue_again: i64 = s
        .scalar(
            "select count(*) from payment_events e join payments p on p.id = e.payment_id
              where p.provider_charge_id = (select provider_charge_id from enrollment_charges where application_id = $1)
                and e.applied and e.to_status = 'OVERDUE'",
            gustavo,
        )
        .await;
    assert_eq!(overdue_again, 2, "the charge really went overdue twice");
    assert_eq!(s.mail_jobs(gustavo, true).await, 1, "one reminder per charge");

    let mails = s.server.mail_worker();
    let sent = s.server.wait_for_mails(1).await;
    mails.shutdown().await;
    let reminders: Vec<_> =
        sent.iter().filter(|mail| mail.subject.starts_with("Pagamento da matrícula em atraso")).collect();
    assert_eq!(reminders.len(), 1, "{sent:?}");
    assert!(reminders[0].body.contains("Gustavo Pires"));
}

#[tokio::test]
async fn an_overdue_charge_also_reminds_the_guardian_who_pays_with_the_charges_own_link() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    let mut tx = TenantTx::begin(&s.server.pool, s.tenant).await.unwrap();
    sqlx::query(
        "update applications set guardian_is_student = false, guardian_name = 'Helena Pires', guardian_cpf = '52998224725',
                guardian_email = 'helena.pires@exemplo.com' where id = $1",
    )
    .bind(gustavo)
    .execute(tx.conn())
    .await
    .unwrap();
    tx.commit().await.unwrap();
    s.open(gustavo, PIX).await.unwrap();
    let charge = s.charge_of(gustavo).await;
    let running = events(&s);
    s.fake.simulate(&charge, Simulation::Overdue).await.unwrap();
    eventually("both reminders enqueued", || async { s.mail_jobs(gustavo, true).await == 2 }).await;
    // Redelivered: still one each.
    s.post("evt_overdue_redelivered", "PAYMENT_OVERDUE", &charge, "OVERDUE", "2031-01-02 10:00:00").await;
    s.processed("processed", &["evt_overdue_redelivered"]).await;
    running.shutdown().await;
    assert_eq!(s.mail_jobs(gustavo, true).await, 2, "one reminder each per charge");

    let mails = s.server.mail_worker();
    let sent = s.server.wait_for_mails(2).await;
    mails.shutdown().await;
    let reminders: Vec<_> =
        sent.iter().filter(|mail| mail.subject.starts_with("Pagamento da matrícula em atraso")).collect();
    assert_eq!(reminders.len(), 2, "{sent:?}");
    let to_guardian = reminders.iter().find(|mail| mail.to == "helena.pires@exemplo.com").expect("the guardian's");
    assert!(to_guardian.body.starts_with("Olá, Helena Pires."), "{}", to_guardian.body);
    assert!(to_guardian.body.contains("matrícula de Gustavo Pires"), "{}", to_guardian.body);
    assert!(to_guardian.body.contains("http"), "the charge's own page, where the guardian pays: {}", to_guardian.body);
    assert!(reminders.iter().any(|mail| mail.to != "helena.pires@exemplo.com"), "the student's too");
}

#[tokio::test]
async fn a_chargeback_flags_the_application_and_a_lost_dispute_cancels_it_and_books_the_reversal() {
    let s = setup().await;
    let gustavo = s.application_of("Gustavo Pires").await;
    let fernanda = s.application_of("Fernanda Lopes").await;
    s.open(gustavo, PIX).await.unwrap();
    s.open(fernanda, PIX).await.unwrap();
    let running = events(&s);
    let lost = s.pay(gustavo).await;
    let won = s.pay(fernanda).await;
    s.wait_status(gustavo, "enrolled").await;
    s.wait_status(fernanda, "enrolled").await;
    let seats = s.seats_reserved(gustavo).await;

    s.post("evt_cb_1", "PAYMENT_CHARGEBACK_REQUESTED", &lost, "CHARGEBACK_REQUESTED", "2031-01-01 10:00:00").await;
    s.post("evt_cb_2", "PAYMENT_CHARGEBACK_DISPUTE", &lost, "CHARGEBACK_DISPUTE", "2031-01-02 10:00:00").await;
    s.post("evt_cb_3", "PAYMENT_CHARGEBACK_REQUESTED", &won, "CHARGEBACK_REQUESTED", "2031-01-01 10:00:00").await;
    eventually("both flagged", || async {
        s.flag(gustavo).await.as_deref() == Some("chargeback")
            && s.flag(fernanda).await.as_deref() == Some("chargeback")
    })
    .await;
    assert_eq!(s.status(gustavo).await, "enrolled", "a dispute alone cancels nothing");
    assert_eq!(s.booked(&lost).await.len(), 2, "no reversal while disputed");

    // Lost: Asaas ends the charge refunded. Won: the acquirer returns the money and the charge is RECEIVED again.
    s.post("evt_cb_4", "PAYMENT_REFUNDED", &lost, "REFUNDED", "2031-01-03 10:00:00").await;
    s.post(
        "evt_cb_5",
        "PAYMENT_AWAITING_CHARGEBACK_REVERSAL",
        &won,
        "AWAITING_CHARGEBACK_REVERSAL",
        "2031-01-02 10:00:00",
    )
    .await;
    s.post("evt_cb_6", "PAYMENT_RECEIVED", &won, "RECEIVED", "2031-01-03 10:00:00").await;
    s.wait_status(gustavo, "cancelled").await;
    eventually("the won dispute unflagged", || async { s.flag(fernanda).await.is_none() }).await;
    running.shutdown().await;

    assert_eq!(s.seats_reserved(gustavo).await, seats - 1, "the seat went back");
    assert_eq!(s.flag(gustavo).await, None, "resolved: the money is back and the enrollment ended");
    let reason: String = s
        .scalar("select reason from application_events where application_id = $1 order by id desc limit 1", gustavo)
        .await;
    assert_eq!(reason, reaction::CHARGEBACK_REASON);
    let booked = s.booked(&lost).await;
    assert_eq!(booked.iter().filter(|row| row.2 == "reversal").count(), 1, "{booked:?}");
    assert_eq!(s.status(fernanda).await, "enrolled");
    let booked = s.booked(&won).await;
    assert_eq!(booked.len(), 2, "the won dispute books nothing more: {booked:?}");
}
