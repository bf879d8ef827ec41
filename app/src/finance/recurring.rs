//! The recurring rules service: create a rule, edit it from a date (the current version closes the day before, a new
//! one opens), preview what such an edit changes, end it from a date, and book occurrences as pending ledger
//! transactions up to `HORIZON_MONTHS` ahead (the daily job calls `materialize` for every tenant with rules).
//!
//! Rules that keep the past intact: an occurrence scheduled before the edit date is never touched; a paid one is
//! never changed nor booked again (its source id `<rule>:<scheduled date>` holds the date for the rule); ending a
//! rule removes only its future, unpaid occurrences. Occurrences in a closed month are neither booked nor removed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Months, NaiveDate};
use uuid::Uuid;

use super::{
    fields::month_of,
    recurring_types::{Frequency, PreviewChange, PreviewRow, Rule, RuleVersion, Schedule, VersionTerms},
    types::EntryKind,
};
use crate::i18n::Text;
use crate::platform::{AppError, audit, tenancy::TenantTx};

/// How far ahead occurrences are booked.
pub const HORIZON_MONTHS: u32 = 13;

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: Uuid,
    rule_id: Uuid,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    amount_cents: i64,
    category_id: Uuid,
    account_id: Uuid,
    frequency: String,
    every_months: i16,
    day: i16,
    business_days: bool,
}

impl VersionRow {
    fn wire(self) -> RuleVersion {
        let every = u8::try_from(self.every_months).unwrap_or(1);
        RuleVersion {
            id: self.id,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            amount_cents: self.amount_cents,
            category_id: self.category_id,
            account_id: self.account_id,
            schedule: Schedule {
                frequency: Frequency::from_code(&self.frequency, every).unwrap_or(Frequency::Monthly),
                day: u8::try_from(self.day).unwrap_or(1),
                business_days: self.business_days,
            },
        }
    }
}

/// Every rule of the tenant with its versions (oldest first), by name.
pub async fn rules(tx: &mut TenantTx) -> Result<Vec<Rule>, sqlx::Error> {
    let heads: Vec<(Uuid, String, String, NaiveDate, Option<NaiveDate>)> =
        sqlx::query_as("select id, name, kind, starts_on, ended_on from finance_recurring_rules order by name")
            .fetch_all(tx.conn())
            .await?;
    let versions: Vec<VersionRow> = sqlx::query_as(
        "select id, rule_id, valid_from, valid_to, amount_cents, category_id, account_id, frequency, every_months,
                day, business_days
           from finance_recurring_versions order by rule_id, valid_from",
    )
    .fetch_all(tx.conn())
    .await?;
    let mut by_rule: BTreeMap<Uuid, Vec<RuleVersion>> = BTreeMap::new();
    for version in versions {
        by_rule.entry(version.rule_id).or_default().push(version.wire());
    }
    Ok(heads
        .into_iter()
        .map(|(id, name, kind, starts_on, ended_on)| Rule {
            id,
            name,
            kind: EntryKind::from_code(&kind).unwrap_or(EntryKind::Expense),
            starts_on,
            ended_on,
            versions: by_rule.remove(&id).unwrap_or_default(),
        })
        .collect())
}

pub async fn rule(tx: &mut TenantTx, id: Uuid) -> Result<Option<Rule>, sqlx::Error> {
    Ok(rules(tx).await?.into_iter().find(|rule| rule.id == id))
}

/// Creates a rule whose first version starts on `starts_on`, and books its occurrences.
pub async fn create(
    tx: &mut TenantTx,
    actor: Option<Uuid>,
    name: &str,
    kind: EntryKind,
    starts_on: NaiveDate,
    terms: &VersionTerms,
    today: NaiveDate,
) -> Result<Uuid, AppError> {
    check_terms(tx, kind, terms).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::invalid("name", NAME_REQUIRED));
    }
    let id: Uuid = sqlx::query_scalar(
        "insert into finance_recurring_rules (tenant_id, name, kind, starts_on) values ($1, $2, $3, $4) returning id",
    )
    .bind(tx.tenant_id())
    .bind(name)
    .bind(kind.code())
    .bind(starts_on)
    .fetch_one(tx.conn())
    .await
    .map_err(|error| match error.as_database_error().and_then(|db| db.constraint()) {
        Some("finance_recurring_rules_name_key") => AppError::invalid("name", NAME_TAKEN),
        _ => AppError::from(error),
    })?;
    insert_version(tx, id, starts_on, terms).await?;
    let booked = materialize_rule(tx, id, today).await?;
    let details = serde_json::json!({ "name": name, "amount_cents": terms.amount_cents, "booked": booked });
    audit::record(tx, actor, "finance.recurring.created", &id.to_string(), details).await?;
    Ok(id)
}

