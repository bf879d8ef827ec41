-- Finance, part 2: recurring rules with dated versions. A rule ("Aluguel") has versions, each valid for a span of
-- dates with its amount, category, account, frequency and day. Editing "from X" closes the current version the day
-- before X and opens a new one; occurrences are pending ledger transactions (source 'recurring') that point to the
-- version that made them. Their source id is `<rule>:<scheduled date>`, so one scheduled date of a rule is booked
-- once whatever version asks (a paid occurrence blocks a later version from booking the same date again).

create table finance_recurring_rules (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  name text not null,
  kind text not null,
  -- The first scheduled date's anchor: months count from here (every N months, yearly), weeks from its weekday.
  starts_on date not null,
  -- No occurrence on or after this date.
  ended_on date,
  created_at timestamptz not null default now(),
  constraint finance_recurring_rules_name_key unique (tenant_id, name),
  constraint finance_recurring_rules_tenant_id_key unique (tenant_id, id),
  constraint finance_recurring_rules_kind_known check (kind in ('income', 'expense')),
  constraint finance_recurring_rules_name_present check (length(btrim(name)) between 1 and 80)
);
alter table finance_recurring_rules enable row level security;
alter table finance_recurring_rules force row level security;
create policy finance_recurring_rules_tenant on finance_recurring_rules
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

create table finance_recurring_versions (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  rule_id uuid not null,
  valid_from date not null,
  -- Inclusive; null while it is the current version.
  valid_to date,
  amount_cents bigint not null,
  category_id uuid not null,
  account_id uuid not null,
  -- 'monthly', 'weekly', 'yearly' or 'months' (every `every_months` months).
  frequency text not null,
  every_months smallint not null default 1,
  -- Day of the month (31 is the month's last day in shorter months); for weekly, the ISO weekday (1 = Monday).
  day smallint not null,
  -- Move a date on a weekend or bank holiday to the next business day.
  business_days boolean not null default false,
  created_at timestamptz not null default now(),
  constraint finance_recurring_versions_tenant_id_key unique (tenant_id, id),
  constraint finance_recurring_versions_rule_fkey foreign key (tenant_id, rule_id)
    references finance_recurring_rules (tenant_id, id),
  constraint finance_recurring_versions_category_fkey foreign key (tenant_id, category_id)
    references finance_categories (tenant_id, id),
  constraint finance_recurring_versions_account_fkey foreign key (tenant_id, account_id)
    references finance_accounts (tenant_id, id),
  constraint finance_recurring_versions_amount_positive check (amount_cents > 0),
  constraint finance_recurring_versions_span check (valid_to is null or valid_to >= valid_from),
  constraint finance_recurring_versions_frequency_known check (frequency in ('monthly', 'weekly', 'yearly', 'months')),
  constraint finance_recurring_versions_every check (every_months between 1 and 24),
  constraint finance_recurring_versions_day check (
    (frequency = 'weekly' and day between 1 and 7) or (frequency <> 'weekly' and day between 1 and 31))
);
create index finance_recurring_versions_rule_idx on finance_recurring_versions (tenant_id, rule_id, valid_from);
alter table finance_recurring_versions enable row level security;
alter table finance_recurring_versions force row level security;
create policy finance_recurring_versions_tenant on finance_recurring_versions
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- The version that booked an occurrence.
alter table finance_transactions add column recurring_version_id uuid;
alter table finance_transactions add constraint finance_transactions_recurring_version_fkey
  foreign key (tenant_id, recurring_version_id) references finance_recurring_versions (tenant_id, id);
create index finance_transactions_recurring_idx on finance_transactions (tenant_id, recurring_version_id)
  where recurring_version_id is not null;

-- National bank holidays (no bank business): the same for every tenant, so not tenant-owned.
create table finance_bank_holidays (
  day date primary key,
  name text not null
);
insert into finance_bank_holidays (day, name) values
  ('2026-01-01', 'Confraternização Universal'), ('2026-02-16', 'Carnaval'), ('2026-02-17', 'Carnaval'),
  ('2026-04-03', 'Sexta-feira Santa'), ('2026-04-21', 'Tiradentes'), ('2026-05-01', 'Dia do Trabalho'),
  ('2026-06-04', 'Corpus Christi'), ('2026-09-07', 'Independência'), ('2026-10-12', 'Nossa Senhora Aparecida'),
  ('2026-11-02', 'Finados'), ('2026-11-15', 'Proclamação da República'), ('2026-11-20', 'Consciência Negra'),
  ('2026-12-25', 'Natal'),
  ('2027-01-01', 'Confraternização Universal'), ('2027-02-08', 'Carnaval'), ('2027-02-09', 'Carnaval'),
  ('2027-03-26', 'Sexta-feira Santa'), ('2027-04-21', 'Tiradentes'), ('2027-05-01', 'Dia do Trabalho'),
  ('2027-05-27', 'Corpus Christi'), ('2027-09-07', 'Independência'), ('2027-10-12', 'Nossa Senhora Aparecida'),
  ('2027-11-02', 'Finados'), ('2027-11-15', 'Proclamação da República'), ('2027-11-20', 'Consciência Negra'),
  ('2027-12-25', 'Natal'),
  ('2028-01-01', 'Confraternização Universal'), ('2028-02-28', 'Carnaval'), ('2028-02-29', 'Carnaval'),
  ('2028-04-14', 'Sexta-feira Santa'), ('2028-04-21', 'Tiradentes'), ('2028-05-01', 'Dia do Trabalho'),
  ('2028-06-15', 'Corpus Christi'), ('2028-09-07', 'Independência'), ('2028-10-12', 'Nossa Senhora Aparecida'),
  ('2028-11-02', 'Finados'), ('2028-11-15', 'Proclamação da República'), ('2028-11-20', 'Consciência Negra'),
  ('2028-12-25', 'Natal');

-- The daily job books occurrences tenant by tenant: it needs the tenants with a rule still running, across RLS.
create function tenants_with_recurring_rules() returns setof uuid
language sql stable security definer set search_path = public, pg_temp
as $$
  select distinct tenant_id from finance_recurring_rules where ended_on is null or ended_on > current_date
   order by tenant_id
$$;
