//! The monthly token budget: how many tokens (prompt + completion) a tenant's work may spend on the language
//! model per calendar month in America/Sao_Paulo, and what a person reads when it is spent.
//!
//! Defaults by plan, chosen so an ordinary month of each plan's volume fits with room to spare: about 200
//! short conversations a month for Essencial, ten times that for each step up. A tenant with a negotiated
//! allowance has a row in `llm_budgets`, which wins over the plan.

use chrono::NaiveDate;

use crate::i18n::Locale;
use crate::platform::{AppError, integrations::language_model::LlmError, tenancy::Plan};

/// The plan's allowance, from the one place plans are defined (`platform::plans`).
pub fn plan_monthly_tokens(plan: Plan) -> i64 {
    crate::platform::plans::limits(plan).ai_tokens_per_month
}

/// The tenant's allowance this month, what it has spent, and the day it starts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthlyUsage {
    pub budget: i64,
    pub used: i64,
    pub renews_on: NaiveDate,
}

impl MonthlyUsage {
    /// Spent or overspent. A call is refused only before it starts: one that begins under the budget finishes,
    /// so the budget can be overshot by the calls in flight at the moment it runs out (a soft limit).
    pub fn exhausted(&self) -> bool {
        self.used >= self.budget
    }

    pub fn error(&self) -> LlmError {
        LlmError::BudgetExhausted { budget: self.budget, used: self.used, renews_on: self.renews_on }
    }
}

/// "O limite mensal de uso de IA do seu plano foi atingido (200.000 tokens). Ele renova em 01/12."
pub fn exhausted_message(budget: i64, renews_on: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::PtBr => format!(
            "O limite mensal de uso de IA do seu plano foi atingido ({} tokens). Ele renova em {}.",
            group_thousands(budget, '.'),
            renews_on.format("%d/%m")
        ),
        Locale::En => format!(
            "Your plan's monthly AI usage limit has been reached ({} tokens). It renews on {}.",
            group_thousands(budget, ','),
            renews_on.format("%B %-d")
        ),
    }
}

fn group_thousands(value: i64, separator: char) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

impl From<LlmError> for AppError {
    /// A spent budget is a limit the person can read about; everything else is ours to look at (logged with
    /// its reason, shown as an opaque error). Callers with a fallback handle `LlmError` before it gets here.
    fn from(error: LlmError) -> Self {
        match error {
            LlmError::BudgetExhausted { budget, renews_on, .. } => {
                AppError::limit(exhausted_message(budget, renews_on, crate::platform::context::request_locale()))
            }
            other => AppError::unexpected("language model", other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn december_first() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn the_message_names_the_budget_and_the_renewal_day_in_each_language() {
        assert_eq!(
            exhausted_message(200_000, december_first(), Locale::PtBr),
            "O limite mensal de uso de IA do seu plano foi atingido (200.000 tokens). Ele renova em 01/12."
        );
        assert_eq!(
            exhausted_message(20_000_000, december_first(), Locale::En),
            "Your plan's monthly AI usage limit has been reached (20,000,000 tokens). It renews on December 1."
        );
    }

    #[test]
    fn plans_grow_tenfold() {
        assert_eq!(plan_monthly_tokens(Plan::Starter), 200_000);
        assert_eq!(plan_monthly_tokens(Plan::Professional), 2_000_000);
        assert_eq!(plan_monthly_tokens(Plan::Enterprise), 20_000_000);
    }

    #[test]
    fn a_budget_is_exhausted_when_used_reaches_it() {
        let usage = MonthlyUsage { budget: 100, used: 99, renews_on: december_first() };
        assert!(!usage.exhausted());
        assert!(MonthlyUsage { used: 100, ..usage }.exhausted());
        assert!(MonthlyUsage { budget: 0, used: 0, ..usage }.exhausted());
    }

    #[test]
    fn a_spent_budget_becomes_a_limit_error() {
        let error: AppError =
            MonthlyUsage { budget: 200_000, used: 200_010, renews_on: december_first() }.error().into();
        assert!(matches!(error, AppError::LimitReached { ref message } if message.contains("200.000 tokens")));
    }
}