/// Edits a rule from `from`: the version in force closes the day before and a new one opens with `terms` (a version
/// that starts on `from` is replaced). Unpaid occurrences from `from` on are booked again from the new terms; paid
/// ones and everything before `from` stay.
pub async fn edit_from(
    tx: &mut TenantTx,
    actor: Option<Uuid>,
    rule_id: Uuid,
    from: NaiveDate,
    terms: &VersionTerms,
    today: NaiveDate,
) -> Result<Uuid, AppError> {
    let rule = lock_rule(tx, rule_id).await?;
    check_terms(tx, rule.kind, terms).await?;
    let latest = rule.versions.last().ok_or(AppError::NotFound)?;
    if from < latest.valid_from {
        return Err(AppError::invalid("from", AFTER_LATEST));
    }
    if rule.ended_on.is_some_and(|ended| from >= ended) {
        return Err(AppError::conflict(ENDED));
    }
    remove_unpaid_from(tx, rule_id, from).await?;
    let version = if from == latest.valid_from {
        // The version in force starts on that very date: its terms are rewritten (paid occurrences keep pointing
        // to it and keep their amounts).
        update_version(tx, latest.id, terms).await?;
        latest.id
    } else {
        sqlx::query("update finance_recurring_versions set valid_to = $2 where id = $1")
            .bind(latest.id)
            .bind(from - Duration::days(1))
            .execute(tx.conn())
            .await?;
        insert_version(tx, rule_id, from, terms).await?
    };
    let booked = materialize_rule(tx, rule_id, today).await?;
    let details = serde_json::json!({ "from": from, "amount_cents": terms.amount_cents, "booked": booked });
    audit::record(tx, actor, "finance.recurring.edited", &rule_id.to_string(), details).await?;
    Ok(version)
}

/// Ends a rule from `from`: nothing is scheduled on or after it, and its unpaid occurrences from then on go.
pub async fn end_from(tx: &mut TenantTx, actor: Option<Uuid>, rule_id: Uuid, from: NaiveDate) -> Result<(), AppError> {
    let rule = lock_rule(tx, rule_id).await?;
    let latest = rule.versions.last().ok_or(AppError::NotFound)?;
    if from <= latest.valid_from {
        return Err(AppError::invalid("from", AFTER_LATEST));
    }
    sqlx::query(
        "update finance_recurring_versions set valid_to = $2 where id = $1 and (valid_to is null or valid_to > $2)",
    )
    .bind(latest.id)
    .bind(from - Duration::days(1))
    .execute(tx.conn())
    .await?;
    sqlx::query("update finance_recurring_rules set ended_on = $2 where id = $1")
        .bind(rule_id)
        .bind(from)
        .execute(tx.conn())
        .await?;
    let removed = remove_unpaid_from(tx, rule_id, from).await?;
    let details = serde_json::json!({ "from": from, "removed": removed });
    audit::record(tx, actor, "finance.recurring.ended", &rule_id.to_string(), details).await?;
    Ok(())
}

/// What `edit_from(rule, from, terms)` would do, scheduled date by scheduled date, from two months before `from`
/// to the horizon. Writes nothing.
pub async fn preview(
    tx: &mut TenantTx,
    rule_id: Uuid,
    from: NaiveDate,
    terms: &VersionTerms,
    today: NaiveDate,
) -> Result<Vec<PreviewRow>, AppError> {
    let rule = super::recurring::rule(tx, rule_id).await?.ok_or(AppError::NotFound)?;
    let window_start = month_of(from).checked_sub_months(Months::new(2)).unwrap_or(from);
    let horizon = horizon(today);
    let booked = occurrences(tx, rule_id, window_start).await?;
    let holidays = holidays(from, horizon);
    let end = rule.ended_on.map_or(horizon, |ended| (ended - Duration::days(1)).min(horizon));
    let after: BTreeMap<NaiveDate, (NaiveDate, i64)> = terms
        .schedule
        .dates(rule.starts_on, from, end)
        .into_iter()
        .map(|date| (date, (terms.schedule.due(date, &holidays), terms.amount_cents)))
        .collect();
    let mut dates: BTreeSet<NaiveDate> = booked.keys().copied().collect();
    dates.extend(after.keys().copied());
    Ok(dates
        .into_iter()
        .map(|date| {
            let old = booked.get(&date);
            let before = old.map(|occurrence| (occurrence.due, occurrence.amount_cents));
            let paid = old.is_some_and(|occurrence| occurrence.paid);
            let (after, change) = if date < from {
                (before, PreviewChange::Stays)
            } else if paid {
                (before, PreviewChange::Paid)
            } else {
                let new = after.get(&date).copied();
                let change = match (before, new) {
                    (Some(old), Some(new)) if old == new => PreviewChange::Same,
                    (Some(_), Some(_)) => PreviewChange::Changes,
                    (None, Some(_)) => PreviewChange::New,
                    _ => PreviewChange::Removed,
                };
                (new, change)
            };
            PreviewRow { date, before, after, change }
        })
        .collect())
}

