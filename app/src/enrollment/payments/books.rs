//! Tuition in the books: a paid enrollment charge books its gross value as revenue and Asaas' fee (value − net
//! value) as a separate expense, through the finance module's `ledger::record`, in the caller's `TenantTx` (so the
//! booking commits with the payment that caused it, or neither does). Each booking is idempotent per (charge,
//! kind): the ledger keys it by (`enrollment`, source id, `charge` | `reversal`), with the charge id as the source
//! id of the revenue and `<charge id>:tarifa` of the fee, so a redelivered webhook, a CONFIRMED followed by a
//! RECEIVED or a retried job books nothing twice. Nobody types tuition.
//!
//! A refund or a confirmed chargeback books the reversal: the gross value as an expense on "deduções" (a devolução
//! of revenue), keyed as the revenue's reversal. Asaas keeps its fee on a refunded charge, so the fee stays booked.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::{
    enrollment::review_types::brasilia_day,
    finance::{
        dre_types::DreLine,
        ledger::{self, Entry, SourceKind, SourcedEntry},
        sourced,
        types::{EntryKind, Source},
    },
    platform::{AppError, payments::ChargeFacts, tenancy::TenantTx},
};

/// Where tuition lands: the provider's balance, and the categories finance's DRE reads.
pub const ACCOUNT: &str = "Conta Asaas";
pub const REVENUE_CATEGORY: &str = "Mensalidades/Matrículas";
pub const FEE_CATEGORY: &str = "Tarifas bancárias/gateway";
pub const REVERSAL_CATEGORY: &str = "Estornos de matrículas";

/// For whom and what a charge was paid (the entries' description and counterpart).
#[derive(Debug, Clone)]
pub struct Payer<'a> {
    pub student: &'a str,
    pub course: &'a str,
    pub term: &'a str,
}

/// Books paid charge `charge` (revenue, and the fee when Asaas took one) on the day `at` falls in Brasília. Answers
/// whether anything new was booked.
pub async fn book_paid(
    tx: &mut TenantTx,
    charge: &ChargeFacts,
    payer: &Payer<'_>,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    if charge.value_cents <= 0 {
        return Ok(false);
    }
    let day = brasilia_day(charge.paid_at.unwrap_or(at));
    let account = sourced::account(tx, ACCOUNT, day).await?;
    let revenue = sourced::category(tx, REVENUE_CATEGORY, EntryKind::Income, DreLine::ReceitaBruta).await?;
    let what = format!("Matrícula {} ({}) — {}", payer.course, payer.term, payer.student);
    let entry = |category_id, kind, amount_cents, description: String| {
        settled_entry(account, category_id, kind, amount_cents, day, &description, payer)
    };
    let mut batch = vec![SourcedEntry {
        entry: entry(revenue, EntryKind::Income, charge.value_cents, what.clone()),
        source: Source::Enrollment,
        source_id: charge.charge_id.clone(),
        source_kind: SourceKind::Charge,
    }];
    let fee = charge.fee_cents();
    if fee > 0 {
        let category = sourced::category(tx, FEE_CATEGORY, EntryKind::Expense, DreLine::DespesasFinanceiras).await?;
        batch.push(SourcedEntry {
            entry: entry(category, EntryKind::Expense, fee, format!("Tarifa Asaas — {what}")),
            source: Source::Enrollment,
            source_id: fee_source(&charge.charge_id),
            source_kind: SourceKind::Charge,
        });
    }
    let recorded = ledger::record_batch(tx, &batch).await?;
    Ok(recorded.iter().any(|booked| booked.created))
}

/// Books the reversal of charge `charge`'s revenue (refunded, or a chargeback lost) on the day `at` falls in
/// Brasília. Answers whether it was new.
pub async fn book_reversal(
    tx: &mut TenantTx,
    charge: &ChargeFacts,
    payer: &Payer<'_>,
    why: &str,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    if charge.value_cents <= 0 {
        return Ok(false);
    }
    let day = brasilia_day(at);
    let account = sourced::account(tx, ACCOUNT, day).await?;
    let category = sourced::category(tx, REVERSAL_CATEGORY, EntryKind::Expense, DreLine::Deducoes).await?;
    let description = format!("{why} — Matrícula {} ({}) — {}", payer.course, payer.term, payer.student);
    let sourced = SourcedEntry {
        entry: settled_entry(account, category, EntryKind::Expense, charge.value_cents, day, &description, payer),
        source: Source::Enrollment,
        source_id: charge.charge_id.clone(),
        source_kind: SourceKind::Reversal,
    };
    Ok(ledger::record(tx, sourced).await?.created)
}

/// The fee's source id: its own key beside the revenue's, so each is booked once.
pub fn fee_source(charge_id: &str) -> String {
    format!("{charge_id}:tarifa")
}

/// The ledger keeps descriptions of up to 200 characters.
fn clip(text: &str) -> String {
    text.chars().take(200).collect()
}

/// An entry settled on `day` (competence, due and paid the same day), with the student as the counterpart: how every
/// enrollment booking looks in the ledger.
fn settled_entry(
    account_id: Uuid,
    category_id: Uuid,
    kind: EntryKind,
    amount_cents: i64,
    day: NaiveDate,
    description: &str,
    payer: &Payer<'_>,
) -> Entry {
    Entry {
        account_id,
        category_id,
        kind,
        amount_cents,
        competence_date: day,
        due_date: day,
        paid_on: Some(day),
        description: clip(description),
        counterpart: Some(payer.student.to_owned()),
        external_id: None,
        batch_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_descriptions_fit_the_ledger() {
        assert_eq!(clip(&"a".repeat(300)).chars().count(), 200);
        assert_eq!(clip("Matrícula"), "Matrícula");
        assert_eq!(fee_source("pay_1"), "pay_1:tarifa");
    }
}
