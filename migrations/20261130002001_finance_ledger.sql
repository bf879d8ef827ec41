-- Finance, part 1: the ledger. Accounts, a category tree, transactions, transfers, closed months, and the monthly
-- rollups that part 2's DRE reads. Money is bigint cents (BRL). Every table is tenant-owned under row-level security.
--
-- Rollups and account balances are maintained by statement-level triggers in the same transaction as the change
-- that moves them, whoever makes it (the ledger service, a migration, psql): they can never drift from the rows.

-- Finance is for the owner and for the people the owner grants it to (platform::auth, finance::access).
alter table users add column finance_access boolean not null default false;

create table finance_accounts (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  name text not null,
  kind text not null,
  opening_balance_cents bigint not null default 0,
  opening_date date not null,
  -- Credit cards: the day the invoice closes and the day it is due.
  closing_day smallint,
  due_day smallint,
  -- Paid movements since the opening (transactions and transfers), kept by the triggers below.
  movement_cents bigint not null default 0,
  created_at timestamptz not null default now(),
  constraint finance_accounts_name_key unique (tenant_id, name),
  constraint finance_accounts_tenant_id_key unique (tenant_id, id),
  constraint finance_accounts_kind_known check (kind in ('bank', 'cash', 'credit_card')),
  constraint finance_accounts_name_present check (length(btrim(name)) between 1 and 80),
  constraint finance_accounts_card_days check (
    (kind = 'credit_card') = (closing_day is not null and due_day is not null)
    and (closing_day is null or closing_day between 1 and 28)
    and (due_day is null or due_day between 1 and 28))
);
alter table finance_accounts enable row level security;
alter table finance_accounts force row level security;
create policy finance_accounts_tenant on finance_accounts
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- Income and expense categories, a tree. Leaves carry the DRE line they feed (part 2 draws the DRE).
create table finance_categories (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  parent_id uuid,
  name text not null,
  kind text not null,
  dre_line text,
  created_at timestamptz not null default now(),
  constraint finance_categories_name_key unique (tenant_id, kind, name),
  constraint finance_categories_tenant_id_key unique (tenant_id, id),
  constraint finance_categories_tenant_id_kind_key unique (tenant_id, id, kind),
  constraint finance_categories_parent_fkey foreign key (tenant_id, parent_id, kind)
    references finance_categories (tenant_id, id, kind),
  constraint finance_categories_kind_known check (kind in ('income', 'expense')),
  constraint finance_categories_name_present check (length(btrim(name)) between 1 and 80)
);
alter table finance_categories enable row level security;
alter table finance_categories force row level security;
create policy finance_categories_tenant on finance_categories
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