/// Books every rule's missing occurrences up to the horizon; answers how many were booked.
pub async fn materialize(tx: &mut TenantTx, today: NaiveDate) -> Result<u64, AppError> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "select id from finance_recurring_rules where ended_on is null or ended_on > $1 order by id",
    )
    .bind(today)
    .fetch_all(tx.conn())
    .await?;
    let mut booked = 0;
    for id in ids {
        booked += materialize_rule(tx, id, today).await?;
    }
    Ok(booked)
}

/// Books one rule's occurrences up to the horizon that are not booked yet (in one statement; the source key makes
/// a second run, or a date a paid occurrence already holds, a no-op). Closed months are skipped.
pub async fn materialize_rule(tx: &mut TenantTx, rule_id: Uuid, today: NaiveDate) -> Result<u64, AppError> {
    let Some(rule) = rule(tx, rule_id).await? else { return Err(AppError::NotFound) };
    let horizon = horizon(today);
    let end = rule.ended_on.map_or(horizon, |ended| (ended - Duration::days(1)).min(horizon));
    let holidays = holidays(rule.starts_on, end);
    let mut rows = Occurrences::default();
    for version in &rule.versions {
        let last = version.valid_to.map_or(end, |to| to.min(end));
        for date in version.schedule.dates(rule.starts_on, version.valid_from, last) {
            rows.push(version, format!("{}:{date}", rule.id), date, version.schedule.due(date, &holidays));
        }
    }
    if rows.date.is_empty() {
        return Ok(0);
    }
    let booked = sqlx::query(
        "insert into finance_transactions (tenant_id, account_id, category_id, kind, amount_cents, competence_date,
                                           due_date, description, source, source_id, source_kind,
                                           recurring_version_id)
         select $1, o.account_id, o.category_id, $2, o.amount_cents, o.date, o.due, $3, 'recurring', o.source_id,
                'charge', o.version_id
           from unnest($4::uuid[], $5::uuid[], $6::bigint[], $7::date[], $8::date[], $9::text[], $10::uuid[])
                  as o(account_id, category_id, amount_cents, date, due, source_id, version_id)
          where not exists (select from finance_closed_months c where c.month = date_trunc('month', o.date)::date)
         on conflict on constraint finance_transactions_source_key do nothing",
    )
    .bind(tx.tenant_id())
    .bind(rule.kind.code())
    .bind(&rule.name)
    .bind(&rows.account)
    .bind(&rows.category)
    .bind(&rows.amount)
    .bind(&rows.date)
    .bind(&rows.due)
    .bind(&rows.source_id)
    .bind(&rows.version)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(booked)
}

fn horizon(today: NaiveDate) -> NaiveDate {
    today.checked_add_months(Months::new(HORIZON_MONTHS)).unwrap_or(today)
}

/// A booked occurrence, by its scheduled date.
struct Booked {
    due: NaiveDate,
    amount_cents: i64,
    paid: bool,
}

async fn occurrences(
    tx: &mut TenantTx,
    rule_id: Uuid,
    since: NaiveDate,
) -> Result<BTreeMap<NaiveDate, Booked>, sqlx::Error> {
    let rows: Vec<(NaiveDate, NaiveDate, i64, bool)> = sqlx::query_as(
        "select competence_date, due_date, amount_cents, paid_on is not null from finance_transactions
          where source = 'recurring' and starts_with(source_id, $1) and competence_date >= $2",
    )
    .bind(format!("{rule_id}:"))
    .bind(since)
    .fetch_all(tx.conn())
    .await?;
    Ok(rows.into_iter().map(|(date, due, amount_cents, paid)| (date, Booked { due, amount_cents, paid })).collect())
}

/// Deletes the rule's unpaid occurrences scheduled on or after `from` (outside closed months).
async fn remove_unpaid_from(tx: &mut TenantTx, rule_id: Uuid, from: NaiveDate) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "delete from finance_transactions t
          where t.source = 'recurring' and starts_with(t.source_id, $1) and t.competence_date >= $2
            and t.paid_on is null
            and not exists (select from finance_closed_months c
                             where c.month = date_trunc('month', t.competence_date)::date)",
    )
    .bind(format!("{rule_id}:"))
    .bind(from)
    .execute(tx.conn())
    .await?
    .rows_affected())
}

