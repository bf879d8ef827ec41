-- Credit-card invoices (finance::cards). A closing or due day may be any day of the month: past the end of a short
-- month it falls on the month's last day (closing day 31 closes on 28 or 29 February).
alter table finance_accounts drop constraint finance_accounts_card_days;
alter table finance_accounts add constraint finance_accounts_card_days check (
  (kind = 'credit_card') = (closing_day is not null and due_day is not null)
  and (closing_day is null or closing_day between 1 and 31)
  and (due_day is null or due_day between 1 and 31));

-- A transfer that pays a card's invoice names it (by its closing date): the invoices page sums the payments of each
-- invoice. Paying is a transfer, never an expense: the purchases already were the expenses.
alter table finance_transfers add column invoice_closing date;
create index finance_transfers_invoice_idx on finance_transfers (tenant_id, to_account_id, invoice_closing)
  where invoice_closing is not null;
