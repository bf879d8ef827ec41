//! Recurring rules' server functions: list, create, preview an edit from a date, edit from a date, end from a date.
//! Finance access first; every change is audited by the service.

use leptos::prelude::*;
use uuid::Uuid;

use super::recurring_types::{PreviewRow, RulesPage, VersionForm};
use crate::platform::AppError;

#[server(endpoint = "finance/recurring")]
pub async fn list_rules() -> Result<RulesPage, AppError> {
    let mut access = super::access::require_finance().await?;
    let rules = super::recurring::rules(&mut access.tx).await?;
    let accounts = super::store::accounts(access.tx.conn()).await?;
    let categories = super::store::categories(access.tx.conn()).await?;
    access.tx.commit().await?;
    Ok(RulesPage { rules, accounts, categories })
}

#[server(endpoint = "finance/recurring/create")]
pub async fn create_rule(name: String, kind: String, form: VersionForm) -> Result<Uuid, AppError> {
    let mut access = super::access::require_finance().await?;
    let kind = super::types::EntryKind::from_code(&kind).ok_or_else(|| AppError::invalid("kind", KIND_REQUIRED))?;
    let (from, terms) = parse(&form)?;
    let today = chrono::Utc::now().date_naive();
    let id =
        super::recurring::create(&mut access.tx, Some(access.viewer.user_id), &name, kind, from, &terms, today).await?;
    access.tx.commit().await?;
    Ok(id)
}

/// Which occurrences an edit from `form.from` changes and which stay; writes nothing.
#[server(endpoint = "finance/recurring/preview")]
pub async fn preview_rule(rule_id: Uuid, form: VersionForm) -> Result<Vec<PreviewRow>, AppError> {
    let mut access = super::access::require_finance().await?;
    let (from, terms) = parse(&form)?;
    let today = chrono::Utc::now().date_naive();
    let rows = super::recurring::preview(&mut access.tx, rule_id, from, &terms, today).await?;
    access.tx.commit().await?;
    Ok(rows)
}

#[server(endpoint = "finance/recurring/edit")]
pub async fn edit_rule(rule_id: Uuid, form: VersionForm) -> Result<Uuid, AppError> {
    let mut access = super::access::require_finance().await?;
    let (from, terms) = parse(&form)?;
    let today = chrono::Utc::now().date_naive();
    let version =
        super::recurring::edit_from(&mut access.tx, Some(access.viewer.user_id), rule_id, from, &terms, today).await?;
    access.tx.commit().await?;
    Ok(version)
}

#[server(endpoint = "finance/recurring/end")]
pub async fn end_rule(rule_id: Uuid, from: String) -> Result<(), AppError> {
    let mut access = super::access::require_finance().await?;
    let from = super::fields::parse_date(&from).map_err(|message| AppError::invalid("end_from", message))?;
    super::recurring::end_from(&mut access.tx, Some(access.viewer.user_id), rule_id, from).await?;
    access.tx.commit().await?;
    Ok(())
}

#[cfg(feature = "ssr")]
fn parse(form: &VersionForm) -> Result<(chrono::NaiveDate, super::recurring_types::VersionTerms), AppError> {
    use super::{
        api::uuid_field,
        fields,
        recurring_types::{Frequency, Schedule, VersionTerms},
    };
    let from = super::api::date_or_today(&form.from, "from")?;
    let amount_cents =
        fields::parse_positive_cents(&form.amount).map_err(|message| AppError::invalid("amount", message))?;
    let every = form.every_months.trim().parse::<u8>().unwrap_or(1);
    let frequency =
        Frequency::from_code(&form.frequency, every).ok_or_else(|| AppError::invalid("frequency", FREQUENCY))?;
    let day = form.day.trim().parse::<u8>().map_err(|_| AppError::invalid("day", DAY))?;
    let terms = VersionTerms {
        amount_cents,
        category_id: uuid_field(&form.category_id, "category_id")?,
        account_id: uuid_field(&form.account_id, "account_id")?,
        schedule: Schedule { frequency, day, business_days: form.business_days.is_some() },
    };
    Ok((from, terms))
}

#[cfg(feature = "ssr")]
const KIND_REQUIRED: crate::i18n::Text = crate::i18n::Text::new("Receita ou despesa?", "Income or expense?");
#[cfg(feature = "ssr")]
const FREQUENCY: crate::i18n::Text = crate::i18n::Text::new(
    "Escolha a frequência (a cada N meses: de 1 a 24).",
    "Choose the frequency (every N months: 1 to 24).",
);
#[cfg(feature = "ssr")]
const DAY: crate::i18n::Text = crate::i18n::Text::new("Informe o dia.", "Enter the day.");