/// The national bank holidays a due date in `from..=to` may meet, with room for the shift past `to`.
fn holidays(from: NaiveDate, to: NaiveDate) -> BTreeSet<NaiveDate> {
    super::holidays::between(from, to + Duration::days(15))
}

/// The rule, its row locked so two edits of it queue.
async fn lock_rule(tx: &mut TenantTx, rule_id: Uuid) -> Result<Rule, AppError> {
    let found: Option<Uuid> = sqlx::query_scalar("select id from finance_recurring_rules where id = $1 for update")
        .bind(rule_id)
        .fetch_optional(tx.conn())
        .await?;
    found.ok_or(AppError::NotFound)?;
    rule(tx, rule_id).await?.ok_or(AppError::NotFound)
}

async fn insert_version(
    tx: &mut TenantTx,
    rule_id: Uuid,
    from: NaiveDate,
    terms: &VersionTerms,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into finance_recurring_versions (tenant_id, rule_id, valid_from, amount_cents, category_id, account_id,
                                                 frequency, every_months, day, business_days)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(tx.tenant_id())
    .bind(rule_id)
    .bind(from)
    .bind(terms.amount_cents)
    .bind(terms.category_id)
    .bind(terms.account_id)
    .bind(terms.schedule.frequency.code())
    .bind(i16::from(terms.schedule.frequency.every_months()))
    .bind(i16::from(terms.schedule.day))
    .bind(terms.schedule.business_days)
    .fetch_one(tx.conn())
    .await
}

async fn update_version(tx: &mut TenantTx, id: Uuid, terms: &VersionTerms) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update finance_recurring_versions
            set amount_cents = $2, category_id = $3, account_id = $4, frequency = $5, every_months = $6, day = $7,
                business_days = $8
          where id = $1",
    )
    .bind(id)
    .bind(terms.amount_cents)
    .bind(terms.category_id)
    .bind(terms.account_id)
    .bind(terms.schedule.frequency.code())
    .bind(i16::from(terms.schedule.frequency.every_months()))
    .bind(i16::from(terms.schedule.day))
    .bind(terms.schedule.business_days)
    .execute(tx.conn())
    .await?;
    Ok(())
}

async fn check_terms(tx: &mut TenantTx, kind: EntryKind, terms: &VersionTerms) -> Result<(), AppError> {
    if terms.amount_cents <= 0 {
        return Err(AppError::invalid("amount", super::fields::AMOUNT_POSITIVE));
    }
    let weekly = terms.schedule.frequency == Frequency::Weekly;
    if (weekly && !(1..=7).contains(&terms.schedule.day)) || !(1..=31).contains(&terms.schedule.day) {
        return Err(AppError::invalid("day", DAY_INVALID));
    }
    if super::store::category_kind(tx.conn(), terms.category_id).await? != Some(kind) {
        return Err(AppError::invalid("category_id", CATEGORY_INVALID));
    }
    if super::store::account(tx.conn(), terms.account_id).await?.is_none() {
        return Err(AppError::invalid("account_id", ACCOUNT_INVALID));
    }
    Ok(())
}

/// Columns of occurrences, for one batch insert.
#[derive(Default)]
struct Occurrences {
    account: Vec<Uuid>,
    category: Vec<Uuid>,
    amount: Vec<i64>,
    date: Vec<NaiveDate>,
    due: Vec<NaiveDate>,
    source_id: Vec<String>,
    version: Vec<Uuid>,
}

impl Occurrences {
    fn push(&mut self, version: &RuleVersion, source_id: String, date: NaiveDate, due: NaiveDate) {
        self.account.push(version.account_id);
        self.category.push(version.category_id);
        self.amount.push(version.amount_cents);
        self.date.push(date);
        self.due.push(due);
        self.source_id.push(source_id);
        self.version.push(version.id);
    }
}

const NAME_REQUIRED: Text =
    Text::new("Dê um nome à regra (até 80 caracteres).", "Name the rule (up to 80 characters).");
const NAME_TAKEN: Text = Text::new("Já existe uma regra com este nome.", "A rule with this name already exists.");
const ENDED: Text = Text::new("Esta regra já terminou antes desta data.", "This rule ended before this date.");
const AFTER_LATEST: Text = Text::new(
    "Escolha uma data a partir do início da versão atual.",
    "Choose a date on or after the current version's start.",
);
const DAY_INVALID: Text =
    Text::new("Dia entre 1 e 31 (semanal: 1 = segunda … 7 = domingo).", "Day 1–31 (weekly: 1 = Monday … 7 = Sunday).");
const CATEGORY_INVALID: Text =
    Text::new("Escolha uma categoria do mesmo tipo da regra.", "Choose a category of the rule's kind.");
const ACCOUNT_INVALID: Text = Text::new("Escolha uma conta.", "Choose an account.");
