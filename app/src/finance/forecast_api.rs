//! The forecast's server function. No other module plugs a `ReceivablesSource` in yet (enrollment's pending
//! charges will); until then only the ledger is projected.

use leptos::prelude::*;

use super::forecast_types::Forecast;
use crate::platform::AppError;

#[server(endpoint = "finance/forecast")]
pub async fn load_forecast(months: u32) -> Result<Forecast, AppError> {
    let mut access = super::access::require_finance().await?;
    let today = chrono::Utc::now().date_naive();
    let months = super::forecast::horizon_of(months);
    let forecast = super::forecast::project(&mut access.tx, today, months, &[]).await?;
    access.tx.commit().await?;
    Ok(forecast)
}
