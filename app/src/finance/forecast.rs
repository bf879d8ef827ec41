//! The cash-flow forecast: the actual total of banks and cash over the last `ACTUAL_DAYS` (today's balance walked
//! back through the paid movements since), banks and cash today, then every expected movement up to the horizon — pending
//! transactions on their due dates (recurring occurrences are pending transactions), credit-card invoices still
//! owed on their due dates, and open receivables from other modules through `ReceivablesSource` — day by day, per
//! account and in total, with the first day the total goes negative. Anything overdue counts today.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use chrono::{Days, Months, NaiveDate};
use uuid::Uuid;

use super::{
    cards,
    forecast_types::{
        ACTUAL_DAYS, AccountProjection, ActualDay, Forecast, ForecastDay, ForecastEntry, NegativeWarning,
    },
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
    let since = today.checked_sub_days(Days::new(ACTUAL_DAYS)).unwrap_or(today);
    let (since_cents, actual) = actual_since(tx, since, today, start_cents).await?;
    Ok(Forecast {
        months,
        since,
        since_cents,
        actual,
        today,
        end,
        start_cents,
        days,
        accounts: per_account.into_values().collect(),
        first_negative,
    })
}

/// The actual total of banks and cash at the end of `since`, and at the end of each later day up to `today` that
/// has paid movements: `today_cents` (today's balances) walked back through what was paid after each day — paid
/// transactions of banks and cash, transfers between them and a card (an invoice paid), and the opening balance of
/// an account opened in between. Transfers between two banks or cash accounts leave the total as it is.
async fn actual_since(
    tx: &mut TenantTx,
    since: NaiveDate,
    today: NaiveDate,
    today_cents: i64,
) -> Result<(i64, Vec<ActualDay>), AppError> {
    let moves: Vec<(NaiveDate, i64, i64)> = sqlx::query_as(
        "select day, sum(cents)::bigint, count(*) from (
           select t.paid_on as day, case t.kind when 'income' then t.amount_cents else -t.amount_cents end as cents
             from finance_transactions t
             join finance_accounts a on a.tenant_id = t.tenant_id and a.id = t.account_id
            where a.kind <> 'credit_card' and t.paid_on > $1 and t.paid_on <= $2
           union all
           select f.transfer_date, case when s.kind = 'credit_card' then f.amount_cents else -f.amount_cents end
             from finance_transfers f
             join finance_accounts s on s.tenant_id = f.tenant_id and s.id = f.from_account_id
             join finance_accounts d on d.tenant_id = f.tenant_id and d.id = f.to_account_id
            where (s.kind = 'credit_card') <> (d.kind = 'credit_card')
              and f.transfer_date > $1 and f.transfer_date <= $2
           union all
           select a.opening_date, a.opening_balance_cents from finance_accounts a
            where a.kind <> 'credit_card' and a.opening_date > $1 and a.opening_date <= $2
         ) m group by day order by day",
    )
    .bind(since)
    .bind(today)
    .fetch_all(tx.conn())
    .await?;
    let since_cents = today_cents - moves.iter().map(|(_, cents, _)| cents).sum::<i64>();
    let mut balance = since_cents;
    let days = moves
        .into_iter()
        .map(|(date, moved_cents, movements)| {
            balance += moved_cents;
            ActualDay { date, balance_cents: balance, moved_cents, movements }
        })
        .collect();
    Ok((since_cents, days))
}

/// The horizon asked for: 3, 6 or 12 months (anything else is 3).
pub fn horizon_of(months: u32) -> u32 {
    if super::forecast_types::HORIZONS.contains(&months) { months } else { 3 }
}
