-- The DRE straight from the transactions (issue 13: the rollups are an optimisation, not a crutch). A year of a
-- tenant with 1,000,000 rows is ~500,000 rows to sum: these covering indexes let it read them index-only, in date
-- order, without touching the table (server/benches/ledger.rs prints the plans and timings). The competence one
-- also serves the transactions page's month totals.
create index finance_transactions_competence_sum_idx on finance_transactions
  (tenant_id, competence_date, category_id) include (amount_cents);
create index finance_transactions_cash_sum_idx on finance_transactions
  (tenant_id, paid_on, category_id) include (amount_cents) where paid_on is not null;
