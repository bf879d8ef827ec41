//! The payment part of the staff's application page: the charge as it stands (Asaas' status, due date, when the
//! seat stops being held) and the flag that needs staff, read in the page's `TenantTx`.

use uuid::Uuid;

use super::{
    store,
    types::{PayBy, PaymentFlag, StaffCharge, StaffPayment},
    window::window_end,
};
use crate::platform::{AppError, payments::charge_facts, tenancy::TenantTx};

pub async fn staff_view(tx: &mut TenantTx, application_id: Uuid) -> Result<StaffPayment, AppError> {
    let (flag, flag_since) = store::flag(tx, application_id).await?.unwrap_or_default();
    let charge = match store::latest_charged(tx, application_id).await? {
        Some(charged) => {
            let by = PayBy::from_code(&charged.billing_type).unwrap_or(PayBy::Pix);
            let status =
                charge_facts(tx, &charged.provider_charge_id).await?.map(|facts| facts.status.as_str().to_owned());
            Some(StaffCharge {
                by,
                value_cents: charged.value_cents,
                due_date: charged.due_date,
                status,
                window_ends: window_end(by, charged.due_date, charged.pix_expires_at),
                open: charged.open,
            })
        }
        None => None,
    };
    Ok(StaffPayment { charge, flag: flag.as_deref().and_then(PaymentFlag::from_code), flag_since })
}
