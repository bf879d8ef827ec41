//! Monthly rollups per (category, month, basis): what part 2's DRE and dashboards read instead of scanning every
//! transaction. The database's triggers keep them in the same transaction as each ledger change; this module reads
//! them and can recompute them from scratch, which is how tests prove they never drift.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::platform::tenancy::TenantTx;

/// One rollup row: income positive, expenses negative.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct Rollup {
    pub category_id: Uuid,
    pub month: NaiveDate,
    pub basis: String,
    pub amount_cents: i64,
    pub entries: i64,
}

/// The stored rollups of the tenant (rows left at zero by deletions are skipped).
pub async fn stored(tx: &mut TenantTx) -> Result<Vec<Rollup>, sqlx::Error> {
    sqlx::query_as(
        "select category_id, month, basis, amount_cents, entries from finance_rollups
          where entries <> 0 or amount_cents <> 0
          order by category_id, month, basis",
    )
    .fetch_all(tx.conn())
    .await
}

/// The rollups computed from the transactions themselves.
pub async fn recomputed(tx: &mut TenantTx) -> Result<Vec<Rollup>, sqlx::Error> {
    sqlx::query_as(
        "select category_id, month, basis, sum(signed)::bigint as amount_cents, count(*) as entries
           from (select category_id, date_trunc('month', competence_date)::date as month, 'competence' as basis,
                        case kind when 'income' then amount_cents else -amount_cents end as signed
                   from finance_transactions
                 union all
                 select category_id, date_trunc('month', paid_on)::date, 'cash',
                        case kind when 'income' then amount_cents else -amount_cents end
                   from finance_transactions where paid_on is not null) d
          group by category_id, month, basis
          order by category_id, month, basis",
    )
    .fetch_all(tx.conn())
    .await
}

/// Each account's kept balance next to one recomputed from its opening, paid transactions and transfers.
pub async fn balances(tx: &mut TenantTx) -> Result<Vec<(Uuid, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select a.id, a.opening_balance_cents + a.movement_cents,
                (a.opening_balance_cents
                + coalesce((select sum(case t.kind when 'income' then t.amount_cents else -t.amount_cents end)
                              from finance_transactions t where t.account_id = a.id and t.paid_on is not null), 0)
                + coalesce((select sum(amount_cents) from finance_transfers where to_account_id = a.id), 0)
                - coalesce((select sum(amount_cents) from finance_transfers where from_account_id = a.id), 0))::bigint
           from finance_accounts a order by a.id",
    )
    .fetch_all(tx.conn())
    .await
}

/// Rewrites the tenant's rollups from the transactions (a repair tool; never needed while the triggers run).
pub async fn rebuild(tx: &mut TenantTx) -> Result<(), sqlx::Error> {
    sqlx::query("delete from finance_rollups").execute(tx.conn()).await?;
    let tenant_id = tx.tenant_id();
    for row in recomputed(tx).await? {
        sqlx::query(
            "insert into finance_rollups (tenant_id, category_id, month, basis, amount_cents, entries)
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tenant_id)
        .bind(row.category_id)
        .bind(row.month)
        .bind(&row.basis)
        .bind(row.amount_cents)
        .bind(row.entries)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}