create table finance_transactions (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  account_id uuid not null,
  category_id uuid not null,
  kind text not null,
  amount_cents bigint not null,
  -- When it belongs (competence basis) and when cash moves: due while pending, paid_on once paid.
  competence_date date not null,
  due_date date not null,
  paid_on date,
  description text not null,
  counterpart text,
  external_id text,
  batch_id uuid,
  source text,
  source_id text,
  -- 'charge' or 'reversal': a refund of the same charge books although (source, source_id) is the same.
  source_kind text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint finance_transactions_account_fkey foreign key (tenant_id, account_id)
    references finance_accounts (tenant_id, id),
  -- The category's kind must be the transaction's: income never lands in an expense category.
  constraint finance_transactions_category_fkey foreign key (tenant_id, category_id, kind)
    references finance_categories (tenant_id, id, kind),
  constraint finance_transactions_kind_known check (kind in ('income', 'expense')),
  constraint finance_transactions_amount_positive check (amount_cents > 0),
  constraint finance_transactions_description_present check (length(btrim(description)) between 1 and 200),
  constraint finance_transactions_source_known check (source in ('enrollment', 'crm', 'import', 'recurring')),
  constraint finance_transactions_source_complete check (
    (source is null) = (source_id is null) and (source is null) = (source_kind is null)),
  constraint finance_transactions_source_kind_known check (source_kind in ('charge', 'reversal')),
  -- A retried job never books twice.
  constraint finance_transactions_source_key unique (tenant_id, source, source_id, source_kind),
  constraint finance_transactions_external_key unique (tenant_id, account_id, external_id)
);
create index finance_transactions_competence_idx on finance_transactions (tenant_id, competence_date, id);
create index finance_transactions_account_idx on finance_transactions (tenant_id, account_id, competence_date);
create index finance_transactions_batch_idx on finance_transactions (tenant_id, batch_id) where batch_id is not null;
alter table finance_transactions enable row level security;
alter table finance_transactions force row level security;
create policy finance_transactions_tenant on finance_transactions
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- Money moving between two accounts of the tenant: balances change, results never do.
create table finance_transfers (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  from_account_id uuid not null,
  to_account_id uuid not null,
  amount_cents bigint not null,
  transfer_date date not null,
  description text not null,
  created_at timestamptz not null default now(),
  constraint finance_transfers_from_fkey foreign key (tenant_id, from_account_id)
    references finance_accounts (tenant_id, id),
  constraint finance_transfers_to_fkey foreign key (tenant_id, to_account_id)
    references finance_accounts (tenant_id, id),
  constraint finance_transfers_accounts_differ check (from_account_id <> to_account_id),
  constraint finance_transfers_amount_positive check (amount_cents > 0)
);
create index finance_transfers_date_idx on finance_transfers (tenant_id, transfer_date);
alter table finance_transfers enable row level security;
alter table finance_transfers force row level security;
create policy finance_transfers_tenant on finance_transfers
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- Monthly totals per category: income positive, expenses negative. `competence` counts every transaction in its
-- competence month; `cash` counts paid ones in the month they were paid.
create table finance_rollups (
  tenant_id uuid not null references tenants (id),
  category_id uuid not null,
  month date not null,
  basis text not null,
  amount_cents bigint not null,
  entries bigint not null,
  constraint finance_rollups_pkey primary key (tenant_id, category_id, month, basis),
  constraint finance_rollups_category_fkey foreign key (tenant_id, category_id)
    references finance_categories (tenant_id, id),
  constraint finance_rollups_basis_known check (basis in ('competence', 'cash')),
  constraint finance_rollups_month_first_day check (extract(day from month) = 1)
);
alter table finance_rollups enable row level security;
alter table finance_rollups force row level security;
create policy finance_rollups_tenant on finance_rollups
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- Months the accountant has: no create, edit or delete lands in them until an owner reopens.
create table finance_closed_months (
  tenant_id uuid not null references tenants (id),
  month date not null,
  closed_by uuid,
  closed_at timestamptz not null default now(),
  constraint finance_closed_months_pkey primary key (tenant_id, month),
  constraint finance_closed_months_month_first_day check (extract(day from month) = 1)
);
alter table finance_closed_months enable row level security;
alter table finance_closed_months force row level security;
create policy finance_closed_months_tenant on finance_closed_months
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- The effect of a set of transaction rows on rollups and balances, signed by `sign` (+1 added, -1 removed).
-- Statement-level triggers hand their transition tables here as arrays, so a batch of 1,000 rows costs one
-- grouped upsert, taken in key order (two concurrent batches never deadlock on the same rows).
create type finance_movement as (
  tenant_id uuid, account_id uuid, category_id uuid, kind text, amount_cents bigint,
  competence_date date, paid_on date
);

create function finance_apply(moves finance_movement[], sign integer) returns void
language sql as $$
  insert into finance_rollups as r (tenant_id, category_id, month, basis, amount_cents, entries)
  select tenant_id, category_id, month, basis, sum(signed), sum(sign)
    from (select m.tenant_id, m.category_id, date_trunc('month', m.competence_date)::date as month,
                 'competence' as basis,
                 sign * case m.kind when 'income' then m.amount_cents else -m.amount_cents end as signed
            from unnest(moves) m
          union all
          select m.tenant_id, m.category_id, date_trunc('month', m.paid_on)::date, 'cash',
                 sign * case m.kind when 'income' then m.amount_cents else -m.amount_cents end
            from unnest(moves) m where m.paid_on is not null) d
   group by tenant_id, category_id, month, basis
   order by tenant_id, category_id, month, basis
  on conflict (tenant_id, category_id, month, basis) do update
    set amount_cents = r.amount_cents + excluded.amount_cents, entries = r.entries + excluded.entries;

  update finance_accounts a set movement_cents = a.movement_cents + d.delta
    from (select m.tenant_id, m.account_id,
                 sum(sign * case m.kind when 'income' then m.amount_cents else -m.amount_cents end) as delta
            from unnest(moves) m where m.paid_on is not null
           group by m.tenant_id, m.account_id order by m.tenant_id, m.account_id) d
   where a.tenant_id = d.tenant_id and a.id = d.account_id;
