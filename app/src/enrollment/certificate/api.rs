//! Server functions of the comprovante: the student's own (issued on first opening), staff's reissue, and the
//! public check (no sign-in, limited per client address).

use leptos::prelude::*;
use uuid::Uuid;

use super::types::{CertificateView, Verification};
use crate::platform::AppError;

#[server(endpoint = "enrollment/certificate/mine")]
pub async fn my_certificate(id: Uuid) -> Result<CertificateView, AppError> {
    use crate::platform::{auth, tenancy::Module};

    let mut access = auth::require(&[auth::Role::Student]).await?.module(Module::Enrollment)?;
    let institution = access.viewer.tenant.name.clone();
    let view = super::service::of_student(&mut access.tx, &institution, access.viewer.user_id, id).await?;
    access.tx.commit().await?;
    Ok(view)
}

/// Staff issue a new code for enrolled application `id`; the old one reads "substituído".
#[server(endpoint = "enrollment/certificate/reissue")]
pub async fn reissue_certificate(id: Uuid) -> Result<(), AppError> {
    use crate::platform::{auth, tenancy::Module};

    let mut access = auth::require(auth::Role::BACKOFFICE).await?.module(Module::Enrollment)?;
    super::service::reissue(&mut access.tx, access.viewer.user_id, id).await?;
    access.tx.commit().await?;
    Ok(())
}

/// The public check of a code typed by anyone (`/:tenant/verificar`). Every look-up counts against the address.
#[server(endpoint = "enrollment/certificate/verify")]
pub async fn verify_certificate(tenant: String, code: String) -> Result<Verification, AppError> {
    use crate::platform::{auth, context, tenancy::TenantTx};

    const TOO_MANY: crate::i18n::Text = crate::i18n::Text::new(
        "Muitas consultas deste endereço. Tente de novo mais tarde.",
        "Too many checks from this address. Try again later.",
    );
    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, &tenant).await?.ok_or(AppError::NotFound)?;
    if !tenant.enrollment_enabled {
        return Err(AppError::NotFound);
    }
    let client = auth::current_client_addr();
    if context.limits.certificate_checks.check(client).is_err() {
        tracing::warn!(%client, tenant = %tenant.slug, "certificate verification rate limited");
        return Err(AppError::limit(TOO_MANY.get(context::request_locale())));
    }
    let mut tx = TenantTx::begin(&context.pool, tenant.id).await?;
    let verification = super::service::verify(&mut tx, &code).await?;
    tx.commit().await?;
    Ok(verification)
}
