//! What the owner's plan page shows: each limit of the plan (from `platform::plans`, the one place they are
//! defined) with what the tenant uses of it now.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::Text;
use crate::platform::{AppError, tenancy::Plan};

/// One line of the plan page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    People,
    FinanceAccounts,
    TransactionsThisMonth,
    DreHistoryMonths,
    AiTokensThisMonth,
}

impl Measure {
    pub fn label(self) -> Text {
        match self {
            Self::People => Text::new("Pessoas na equipe", "Team members"),
            Self::FinanceAccounts => Text::new("Contas financeiras", "Finance accounts"),
            Self::TransactionsThisMonth => Text::new("Lançamentos neste mês", "Transactions this month"),
            Self::DreHistoryMonths => Text::new("Meses de histórico no DRE", "Months of DRE history"),
            Self::AiTokensThisMonth => Text::new("Uso de IA neste mês (tokens)", "AI use this month (tokens)"),
        }
    }

    pub fn hint(self) -> Text {
        match self {
            Self::People => Text::new(
                "Proprietários, equipe e consultores, com convites pendentes. Alunos não contam.",
                "Owners, staff and consultants, pending invitations included. Students never count.",
            ),
            Self::FinanceAccounts => Text::new("Bancos, caixas e cartões.", "Banks, cash and cards."),
            Self::TransactionsThisMonth => Text::new(
                "Lançamentos de outros módulos (mensalidades pagas) contam, mas nunca são recusados.",
                "Entries from other modules (paid tuition) count but are never refused.",
            ),
            Self::DreHistoryMonths => Text::new(
                "Meses com lançamentos. O limite só restringe o que o DRE mostra; nada é apagado.",
                "Months with entries. The limit only caps what the DRE shows; nothing is deleted.",
            ),
            Self::AiTokensThisMonth => Text::new("Renova no dia 1º de cada mês.", "Renews on the 1st of each month."),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageLine {
    pub measure: Measure,
    pub used: i64,
    /// `None`: unlimited on this plan.
    pub allowed: Option<i64>,
}

impl UsageLine {
    /// How full, 0 to 100 (unlimited is never full).
    pub fn percent(&self) -> i64 {
        match self.allowed {
            Some(allowed) if allowed > 0 => (self.used.saturating_mul(100) / allowed).clamp(0, 100),
            Some(_) => 100,
            None => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageReport {
    pub plan: Plan,
    pub lines: Vec<UsageLine>,
}

/// The owner's view of the plan: every limit with today's usage. Owner only.
#[server(endpoint = "plans/usage")]
pub async fn plan_usage() -> Result<UsageReport, AppError> {
    use crate::platform::{auth, auth::Role, plans};
    let mut access = auth::require(&[Role::Owner]).await?;
    let tenant_id = access.tx.tenant_id();
    let plan: String = sqlx::query_scalar("select plan from tenants where id = $1")
        .bind(tenant_id)
        .fetch_one(access.tx.conn())
        .await?;
    let plan = Plan::from_code(&plan).unwrap_or(Plan::Starter);
    let limits = plans::limits(plan);
    let people = plans::count_people(access.tx.conn()).await?;
    let accounts = crate::finance::store::count_accounts(access.tx.conn()).await?;
    // "This month" is the month in Brazil, like the finance pages and the AI budget.
    let (this_month, months): (i64, i64) = sqlx::query_as(
        "with month as (select date_trunc('month', now() at time zone 'America/Sao_Paulo')::date as first_day)
         select (select count(*) from finance_transactions, month
                  where competence_date >= month.first_day
                    and competence_date < (month.first_day + interval '1 month')::date),
                (select count(distinct date_trunc('month', competence_date)) from finance_transactions)",
    )
    .fetch_one(access.tx.conn())
    .await?;
    let ai = crate::platform::ai::store::monthly_usage(&mut access.tx, chrono::Utc::now()).await?;
    access.tx.commit().await?;
    let line = |measure, used, allowed| UsageLine { measure, used, allowed };
    Ok(UsageReport {
        plan,
        lines: vec![
            line(Measure::People, people, limits.people),
            line(Measure::FinanceAccounts, accounts, limits.finance_accounts),
            line(Measure::TransactionsThisMonth, this_month, limits.transactions_per_month),
            line(Measure::DreHistoryMonths, months, limits.dre_history_months),
            line(Measure::AiTokensThisMonth, ai.used, Some(ai.budget)),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_full_at_the_limit_and_never_for_unlimited() {
        let line = |used, allowed| UsageLine { measure: Measure::People, used, allowed };
        assert_eq!(line(3, Some(5)).percent(), 60);
        assert_eq!(line(7, Some(5)).percent(), 100, "over a lowered plan still draws a full bar");
        assert_eq!(line(0, Some(0)).percent(), 100);
        assert_eq!(line(9_999, None).percent(), 0);
    }
}