$$;

create function finance_transactions_inserted() returns trigger
language plpgsql as $$
begin
  perform finance_apply(array(select row(tenant_id, account_id, category_id, kind, amount_cents, competence_date,
                                         paid_on)::finance_movement from new_rows), 1);
  return null;
end $$;

create function finance_transactions_deleted() returns trigger
language plpgsql as $$
begin
  perform finance_apply(array(select row(tenant_id, account_id, category_id, kind, amount_cents, competence_date,
                                         paid_on)::finance_movement from old_rows), -1);
  return null;
end $$;

create function finance_transactions_updated() returns trigger
language plpgsql as $$
begin
  perform finance_apply(array(select row(tenant_id, account_id, category_id, kind, amount_cents, competence_date,
                                         paid_on)::finance_movement from old_rows), -1);
  perform finance_apply(array(select row(tenant_id, account_id, category_id, kind, amount_cents, competence_date,
                                         paid_on)::finance_movement from new_rows), 1);
  return null;
end $$;

create trigger finance_transactions_rollup_insert after insert on finance_transactions
  referencing new table as new_rows for each statement execute function finance_transactions_inserted();
create trigger finance_transactions_rollup_delete after delete on finance_transactions
  referencing old table as old_rows for each statement execute function finance_transactions_deleted();
create trigger finance_transactions_rollup_update after update on finance_transactions
  referencing old table as old_rows new table as new_rows
  for each statement execute function finance_transactions_updated();

-- Transfers move balances only.
create type finance_transfer_move as (tenant_id uuid, from_account_id uuid, to_account_id uuid, amount_cents bigint);

create function finance_transfer_apply(rows_ finance_transfer_move[], sign integer) returns void
language sql as $$
  update finance_accounts a set movement_cents = a.movement_cents + d.delta
    from (select tenant_id, account_id, sum(delta) as delta
            from (select t.tenant_id, t.from_account_id as account_id, -sign * t.amount_cents as delta
                    from unnest(rows_) t
                  union all
                  select t.tenant_id, t.to_account_id, sign * t.amount_cents from unnest(rows_) t) x
           group by tenant_id, account_id order by tenant_id, account_id) d
   where a.tenant_id = d.tenant_id and a.id = d.account_id;
$$;

create function finance_transfers_inserted() returns trigger
language plpgsql as $$
begin
  perform finance_transfer_apply(array(select row(tenant_id, from_account_id, to_account_id, amount_cents)::finance_transfer_move
                                       from new_rows), 1);
  return null;
end $$;

create function finance_transfers_deleted() returns trigger
language plpgsql as $$
begin
  perform finance_transfer_apply(array(select row(tenant_id, from_account_id, to_account_id, amount_cents)::finance_transfer_move
                                       from old_rows), -1);
  return null;
end $$;

create function finance_transfers_updated() returns trigger
language plpgsql as $$
begin
  perform finance_transfer_apply(array(select row(tenant_id, from_account_id, to_account_id, amount_cents)::finance_transfer_move
                                       from old_rows), -1);
  perform finance_transfer_apply(array(select row(tenant_id, from_account_id, to_account_id, amount_cents)::finance_transfer_move
                                       from new_rows), 1);
  return null;
end $$;

create trigger finance_transfers_balance_insert after insert on finance_transfers
  referencing new table as new_rows for each statement execute function finance_transfers_inserted();
create trigger finance_transfers_balance_delete after delete on finance_transfers
  referencing old table as old_rows for each statement execute function finance_transfers_deleted();
create trigger finance_transfers_balance_update after update on finance_transfers
  referencing old table as old_rows new table as new_rows
  for each statement execute function finance_transfers_updated();
