//! The cash-flow forecast: banks and cash today, then every expected movement up to the horizon — pending
//! transactions on their due dates (recurring occurrences are pending transactions), credit-card invoices still
//! owed on their due dates, and open receivables from other modules through `ReceivablesSource` — day by day, per
//! account and in total, with the first day the total goes negative. Anything overdue counts today.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use chrono::{Months, NaiveDate};
use uuid::Uuid;

use super::{
    cards,
    forecast_types::{AccountProjection, Forecast, ForecastDay, ForecastEntry, NegativeWarning},
    store,
    types::{AccountKind, InvoiceStatus},
};
use crate::platform::{AppError, tenancy::TenantTx};

/// Money another module expects to receive (enrollment's pending charges, a CRM deal's commission).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receivable {
    pub date: NaiveDate,
    pub amount_cents: i64,
    pub description: String,
    /// The account it lands in, when known (else the total only).
    pub account_id: Option<Uuid>,
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The hook other modules implement so the forecast counts what they expect to receive: answer the tenant's open
/// receivables due up to `until`, read in the caller's transaction. Anything already booked as a pending ledger
/// transaction must not be answered again (it is counted from the ledger).
pub trait ReceivablesSource: Send + Sync {
    fn open<'a>(&'a self, tx: &'a mut TenantTx, until: NaiveDate) -> BoxFuture<'a, Result<Vec<Receivable>, AppError>>;
}

/// The forecast for the next `months` months from `today`.
pub async fn project(
    tx: &mut TenantTx,
    today: NaiveDate,
    months: u32,
    sources: &[&dyn ReceivablesSource],
) -> Result<Forecast, AppError> {
    let end = today.checked_add_months(Months::new(months)).unwrap_or(today);
    let accounts = store::accounts(tx.conn()).await?;
    let spendable: Vec<_> = accounts.iter().filter(|account| account.kind != AccountKind::CreditCard).collect();
    let names: BTreeMap<Uuid, String> = accounts.iter().map(|account| (account.id, account.name.clone())).collect();
    let mut entries: Vec<(Option<Uuid>, ForecastEntry)> = Vec::new();

    let pending: Vec<(Uuid, NaiveDate, String, String, i64)> = sqlx::query_as(
        "select t.account_id, t.due_date, t.description, t.kind, t.amount_cents
           from finance_transactions t join finance_accounts a on a.tenant_id = t.tenant_id and a.id = t.account_id
          where t.paid_on is null and a.kind <> 'credit_card' and t.due_date <= $1",
    )
    .bind(end)
    .fetch_all(tx.conn())
    .await?;
    for (account, due, description, kind, cents) in pending {
        let amount_cents = if kind == "income" { cents } else { -cents };
        let account_name = names.get(&account).cloned().unwrap_or_default();
        let entry = ForecastEntry { date: due.max(today), description, amount_cents, account: account_name };
        entries.push((Some(account), entry));
    }

    for card in accounts.iter().filter(|account| account.kind == AccountKind::CreditCard) {
        let since = today.checked_sub_months(Months::new(3)).unwrap_or(today);
        for invoice in cards::invoices(tx.conn(), card, since, today).await? {
            if invoice.status == InvoiceStatus::Paid || invoice.remaining_cents() == 0 || invoice.due_date > end {
                continue;
            }
            let description = format!("Fatura {} ({})", card.name, crate::i18n::format_date(invoice.closing_date));
            let entry = ForecastEntry {
                date: invoice.due_date.max(today),
                description,
                amount_cents: -invoice.remaining_cents(),
                account: card.name.clone(),
            };
            entries.push((None, entry));
        }
    }

    for source in sources {
        for receivable in source.open(tx, end).await? {
            let account = receivable.account_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default();
            let entry = ForecastEntry {
                date: receivable.date.max(today),
                description: receivable.description,
                amount_cents: receivable.amount_cents,
                account,
            };
            entries.push((receivable.account_id.filter(|id| spendable.iter().any(|a| a.id == *id)), entry));
        }
    }
    entries.sort_by_key(|(_, entry)| (entry.date, entry.amount_cents));

    let start_cents: i64 = spendable.iter().map(|account| account.balance_cents).sum();
    let mut per_account: BTreeMap<Uuid, AccountProjection> = spendable
        .iter()
        .map(|account| {
            let projection = AccountProjection {
                name: account.name.clone(),
                today_cents: account.balance_cents,
                end_cents: account.balance_cents,
                lowest_cents: account.balance_cents,
                lowest_on: today,
            };
            (account.id, projection)
        })
        .collect();
    let mut days: Vec<ForecastDay> = Vec::new();
    let mut total = start_cents;
    for (account, entry) in entries {
        total += entry.amount_cents;
        if let Some(projection) = account.and_then(|id| per_account.get_mut(&id)) {
            projection.end_cents += entry.amount_cents;
            if projection.end_cents < projection.lowest_cents {
                projection.lowest_cents = projection.end_cents;
                projection.lowest_on = entry.date;
            }
        }
        match days.last_mut() {
            Some(day) if day.date == entry.date => {
                day.balance_cents = total;
                day.entries.push(entry);
            }
            _ => days.push(ForecastDay { date: entry.date, balance_cents: total, entries: vec![entry] }),
        }
    }
    let first_negative = days.iter().find(|day| day.balance_cents < 0).map(|day| NegativeWarning {
        date: day.date,
        balance_cents: day.balance_cents,
        entries: day.entries.clone(),
    });
    Ok(Forecast {
        months,
        today,
        end,
        start_cents,
        days,
        accounts: per_account.into_values().collect(),
        first_negative,
    })
}

/// The horizon asked for: 3, 6 or 12 months (anything else is 3).
pub fn horizon_of(months: u32) -> u32 {
    if super::forecast_types::HORIZONS.contains(&months) { months } else { 3 }
}
