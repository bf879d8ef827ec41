//! Plans and limits, one platform mechanism: this file is the one place that says what each plan allows. A capped
//! write calls `check` in its own transaction, which takes the tenant's row lock first, so two writes racing for
//! the last unit cannot both pass (the second waits, then counts the first). Viewing caps (months of DRE history)
//! only limit what is shown; data is never deleted.

use crate::i18n::{Locale, Text};
use crate::platform::tenancy::Plan;

/// What a plan allows; `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Owner, staff and consultants (students never count).
    pub people: Option<i64>,
    pub finance_accounts: Option<i64>,
    /// Transactions a person types per month (entries booked by other modules count but are never refused).
    pub transactions_per_month: Option<i64>,
    /// Months of DRE history shown.
    pub dre_history_months: Option<i64>,
    /// Language-model tokens per month (platform::ai::budget reads it).
    pub ai_tokens_per_month: i64,
}

pub fn limits(plan: Plan) -> Limits {
    match plan {
        Plan::Starter => Limits {
            people: Some(5),
            finance_accounts: Some(3),
            transactions_per_month: Some(200),
            dre_history_months: Some(12),
            ai_tokens_per_month: 200_000,
        },
        Plan::Professional => Limits {
            people: Some(50),
            finance_accounts: Some(20),
            transactions_per_month: Some(5_000),
            dre_history_months: Some(36),
            ai_tokens_per_month: 2_000_000,
        },
        Plan::Enterprise => Limits {
            people: None,
            finance_accounts: None,
            transactions_per_month: None,
            dre_history_months: None,
            ai_tokens_per_month: 20_000_000,
        },
    }
}

/// A capped count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    People,
    FinanceAccounts,
    TransactionsPerMonth,
}

impl Limit {
    pub fn of(self, plan: Plan) -> Option<i64> {
        let limits = limits(plan);
        match self {
            Self::People => limits.people,
            Self::FinanceAccounts => limits.finance_accounts,
            Self::TransactionsPerMonth => limits.transactions_per_month,
        }
    }

    pub fn label(self) -> Text {
        match self {
            Self::People => Text::new("pessoas na equipe", "team members"),
            Self::FinanceAccounts => Text::new("contas financeiras", "finance accounts"),
            Self::TransactionsPerMonth => Text::new("lançamentos por mês", "transactions per month"),
        }
    }

    /// The smallest plan above `plan` that allows more.
    pub fn lifted_by(self, plan: Plan) -> Option<Plan> {
        let current = self.of(plan);
        Plan::ALL.into_iter().skip_while(|other| *other != plan).skip(1).find(|other| {
            match (self.of(*other), current) {
                (None, _) => true,
                (Some(more), Some(now)) => more > now,
                (Some(_), None) => false,
            }
        })
    }

    /// "Seu plano Essencial permite até 3 contas financeiras. O plano Profissional permite mais: …"
    pub fn message(self, plan: Plan, allowed: i64, locale: Locale) -> String {
        let what = self.label().get(locale);
        let current = plan.label().get(locale);
        let lift = self.lifted_by(plan).map(|next| next.label().get(locale));
        match (locale, lift) {
            (Locale::PtBr, Some(next)) => format!(
                "Seu plano {current} permite até {allowed} {what}. O plano {next} permite mais: fale com o suporte da Atrium para mudar de plano."
            ),
            (Locale::PtBr, None) => format!("Seu plano {current} permite até {allowed} {what}."),
            (Locale::En, Some(next)) => format!(
                "Your {current} plan allows up to {allowed} {what}. The {next} plan allows more: ask Atrium's support to change plans."
            ),
            (Locale::En, None) => format!("Your {current} plan allows up to {allowed} {what}."),
        }
    }
}

/// Takes the tenant's row lock and answers its plan: count what a limit caps after this, in the same
/// transaction, then `ensure`. Two writes racing for the last unit queue here, and the second counts the first.
#[cfg(feature = "ssr")]
pub async fn lock(tx: &mut crate::platform::tenancy::TenantTx) -> Result<Plan, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    let plan: String = sqlx::query_scalar("select plan from tenants where id = $1 for update")
        .bind(tenant_id)
        .fetch_one(tx.conn())
        .await?;
    Ok(Plan::from_code(&plan).unwrap_or(Plan::Starter))
}

/// The people a plan counts: active owners, staff and consultants, pending invitations included. An invitation
/// holds its seat from the moment it is sent: otherwise an owner on a five-person plan could send fifty
/// invitations and every one of them could be accepted, and the limit would be met only on paper. Students never
/// count (a school's students are its customers, not its team).
#[cfg(feature = "ssr")]
pub async fn count_people(conn: &mut sqlx::PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from users where active and role <> 'student'").fetch_one(conn).await
}

/// Refuses with `LimitReached` (naming the limit and the plan that lifts it) when `used` already fills `limit`.
#[cfg(feature = "ssr")]
pub fn ensure(plan: Plan, limit: Limit, used: i64) -> Result<(), crate::platform::AppError> {
    match limit.of(plan) {
        Some(allowed) if used >= allowed => Err(crate::platform::AppError::limit(limit.message(
            plan,
            allowed,
            crate::platform::context::request_locale(),
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_names_the_plan_that_lifts_it() {
        assert_eq!(Limit::FinanceAccounts.lifted_by(Plan::Starter), Some(Plan::Professional));
        assert_eq!(Limit::FinanceAccounts.lifted_by(Plan::Professional), Some(Plan::Enterprise));
        assert_eq!(Limit::FinanceAccounts.lifted_by(Plan::Enterprise), None);
        let message = Limit::FinanceAccounts.message(Plan::Starter, 3, Locale::PtBr);
        assert!(message.contains("Essencial") && message.contains("3 contas") && message.contains("Profissional"));
    }
}
