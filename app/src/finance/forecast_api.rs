//! The forecast's server function, with the other modules' open receivables plugged in through
//! `ReceivablesSource` (today: enrollment's pending charges). Finance asks each source; it never reads their tables.

use leptos::prelude::*;

use super::forecast_types::Forecast;
use crate::platform::AppError;

/// The modules whose open receivables the forecast counts.
#[cfg(feature = "ssr")]
pub fn receivables_sources() -> [&'static dyn super::forecast::ReceivablesSource; 1] {
    [&crate::enrollment::payments::receivables::PendingCharges]
}

#[server(endpoint = "finance/forecast")]
pub async fn load_forecast(months: u32) -> Result<Forecast, AppError> {
    let mut access = super::access::require_finance().await?;
    let today = chrono::Utc::now().date_naive();
    let months = super::forecast::horizon_of(months);
    let forecast = super::forecast::project(&mut access.tx, today, months, &receivables_sources()).await?;
    access.tx.commit().await?;
    Ok(forecast)
}
