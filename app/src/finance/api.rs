//! Finance server functions. Every one starts with `require_finance()` (or the owner-only variant): anyone else
//! gets 403, whatever the page showed them.

use leptos::prelude::*;
use uuid::Uuid;

use super::types::{
    Account, AccountForm, Category, FinancePerson, Transaction, TransactionFilter, TransactionForm, TransactionList,
    TransferForm,
};
use crate::platform::AppError;

/// How many rows the list shows; totals always cover everything the filter matches.
pub const LIST_LIMIT: i64 = 500;

#[server(endpoint = "finance/accounts")]
pub async fn list_accounts() -> Result<Vec<Account>, AppError> {
    let mut access = super::access::require_finance().await?;
    let accounts = super::store::accounts(access.tx.conn()).await?;
    access.tx.commit().await?;
    Ok(accounts)
}

#[server(endpoint = "finance/accounts/create")]
pub async fn create_account(form: AccountForm) -> Result<Account, AppError> {
    use super::{fields, store, types::AccountKind};
    let mut access = super::access::require_finance().await?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::invalid("name", NAME_REQUIRED));
    }
    let kind = AccountKind::from_code(&form.kind).ok_or_else(|| AppError::invalid("kind", KIND_REQUIRED))?;
    let opening_balance_cents = match form.opening_balance.trim() {
        "" => 0,
        text => fields::parse_cents(text).map_err(|message| AppError::invalid("opening_balance", message))?,
    };
    let opening_date = date_or_today(&form.opening_date, "opening_date")?;
    let card_days = match kind {
        AccountKind::CreditCard => Some((day(&form.closing_day, "closing_day")?, day(&form.due_day, "due_day")?)),
        _ => None,
    };
    let account = store::NewAccount { name, kind, opening_balance_cents, opening_date, card_days };
    let id = super::ledger::open_account(&mut access.tx, Some(access.viewer.user_id), &account).await?;
    let created = store::account(access.tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    access.tx.commit().await?;
    Ok(created)
}

#[cfg(feature = "ssr")]
fn day(input: &str, field: &str) -> Result<i16, AppError> {
    input.trim().parse::<i16>().ok().filter(|day| (1..=31).contains(day)).ok_or_else(|| AppError::invalid(field, DAY))
}

#[server(endpoint = "finance/categories")]
pub async fn list_categories() -> Result<Vec<Category>, AppError> {
    let mut access = super::access::require_finance().await?;
    let categories = super::store::categories(access.tx.conn()).await?;
    access.tx.commit().await?;
    Ok(categories)
}

#[server(endpoint = "finance/transactions")]
pub async fn list_transactions(#[server(default)] filter: TransactionFilter) -> Result<TransactionList, AppError> {
    let mut access = super::access::require_finance().await?;
    let rows = super::store::transactions(access.tx.conn(), &filter, LIST_LIMIT).await?;
    let totals = super::store::totals(access.tx.conn(), &filter).await?;
    access.tx.commit().await?;
    Ok(TransactionList { rows, totals })
}

