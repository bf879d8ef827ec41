//! Making the enrollment charge, never twice. Asaas does not deduplicate, so:
//!
//! 1. in a short transaction, with the application locked, an intent row is committed (one open intent per
//!    application: a double click or a retry finds the first one) and claimed for a bounded time;
//! 2. with no transaction open, the claimant calls Asaas with `externalReference = "enrollment:<intent id>"`; an
//!    attempt after the first (the previous answer was lost, or its caller died) first asks Asaas for charges
//!    carrying that reference and adopts what it finds;
//! 3. the charge is recorded on the intent. Whoever did not get the claim waits for that record.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    store::{self, HowToPay, Intent, NewIntent, Payable, Recorded},
    types::{ChargeView, PayBy, installment_plan},
};
use crate::{
    enrollment::{
        applications::{self, Actor, Notify},
        review_types::brasilia_day,
        types::ApplicationStatus,
    },
    i18n::Text,
    platform::{
        AppError,
        integrations::{
            payment_gateway::{
                BillingType, Charge, GatewayAccount, GatewayError, NewCharge, NewCustomer, PaymentGateway,
            },
            settings,
        },
        payments::{ChargeSnapshot, EventSource, PaymentEvent, apply_event},
        tenancy::TenantTx,
    },
};

/// How long a claimant may take to get Asaas' answer before another request may try (with a lookup first).
const CLAIM_SECONDS: i32 = 45;
/// How long a request that found the charge being made by another waits for it.
const WAIT_FOR_OTHER: Duration = Duration::from_secs(20);
/// Days from today to a PIX charge's due date (its QR code expires then) and a boleto's.
const PIX_DAYS: u64 = 1;
const BOLETO_DAYS: u64 = 3;

const NOT_CONNECTED: Text = Text::new(
    "A instituição ainda não recebe pagamentos on-line. Fale com a secretaria.",
    "The institution does not take online payments yet. Contact the office.",
);
const NOT_PAYABLE: Text =
    Text::new("Esta inscrição não está aguardando pagamento.", "This application is not awaiting payment.");
const NO_FEE: Text = Text::new("Esta turma não tem taxa de matrícula a pagar.", "This class has no enrollment fee.");
const BAD_INSTALLMENTS: Text = Text::new(
    "Escolha um número de parcelas que a turma permite.",
    "Choose a number of installments the class allows.",
);
const NO_CPF: Text =
    Text::new("Falta o CPF de quem paga: complete seus dados.", "The payer's CPF is missing: complete your details.");
const STILL_MAKING: Text = Text::new(
    "A cobrança ainda está sendo gerada. Tente de novo em instantes.",
    "The charge is still being made. Try again in a moment.",
);
const PROVIDER_DOWN: Text = Text::new(
    "Não foi possível gerar a cobrança agora. Tente de novo em instantes.",
    "The charge could not be made right now. Try again in a moment.",
);

/// What the payer chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub by: PayBy,
    pub installments: u32,
}

/// The reference Asaas keeps on the charge (and every installment of it): how webhooks, reconciliation and a
/// lookup after a lost answer find the intent.
pub fn reference(intent_id: Uuid) -> String {
    format!("enrollment:{intent_id}")
}

/// The intent id in an Asaas `externalReference`, if it is an enrollment charge's.
pub fn intent_of(reference: &str) -> Option<Uuid> {
    reference.strip_prefix("enrollment:").and_then(|id| Uuid::parse_str(id).ok())
}

