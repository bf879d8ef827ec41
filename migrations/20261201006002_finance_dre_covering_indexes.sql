-- The DRE computed straight from the transactions (the proof that the rollups are an optimisation) reads every
-- transaction of a range of months by competence or by payment date. Without these indexes it visits the heap for
-- each one (rows of a month are scattered over the table: one random page read per row when the planner guesses a
-- small range, 3 s for 12 months at 1M rows). Covering indexes ordered by (date, category) with the amount
-- included answer it with a parallel index-only scan whose rows come grouped by day and category, so the sum
-- streams without a hash or a sort (about 70 ms for 12 months at 1M rows; `server/benches/ledger.rs`).
create index finance_transactions_competence_sum_idx
  on finance_transactions (tenant_id, competence_date, category_id) include (amount_cents, kind);
create index finance_transactions_paid_sum_idx
  on finance_transactions (tenant_id, paid_on, category_id) include (amount_cents) where paid_on is not null;
-- The first also answers the transactions page's totals for a month (`kind` included) without touching the heap;
-- its list (newest first) keeps using finance_transactions_competence_idx (tenant, competence date, id).
