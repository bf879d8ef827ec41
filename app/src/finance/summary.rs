//! Finance's home figures, read from the kept balances and monthly rollups (never a scan of every transaction).

use leptos::prelude::*;

use super::types::FinanceSummary;
use crate::platform::AppError;

/// How many months the home lists (the current one first).
pub const MONTHS: u32 = 12;

#[server(endpoint = "finance/summary")]
pub async fn finance_home() -> Result<FinanceSummary, AppError> {
    use chrono::Months;

    use super::{fields::month_of, types::AccountKind};
    let mut access = super::access::require_finance().await?;
    let accounts = super::store::accounts(access.tx.conn()).await?;
    let cash_cents = accounts.iter().filter(|a| a.kind != AccountKind::CreditCard).map(|a| a.balance_cents).sum();
    // A card's negative balance is what its invoices still owe.
    let cards_owe: i64 =
        accounts.iter().filter(|a| a.kind == AccountKind::CreditCard).map(|a| (-a.balance_cents).max(0)).sum();
    let (receivable_cents, pending_expenses): (i64, i64) = sqlx::query_as(
        "select coalesce(sum(amount_cents) filter (where kind = 'income'), 0)::bigint,
                coalesce(sum(amount_cents) filter (where kind = 'expense'), 0)::bigint
           from finance_transactions where paid_on is null",
    )
    .fetch_one(access.tx.conn())
    .await?;
    let this_month = month_of(chrono::Utc::now().date_naive());
    let first = this_month.checked_sub_months(Months::new(MONTHS - 1)).unwrap_or(this_month);
    let rows: Vec<(chrono::NaiveDate, i64, i64, bool)> = sqlx::query_as(
        "select m.month::date,
                coalesce(sum(r.amount_cents) filter (where c.kind = 'income'), 0)::bigint,
                coalesce(-sum(r.amount_cents) filter (where c.kind = 'expense'), 0)::bigint,
                exists (select from finance_closed_months x where x.month = m.month::date)
           from generate_series($1::date, $2::date, interval '1 month') m(month)
           left join finance_rollups r on r.month = m.month::date and r.basis = 'competence'
           left join finance_categories c on c.tenant_id = r.tenant_id and c.id = r.category_id
          group by m.month order by m.month desc",
    )
    .bind(first)
    .bind(this_month)
    .fetch_all(access.tx.conn())
    .await?;
    let today = chrono::Utc::now().date_naive();
    let due_soon = super::store::transactions_due(access.tx.conn(), today + chrono::Duration::days(7)).await?;
    let this_month_only = super::dre_types::DreQuery {
        from: Some(this_month),
        to: Some(this_month),
        ..super::dre_types::DreQuery::default()
    };
    let plan = access.viewer.tenant.plan;
    let breakdown = super::dre::report(&mut access.tx, plan, today, &this_month_only).await?.rows;
    let sources = super::forecast_api::receivables_sources();
    let warning = super::forecast::project(&mut access.tx, today, 3, &sources).await?.first_negative;
    access.tx.commit().await?;
    let months = rows
        .into_iter()
        .map(|(month, income_cents, expense_cents, closed)| super::types::MonthSummary {
            month,
            income_cents,
            expense_cents,
            closed,
        })
        .collect();
    let can_close = access.viewer.role == crate::platform::auth::Role::Owner;
    Ok(FinanceSummary {
        cash_cents,
        receivable_cents,
        payable_cents: pending_expenses + cards_owe,
        months,
        can_close,
        due_soon,
        breakdown,
        warning,
    })
}
