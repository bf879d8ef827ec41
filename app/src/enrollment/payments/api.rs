//! Server functions of the student's payment page: their own application only (anyone else's is not found).

use leptos::prelude::*;
use uuid::Uuid;

use super::types::{ChargeView, PaymentSummary};
use crate::platform::AppError;

#[server(endpoint = "enrollment/payment/page")]
pub async fn payment_page(id: Uuid) -> Result<PaymentSummary, AppError> {
    use crate::enrollment::{payments::store, review_types::mask_cpf, types::ApplicationStatus};
    use crate::platform::{auth, tenancy::Module};

    let mut access = auth::require(&[auth::Role::Student]).await?.module(Module::Enrollment)?;
    let row = store::summary(&mut access.tx, id, access.viewer.user_id).await?.ok_or(AppError::NotFound)?;
    let charge = super::service::current_charge(&mut access.tx, id).await?;
    access.tx.commit().await?;
    Ok(PaymentSummary {
        course_name: row.course_name,
        term: row.term,
        status: ApplicationStatus::from_code(&row.status)
            .ok_or_else(|| AppError::unexpected("application status", "unknown status"))?,
        fee_cents: row.fee_cents,
        max_installments: u32::try_from(row.max_installments).unwrap_or(1).max(1),
        payer_name: row.payer_name,
        // The page is read on a phone, perhaps beside someone: the CPF is masked, enough to recognise it.
        payer_cpf: row.payer_cpf.as_deref().map(mask_cpf).unwrap_or_default(),
        charge,
    })
}

/// "Gerar PIX" / "Gerar boleto": the charge of application `id`, made if it has none (never twice).
#[server(endpoint = "enrollment/payment/charge")]
pub async fn open_charge(id: Uuid, by: String, #[server(default)] installments: u32) -> Result<ChargeView, AppError> {
    use crate::enrollment::payments::{service, types::PayBy};
    use crate::i18n::Text;
    use crate::platform::{auth, context, tenancy::Module};

    let context = context::server_context()?;
    let access = auth::require(&[auth::Role::Student]).await?.module(Module::Enrollment)?;
    let (tx, student, slug) = (access.tx, access.viewer.user_id, access.viewer.tenant.slug);
    let tenant_id = tx.tenant_id();
    // Nothing held while Asaas is called: the service opens its own short transactions.
    tx.commit().await?;
    let by = PayBy::from_code(&by)
        .ok_or_else(|| AppError::invalid("by", Text::new("Escolha PIX ou boleto.", "Choose PIX or boleto.")))?;
    let choice = service::Choice { by, installments: installments.max(1) };
    let charge =
        service::open_charge(&context.pool, tenant_id, context.payments.as_ref(), Some(student), id, choice).await?;
    // The payment page ships no wasm: a plain form post goes back to it, and it shows the charge.
    auth::redirect_plain_post(&crate::enrollment::links::payment_path(&slug, id));
    Ok(charge)
}