/// The charge of application `application_id` (of `student`, if given), made if it has none yet; see the module
/// doc for why it is never made twice. An approved application moves to awaiting payment with its first charge.
pub async fn open_charge(
    pool: &PgPool,
    tenant_id: Uuid,
    gateway: &dyn PaymentGateway,
    student: Option<Uuid>,
    application_id: Uuid,
    choice: Choice,
) -> Result<ChargeView, AppError> {
    let mut tx = TenantTx::begin(pool, tenant_id).await?;
    let account = settings::asaas_account(&mut tx).await?.ok_or_else(|| AppError::conflict(NOT_CONNECTED))?;
    let payable = store::payable(&mut tx, application_id, student).await?.ok_or(AppError::NotFound)?;
    if let Some(intent) = store::open_intent(&mut tx, application_id).await?
        && intent.provider_charge_id.is_some()
    {
        tx.commit().await?;
        return complete(pool, tenant_id, gateway, &account, intent).await;
    }
    let status = ApplicationStatus::from_code(&payable.status);
    if !matches!(status, Some(ApplicationStatus::Approved | ApplicationStatus::AwaitingPayment)) {
        return Err(AppError::conflict(NOT_PAYABLE));
    }
    if payable.fee_cents <= 0 {
        return Err(AppError::conflict(NO_FEE));
    }
    let allowed = u32::try_from(payable.max_installments).unwrap_or(1).max(1);
    if choice.installments == 0 || choice.installments > allowed {
        return Err(AppError::invalid("installments", BAD_INSTALLMENTS));
    }
    let payer = payer(&payable)?;
    if status == Some(ApplicationStatus::Approved) {
        // The student is on the page that shows the charge: no e-mail about it.
        applications::transition_notifying(
            &mut tx,
            application_id,
            ApplicationStatus::AwaitingPayment,
            Actor::System,
            None,
            Notify::Nobody,
        )
        .await?;
    }
    let days = if choice.by == PayBy::Pix { PIX_DAYS } else { BOLETO_DAYS };
    let new = NewIntent {
        application_id,
        billing_type: choice.by.code(),
        installments: i32::try_from(choice.installments).unwrap_or(1),
        value_cents: payable.fee_cents,
        due_date: brasilia_day(Utc::now()) + chrono::Days::new(days),
    };
    let intent = store::insert_intent(&mut tx, &new).await?;
    let claim = store::claim(&mut tx, intent.id, CLAIM_SECONDS).await?;
    tx.commit().await?;
    let Some((attempt, claimed_at)) = claim else {
        let intent = wait_for_other(pool, tenant_id, intent.id).await?;
        return complete(pool, tenant_id, gateway, &account, intent).await;
    };
    let description = format!("Matrícula {} — {}", payable.course_name, payable.term);
    let made = make(gateway, &account, &intent, attempt, payer, description).await;
    let mut tx = TenantTx::begin(pool, tenant_id).await?;
    let charge = match made {
        Ok(charge) => charge,
        Err(error) => {
            store::release(&mut tx, intent.id).await?;
            tx.commit().await?;
            return Err(gateway_error(error));
        }
    };
    let recorded = Recorded {
        charge_id: &charge.id,
        invoice_url: charge.invoice_url.as_deref(),
        boleto_url: charge.bank_slip_url.as_deref(),
    };
    store::record_charge(&mut tx, intent.id, &recorded).await?;
    apply_event(&mut tx, &created(&charge, claimed_at)).await?;
    let intent = store::intent(&mut tx, intent.id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    complete(pool, tenant_id, gateway, &account, intent).await
}

/// The charge of application `application_id` as it stands (no call to Asaas), if it has one.
pub async fn current_charge(tx: &mut TenantTx, application_id: Uuid) -> Result<Option<ChargeView>, AppError> {
    Ok(store::open_intent(tx, application_id).await?.filter(|i| i.provider_charge_id.is_some()).map(view))
}

/// The Asaas customer: the financial guardian, who is the student unless the wizard named someone else.
fn payer(payable: &Payable) -> Result<NewCustomer, AppError> {
    let (name, cpf, email, phone) = if payable.guardian_is_student {
        (&payable.student_name, &payable.student_cpf, Some(&payable.student_email), &payable.student_phone)
    } else {
        (
            payable.guardian_name.as_ref().unwrap_or(&payable.student_name),
            &payable.guardian_cpf,
            payable.guardian_email.as_ref(),
            &payable.guardian_phone,
        )
    };
    let cpf = cpf.clone().ok_or_else(|| AppError::conflict(NO_CPF))?;
    Ok(NewCustomer { name: name.clone(), cpf, email: email.cloned(), phone: phone.as_deref().and_then(asaas_phone) })
}

/// E.164 (`+5583991234567`) → what Asaas takes (DDD + number, digits only).
fn asaas_phone(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = if phone.starts_with('+') { digits.strip_prefix("55")?.to_string() } else { digits };
    (10..=11).contains(&national.len()).then_some(national)
}

/// Step 2: find the charge an earlier attempt may have made, or make it.
async fn make(
    gateway: &dyn PaymentGateway,
    account: &GatewayAccount,
    intent: &Intent,
    attempt: i32,
    payer: NewCustomer,
    description: String,
) -> Result<Charge, GatewayError> {
    let reference = reference(intent.id);
    if attempt > 1 {
        let mut found = gateway.find_charges_by_reference(account, &reference).await?;
        found.sort_by_key(|charge| (charge.installment_number.unwrap_or(1), charge.due_date));
        if let Some(first) = found.into_iter().next() {
            tracing::info!(intent = %intent.id, charge = first.id, "adopted the charge an earlier attempt made");
            return Ok(first);
        }
    }
    let customer = gateway.find_or_create_customer(account, payer).await?;
    let billing = if intent.billing_type == PayBy::Boleto.code() { BillingType::Boleto } else { BillingType::Pix };
    let charge = NewCharge {
        customer_id: customer.id,
        billing,
        value_cents: intent.value_cents,
        due_date: intent.due_date,
        description,
        installments: u32::try_from(intent.installments).unwrap_or(1),
        external_reference: reference,
    };
    gateway.create_charge(account, charge).await
}

/// The platform's `payments` row of a charge just made, so the charge counts (forecast, window) before any
/// webhook arrives. Its status time is put before the claim began, before Asaas made the charge: every event Asaas
/// sends about it is newer (Asaas stamps to the second), so none is taken for stale.
fn created(charge: &Charge, claimed_at: DateTime<Utc>) -> PaymentEvent {
    PaymentEvent {
        provider_event_id: format!("created:{}", charge.id),
        source: EventSource::Reconcile,
        occurred_at: claimed_at - chrono::Duration::minutes(1),
        charge: ChargeSnapshot::of(charge),
    }
}

/// Another request holds the claim: wait (in short transactions) until it records the charge.
async fn wait_for_other(pool: &PgPool, tenant_id: Uuid, id: Uuid) -> Result<Intent, AppError> {
    let deadline = tokio::time::Instant::now() + WAIT_FOR_OTHER;
    loop {
        let mut tx = TenantTx::begin(pool, tenant_id).await?;
        let intent = store::intent(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        if intent.provider_charge_id.is_some() {
            return Ok(intent);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(AppError::conflict(STILL_MAKING));
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Fetches (once) what the payer needs besides the charge, the PIX QR code or the boleto's line, and answers the
/// view. A failure here leaves the charge as it is: the next visit to the page asks again.
async fn complete(
    pool: &PgPool,
    tenant_id: Uuid,
    gateway: &dyn PaymentGateway,
    account: &GatewayAccount,
    intent: Intent,
) -> Result<ChargeView, AppError> {
    let Some(charge_id) = intent.provider_charge_id.as_deref() else { return Ok(view(intent)) };
    let unpaid = intent.status.as_deref().is_none_or(|status| matches!(status, "PENDING" | "OVERDUE"));
    let how = match PayBy::from_code(&intent.billing_type) {
        Some(PayBy::Pix) if intent.pix_payload.is_none() && unpaid => {
            gateway.pix_qr_code(account, charge_id).await.map(|qr| HowToPay {
                pix_payload: Some(qr.payload),
                pix_image: Some(qr.encoded_image),
                pix_expires_at: Some(qr.expiration_date),
                ..HowToPay::default()
            })
        }
        Some(PayBy::Boleto) if intent.boleto_line.is_none() && unpaid => gateway
            .boleto_line(account, charge_id)
            .await
            .map(|line| HowToPay { boleto_line: Some(line), ..HowToPay::default() }),
        _ => return Ok(view(intent)),
    };
    match how {
        Ok(how) => {
            let mut tx = TenantTx::begin(pool, tenant_id).await?;
            store::record_how_to_pay(&mut tx, intent.id, &how).await?;
            let intent = store::intent(&mut tx, intent.id).await?.ok_or(AppError::NotFound)?;
            tx.commit().await?;
            Ok(view(intent))
        }
        Err(error) => {
            tracing::warn!(charge_id, %error, "could not fetch how to pay an enrollment charge");
            Ok(view(intent))
        }
    }
}

fn view(intent: Intent) -> ChargeView {
    let installments = u32::try_from(intent.installments).unwrap_or(1);
    ChargeView {
        plan: installment_plan(intent.value_cents, installments, intent.due_date),
        by: PayBy::from_code(&intent.billing_type).unwrap_or(PayBy::Pix),
        installments,
        value_cents: intent.value_cents,
        due_date: intent.due_date,
        pix_payload: intent.pix_payload,
        pix_image: intent.pix_image,
        pix_expires: intent.pix_expires_at.map(minutes),
        boleto_url: intent.boleto_url,
        boleto_line: intent.boleto_line,
        invoice_url: intent.invoice_url,
        status: intent.status,
    }
}

/// dd/mm/aaaa hh:mm of a Brasília local time (as Asaas gives it).
fn minutes(at: NaiveDateTime) -> String {
    at.format("%d/%m/%Y %H:%M").to_string()
}

fn gateway_error(error: GatewayError) -> AppError {
    match error {
        GatewayError::Rejected { message } => AppError::Conflict { message },
        GatewayError::Unavailable { .. } => AppError::conflict(PROVIDER_DOWN),
        other => AppError::unexpected("enrollment charge", other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_intent_and_read_back() {
        let id = Uuid::now_v7();
        assert_eq!(intent_of(&reference(id)), Some(id));
        assert_eq!(intent_of("teste-123"), None);
    }

    #[test]
    fn phones_reach_asaas_as_ddd_and_number() {
        assert_eq!(asaas_phone("+5583991234567").as_deref(), Some("83991234567"));
        assert_eq!(asaas_phone("(83) 3222-1234").as_deref(), Some("8332221234"));
        assert_eq!(asaas_phone("+1 555 0100"), None);
    }
}
