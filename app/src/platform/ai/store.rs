//! SQL for language model calls and budgets. Always through `TenantTx`: row-level security keeps each tenant's
//! ledger to itself.

use chrono::{DateTime, NaiveDate, Utc};

use super::budget::{MonthlyUsage, plan_monthly_tokens};
use crate::platform::tenancy::{Plan, TenantTx};

/// How a call ended, as stored in `llm_calls.outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    InvalidOutput,
    Unavailable,
    RefusedBudget,
    Error,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::InvalidOutput => "invalid_output",
            Self::Unavailable => "unavailable",
            Self::RefusedBudget => "refused_budget",
            Self::Error => "error",
        }
    }
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord<'a> {
    pub template_id: &'a str,
    pub template_version: &'a str,
    pub model: &'a str,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub outcome: Outcome,
    pub latency_ms: u64,
}

pub async fn record_call(tx: &mut TenantTx, call: &CallRecord<'_>) -> Result<(), sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "insert into llm_calls (tenant_id, template_id, template_version, model, prompt_tokens, completion_tokens,
                                outcome, latency_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tenant_id)
    .bind(call.template_id)
    .bind(call.template_version)
    .bind(call.model)
    .bind(i32::try_from(call.prompt_tokens).unwrap_or(i32::MAX))
    .bind(i32::try_from(call.completion_tokens).unwrap_or(i32::MAX))
    .bind(call.outcome.code())
    .bind(i32::try_from(call.latency_ms).unwrap_or(i32::MAX))
    .execute(tx.conn())
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct UsageRow {
    own_budget: Option<i64>,
    plan: Option<String>,
    used: i64,
    renews_on: NaiveDate,
}

/// The budget and tokens spent in the calendar month (America/Sao_Paulo, computed by PostgreSQL from its time
/// zone database) that contains `at`.
pub async fn monthly_usage(tx: &mut TenantTx, at: DateTime<Utc>) -> Result<MonthlyUsage, sqlx::Error> {
    let tenant_id = tx.tenant_id();
    let row: UsageRow = sqlx::query_as(
        "with month as (
           select date_trunc('month', $2::timestamptz at time zone 'America/Sao_Paulo') as local_start
         )
         select (select b.monthly_tokens from llm_budgets b where b.tenant_id = $1) as own_budget,
                (select t.plan from tenants t where t.id = $1) as plan,
                (select coalesce(sum(c.prompt_tokens::bigint + c.completion_tokens), 0)::bigint
                   from llm_calls c
                  where c.tenant_id = $1
                    and c.created_at >= (month.local_start at time zone 'America/Sao_Paulo')
                    and c.created_at < ((month.local_start + interval '1 month') at time zone 'America/Sao_Paulo'))
                  as used,
                (month.local_start + interval '1 month')::date as renews_on
           from month",
    )
    .bind(tenant_id)
    .bind(at)
    .fetch_one(tx.conn())
    .await?;
    let plan = row.plan.as_deref().and_then(Plan::from_code).unwrap_or(Plan::Starter);
    Ok(MonthlyUsage {
        budget: row.own_budget.unwrap_or_else(|| plan_monthly_tokens(plan)),
        used: row.used,
        renews_on: row.renews_on,
    })
}

/// Gives the tenant its own monthly allowance instead of its plan's (a negotiated contract, or support
/// stopping a runaway tenant with 0).
pub async fn set_monthly_budget(tx: &mut TenantTx, monthly_tokens: i64) -> Result<(), sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "insert into llm_budgets (tenant_id, monthly_tokens) values ($1, $2)
         on conflict (tenant_id) do update set monthly_tokens = excluded.monthly_tokens, updated_at = now()",
    )
    .bind(tenant_id)
    .bind(monthly_tokens)
    .execute(tx.conn())
    .await
    .map(|_| ())
}

/// A ledger row as tests and a future usage page read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CallRow {
    pub template_id: String,
    pub template_version: String,
    pub model: String,
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    pub outcome: String,
    pub latency_ms: i32,
    pub created_at: DateTime<Utc>,
}

/// The tenant's most recent calls, newest first.
pub async fn latest_calls(tx: &mut TenantTx, limit: i64) -> Result<Vec<CallRow>, sqlx::Error> {
    sqlx::query_as(
        "select template_id, template_version, model, prompt_tokens, completion_tokens, outcome, latency_ms, created_at
           from llm_calls order by created_at desc, id desc limit $1",
    )
    .bind(limit)
    .fetch_all(tx.conn())
    .await
}