#[server(endpoint = "finance/transactions/create")]
pub async fn create_transaction(form: TransactionForm) -> Result<Transaction, AppError> {
    let mut access = super::access::require_finance().await?;
    let entry = parse_entry(&form)?;
    let id = super::ledger::create(&mut access.tx, Some(access.viewer.user_id), &entry).await?;
    let created = super::store::transaction(access.tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    access.tx.commit().await?;
    Ok(created)
}

#[server(endpoint = "finance/transactions/update")]
pub async fn update_transaction(id: Uuid, form: TransactionForm) -> Result<Transaction, AppError> {
    let mut access = super::access::require_finance().await?;
    let entry = parse_entry(&form)?;
    super::ledger::update(&mut access.tx, Some(access.viewer.user_id), id, &entry).await?;
    let updated = super::store::transaction(access.tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    access.tx.commit().await?;
    Ok(updated)
}

#[server(endpoint = "finance/transactions/delete")]
pub async fn delete_transaction(id: Uuid) -> Result<(), AppError> {
    let mut access = super::access::require_finance().await?;
    super::ledger::delete(&mut access.tx, Some(access.viewer.user_id), id).await?;
    access.tx.commit().await?;
    Ok(())
}

/// Paid on `paid_on` (`dd/mm/aaaa`), or pending again when it is empty.
#[server(endpoint = "finance/transactions/paid")]
pub async fn set_transaction_paid(id: Uuid, paid_on: String) -> Result<(), AppError> {
    let mut access = super::access::require_finance().await?;
    let paid_on = match paid_on.trim() {
        "" => None,
        text => Some(super::fields::parse_date(text).map_err(|message| AppError::invalid("paid_on", message))?),
    };
    super::ledger::set_paid(&mut access.tx, Some(access.viewer.user_id), id, paid_on).await?;
    access.tx.commit().await?;
    Ok(())
}

#[server(endpoint = "finance/transfers/create")]
pub async fn create_transfer(form: TransferForm) -> Result<Uuid, AppError> {
    use super::{fields, ledger};
    let mut access = super::access::require_finance().await?;
    let transfer = ledger::Transfer {
        from_account_id: uuid_field(&form.from_account_id, "from_account_id")?,
        to_account_id: uuid_field(&form.to_account_id, "to_account_id")?,
        amount_cents: fields::parse_positive_cents(&form.amount)
            .map_err(|message| AppError::invalid("amount", message))?,
        date: date_or_today(&form.date, "date")?,
        description: form.description.clone(),
        invoice_closing: None,
    };
    let id = ledger::transfer(&mut access.tx, Some(access.viewer.user_id), &transfer).await?;
    access.tx.commit().await?;
    Ok(id)
}

/// The staff and whether each may open finance (owner only).
#[server(endpoint = "finance/people")]
pub async fn list_finance_people() -> Result<Vec<FinancePerson>, AppError> {
    let mut access = super::access::require_finance_owner().await?;
    let people: Vec<(Uuid, String, String, bool)> = sqlx::query_as(
        "select id, name, email, finance_access from users where role = 'staff' and active order by name",
    )
    .fetch_all(access.tx.conn())
    .await?;
    access.tx.commit().await?;
    Ok(people
        .into_iter()
        .map(|(id, name, email, finance_access)| FinancePerson { id, name, email, finance_access })
        .collect())
}

/// Grants or withdraws a staff member's finance access (owner only, audited).
#[server(endpoint = "finance/people/access")]
pub async fn set_finance_access(user_id: Uuid, granted: bool) -> Result<(), AppError> {
    let mut access = super::access::require_finance_owner().await?;
    super::access::set_finance_access(&mut access, user_id, granted).await?;
    access.tx.commit().await?;
    let change = crate::platform::directory::Change::Person(user_id);
    crate::platform::context::server_context()?.directory.forget(change);
    Ok(())
}

/// A typed date, or today when left empty (forms start empty: the browser side has no clock to read).
#[cfg(feature = "ssr")]
pub(super) fn date_or_today(input: &str, field: &str) -> Result<chrono::NaiveDate, AppError> {
    match input.trim() {
        "" => Ok(chrono::Utc::now().date_naive()),
        text => super::fields::parse_date(text).map_err(|message| AppError::invalid(field, message)),
    }
}

#[cfg(feature = "ssr")]
pub(super) fn uuid_field(input: &str, field: &str) -> Result<Uuid, AppError> {
    let message = if field.contains("category") { CATEGORY_REQUIRED } else { ACCOUNT_REQUIRED };
    Uuid::parse_str(input.trim()).map_err(|_| AppError::invalid(field, message))
}

/// The typed form as a ledger entry; each unreadable input is a field error under it.
#[cfg(feature = "ssr")]
fn parse_entry(form: &TransactionForm) -> Result<super::ledger::Entry, AppError> {
    use super::{fields, types::EntryKind};
    let kind = EntryKind::from_code(&form.kind).ok_or_else(|| AppError::invalid("kind", KIND_REQUIRED))?;
    let amount_cents =
        fields::parse_positive_cents(&form.amount).map_err(|message| AppError::invalid("amount", message))?;
    let date =
        |input: &str, field: &str| fields::parse_date(input).map_err(|message| AppError::invalid(field, message));
    let competence_date = date_or_today(&form.competence_date, "competence_date")?;
    let due_date = match form.due_date.trim() {
        "" => competence_date,
        text => date(text, "due_date")?,
    };
    let paid_on = match (form.status.as_str(), form.paid_on.trim()) {
        ("paid", "") => Some(due_date),
        ("paid", text) => Some(date(text, "paid_on")?),
        _ => None,
    };
    let counterpart = Some(form.counterpart.trim().to_string()).filter(|text| !text.is_empty());
    Ok(super::ledger::Entry {
        account_id: uuid_field(&form.account_id, "account_id")?,
        category_id: uuid_field(&form.category_id, "category_id")?,
        kind,
        amount_cents,
        competence_date,
        due_date,
        paid_on,
        description: form.description.clone(),
        counterpart,
        external_id: None,
        batch_id: None,
    })
}

#[cfg(feature = "ssr")]
const NAME_REQUIRED: crate::i18n::Text = crate::i18n::Text::new("Dê um nome à conta.", "Name the account.");
#[cfg(feature = "ssr")]
const KIND_REQUIRED: crate::i18n::Text = crate::i18n::Text::new("Escolha o tipo.", "Choose the kind.");
#[cfg(feature = "ssr")]
const DAY: crate::i18n::Text = crate::i18n::Text::new("Informe um dia entre 1 e 31.", "Enter a day from 1 to 31.");
#[cfg(feature = "ssr")]
const ACCOUNT_REQUIRED: crate::i18n::Text = crate::i18n::Text::new("Escolha uma conta.", "Choose an account.");
#[cfg(feature = "ssr")]
const CATEGORY_REQUIRED: crate::i18n::Text = crate::i18n::Text::new("Escolha uma categoria.", "Choose a category.");

/// The closed months, newest first.
#[server(endpoint = "finance/months/closed")]
pub async fn list_closed_months() -> Result<Vec<chrono::NaiveDate>, AppError> {
    let mut access = super::access::require_finance().await?;
    let months = sqlx::query_scalar("select month from finance_closed_months order by month desc")
        .fetch_all(access.tx.conn())
        .await?;
    access.tx.commit().await?;
    Ok(months)
}

/// Closes (`closed = true`) or reopens a month, given as `aaaa-mm` or any date in it. Owner only, audited.
#[server(endpoint = "finance/months/set")]
pub async fn set_month_closed(month: String, closed: bool) -> Result<(), AppError> {
    let mut access = super::access::require_finance_owner().await?;
    let text = month.trim();
    let date = super::fields::parse_date(text)
        .or_else(|_| super::fields::parse_date(&format!("{text}-01")))
        .map_err(|message| AppError::invalid("month", message))?;
    let actor = Some(access.viewer.user_id);
    if closed {
        super::ledger::close_month(&mut access.tx, actor, date).await?;
    } else {
        super::ledger::reopen_month(&mut access.tx, actor, date).await?;
    }
    access.tx.commit().await?;
    Ok(())
}

/// A card's invoices for the last year (`account_id` empty: the first card), with the cards and the accounts that
/// can pay them.
#[server(endpoint = "finance/cards/invoices")]
pub async fn card_invoices(
    #[server(default)] account_id: Option<Uuid>,
) -> Result<super::types::CardInvoices, AppError> {
    use super::{cards, types::AccountKind};
    let mut access = super::access::require_finance().await?;
    let accounts = super::store::accounts(access.tx.conn()).await?;
    let (cards_list, payers): (Vec<_>, Vec<_>) =
        accounts.into_iter().partition(|account| account.kind == AccountKind::CreditCard);
    let card = match account_id {
        Some(id) => Some(cards_list.iter().find(|card| card.id == id).cloned().ok_or(AppError::NotFound)?),
        None => cards_list.first().cloned(),
    };
    let today = chrono::Utc::now().date_naive();
    let invoices = match &card {
        Some(card) => {
            let closing_day = card.closing_day.and_then(|day| u32::try_from(day).ok()).unwrap_or(1);
            // Twelve invoices back from the open one.
            let mut oldest = cards::invoice_closing(today, closing_day);
            for _ in 0..12 {
                oldest = cards::previous_closing(oldest, closing_day);
            }
            let since = oldest.succ_opt().unwrap_or(oldest);
            cards::invoices(access.tx.conn(), card, since, today).await?
        }
        None => Vec::new(),
    };
    access.tx.commit().await?;
    Ok(super::types::CardInvoices { card, cards: cards_list, payers, invoices })
}

/// Pays what is left of a card's invoice with a transfer from `from_account_id` on `date` (empty: today).
#[server(endpoint = "finance/cards/pay")]
pub async fn pay_invoice(
    account_id: Uuid,
    closing: chrono::NaiveDate,
    from_account_id: String,
    #[server(default)] date: String,
) -> Result<Uuid, AppError> {
    let mut access = super::access::require_finance().await?;
    let from = uuid_field(&from_account_id, "from_account_id")?;
    let date = date_or_today(&date, "date")?;
    let actor = Some(access.viewer.user_id);
    let id = super::ledger::pay_invoice(&mut access.tx, actor, account_id, closing, from, date).await?;
    access.tx.commit().await?;
    Ok(id)
}
