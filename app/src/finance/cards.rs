//! Credit-card invoices (faturas). A purchase belongs to the invoice that closes on or after its date: bought on
//! the closing day it is in that invoice, bought the day after it is in the next one. A closing or due day past
//! the end of a short month falls on its last day (closing day 31 closes on 28 or 29 February). The invoice is one
//! payable on its due date; paying it is a transfer from a bank account to the card (balances move, results
//! never: the purchases were the expenses).

use chrono::{Datelike, Months, NaiveDate};

/// `day` of the month of `date`, or its last day when the month is shorter.
fn day_in_month(date: NaiveDate, day: u32) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    let last = first.checked_add_months(Months::new(1)).and_then(|next| next.pred_opt()).unwrap_or(first);
    first.with_day(day.clamp(1, last.day())).unwrap_or(last)
}

fn next_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).and_then(|first| first.checked_add_months(Months::new(1))).unwrap_or(date)
}

/// The closing date of the invoice a purchase on `purchase` belongs to.
pub fn invoice_closing(purchase: NaiveDate, closing_day: u32) -> NaiveDate {
    let this_month = day_in_month(purchase, closing_day);
    if purchase <= this_month { this_month } else { day_in_month(next_month(purchase), closing_day) }
}

/// When the invoice closing on `closing` is due: the due day after the closing (same month when the due day comes
/// later in the month, else the next month).
pub fn invoice_due(closing: NaiveDate, closing_day: u32, due_day: u32) -> NaiveDate {
    if due_day > closing_day { day_in_month(closing, due_day) } else { day_in_month(next_month(closing), due_day) }
}

/// The closing date of the invoice before the one closing on `closing`.
pub fn previous_closing(closing: NaiveDate, closing_day: u32) -> NaiveDate {
    let previous_month = closing.with_day(1).and_then(|first| first.checked_sub_months(Months::new(1)));
    previous_month.map_or(closing, |month| day_in_month(month, closing_day))
}

/// The invoices of `card` whose purchases fall on or after `since`, newest first, with what was paid of each.
#[cfg(feature = "ssr")]
pub async fn invoices(
    conn: &mut sqlx::PgConnection,
    card: &super::types::Account,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<super::types::Invoice>, sqlx::Error> {
    use super::types::{EntryKind, Invoice, InvoiceItem, InvoiceStatus};
    use std::collections::BTreeMap;
    let (Some(closing_day), Some(due_day)) = (card.closing_day, card.due_day) else { return Ok(Vec::new()) };
    let (closing_day, due_day) = (u32::try_from(closing_day).unwrap_or(1), u32::try_from(due_day).unwrap_or(1));
    let rows: Vec<(uuid::Uuid, NaiveDate, String, String, String, i64)> = sqlx::query_as(
        "select t.id, t.competence_date, t.description, c.name, t.kind, t.amount_cents
           from finance_transactions t
           join finance_categories c on c.tenant_id = t.tenant_id and c.id = t.category_id
          where t.account_id = $1 and t.competence_date >= $2
          order by t.competence_date, t.id",
    )
    .bind(card.id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let payments: BTreeMap<NaiveDate, i64> = sqlx::query_as(
        "select invoice_closing, sum(amount_cents)::bigint from finance_transfers
          where to_account_id = $1 and invoice_closing >= $2 group by invoice_closing",
    )
    .bind(card.id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut items: BTreeMap<NaiveDate, Vec<InvoiceItem>> = BTreeMap::new();
    for (id, date, description, category, kind, cents) in rows {
        // A purchase adds to the invoice; a refund (income on the card) takes off it.
        let amount_cents = if EntryKind::from_code(&kind) == Some(EntryKind::Income) { -cents } else { cents };
        let item = InvoiceItem { id, date, description, category, amount_cents };
        items.entry(invoice_closing(date, closing_day)).or_default().push(item);
    }
    Ok(items
        .into_iter()
        .rev()
        .map(|(closing_date, items)| {
            let total_cents = items.iter().map(|item| item.amount_cents).sum();
            let paid_cents = payments.get(&closing_date).copied().unwrap_or(0);
            // Paid once its payments cover it (early payments count); before that, open until it closes.
            let status = if paid_cents >= total_cents && (total_cents > 0 || today > closing_date) {
                InvoiceStatus::Paid
            } else if today <= closing_date {
                InvoiceStatus::Open
            } else {
                InvoiceStatus::Closed
            };
            let due_date = invoice_due(closing_date, closing_day, due_day);
            Invoice { closing_date, due_date, total_cents, paid_cents, status, items }
        })
        .collect())
}

/// The invoice of `card` closing on `closing`, if it has any purchase.
#[cfg(feature = "ssr")]
pub async fn invoice(
    conn: &mut sqlx::PgConnection,
    card: &super::types::Account,
    closing: NaiveDate,
) -> Result<Option<super::types::Invoice>, sqlx::Error> {
    let Some(closing_day) = card.closing_day.and_then(|day| u32::try_from(day).ok()) else { return Ok(None) };
    let since = previous_closing(closing, closing_day).succ_opt().unwrap_or(closing);
    let today = chrono::Utc::now().date_naive();
    Ok(invoices(conn, card, since, today).await?.into_iter().find(|invoice| invoice.closing_date == closing))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_purchase_on_the_closing_day_is_in_that_invoice_and_the_day_after_in_the_next() {
        assert_eq!(invoice_closing(date(2026, 3, 5), 5), date(2026, 3, 5));
        assert_eq!(invoice_closing(date(2026, 3, 6), 5), date(2026, 4, 5));
        assert_eq!(invoice_closing(date(2026, 12, 20), 5), date(2027, 1, 5));
        assert_eq!(invoice_due(date(2026, 3, 5), 5, 12), date(2026, 3, 12));
        assert_eq!(invoice_due(date(2026, 3, 25), 25, 3), date(2026, 4, 3));
    }

    #[test]
    fn closing_day_31_closes_on_the_last_day_of_february() {
        assert_eq!(invoice_closing(date(2026, 2, 28), 31), date(2026, 2, 28));
        assert_eq!(invoice_closing(date(2026, 3, 1), 31), date(2026, 3, 31));
        assert_eq!(invoice_closing(date(2028, 2, 29), 31), date(2028, 2, 29));
        assert_eq!(invoice_closing(date(2026, 1, 31), 30), date(2026, 2, 28), "31 January is after the 30th");
        assert_eq!(invoice_due(date(2026, 2, 28), 31, 10), date(2026, 3, 10));
        assert_eq!(previous_closing(date(2026, 3, 31), 31), date(2026, 2, 28));
    }
}
