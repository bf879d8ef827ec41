//! The dashboard's server function: owner and staff, with the enrollment module on.

use leptos::prelude::*;

use super::types::EnrollmentDashboard;
use crate::platform::AppError;

/// The `payments.external_reference` prefix of enrollment charges (the payment contract migration).
#[cfg(feature = "ssr")]
pub const CHARGE_REFERENCE_PREFIX: &str = "enrollment:";

#[server(endpoint = "enrollment/dashboard")]
pub async fn load_enrollment_dashboard() -> Result<EnrollmentDashboard, AppError> {
    use super::store;
    use crate::platform::{auth, payments, tenancy::Module};

    let mut access = auth::require(auth::Role::BACKOFFICE).await?.module(Module::Enrollment)?;
    let money = payments::totals_by_reference_prefix(&mut access.tx, CHARGE_REFERENCE_PREFIX).await?;
    let dashboard = EnrollmentDashboard {
        funnel: store::funnel(&mut access.tx).await?,
        classes: store::classes(&mut access.tx).await?,
        received_cents: money.received_cents,
        pending_cents: money.pending_cents,
        flags: store::flags(&mut access.tx).await?,
    };
    access.tx.commit().await?;
    Ok(dashboard)
}
