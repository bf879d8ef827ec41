//! Enrollment's side of finance's forecast hook (`finance::forecast::ReceivablesSource`): the enrollment charges
//! still waiting for their money (PENDING, OVERDUE, in risk analysis) are open receivables on their due dates.
//! Paid ones are booked in the ledger by `books` when they are paid, so nothing is counted twice; finance never
//! reads enrollment's tables, it asks this source.

use chrono::NaiveDate;

use crate::{
    finance::forecast::{BoxFuture, Receivable, ReceivablesSource},
    i18n::format_brl,
    platform::{AppError, payments::open_by_reference_prefix, tenancy::TenantTx},
};

/// Enrollment's open charges, for the forecast.
#[derive(Debug, Clone, Copy, Default)]
pub struct PendingCharges;

impl ReceivablesSource for PendingCharges {
    fn open<'a>(&'a self, tx: &'a mut TenantTx, until: NaiveDate) -> BoxFuture<'a, Result<Vec<Receivable>, AppError>> {
        Box::pin(async move {
            let charges = open_by_reference_prefix(tx, "enrollment:", until).await?;
            Ok(charges
                .into_iter()
                .filter(|charge| charge.value_cents > 0)
                .filter_map(|charge| {
                    Some(Receivable {
                        date: charge.due_date?,
                        amount_cents: charge.value_cents,
                        description: format!("Matrícula a receber ({})", format_brl(charge.value_cents)),
                        account_id: None,
                    })
                })
                .collect())
        })
    }
}
