-- Language model calls and the monthly token budget per tenant (app/src/platform/ai).
--
-- Every call a tenant's work makes to the language model leaves a row here, written in the same transaction as
-- the work that asked for it: what was asked (template id and version), of which model, what it cost in tokens,
-- and how it ended. The monthly budget is the sum of prompt + completion tokens since the first day of the
-- calendar month in America/Sao_Paulo.

create table llm_calls (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  template_id text not null,
  -- The template's version beside its id, so a change in output quality can be traced to a prompt change.
  template_version text not null,
  model text not null,
  prompt_tokens integer not null default 0,
  completion_tokens integer not null default 0,
  outcome text not null,
  latency_ms integer not null default 0,
  created_at timestamptz not null default now(),
  constraint llm_calls_outcome_known
    check (outcome in ('ok', 'invalid_output', 'unavailable', 'refused_budget', 'error')),
  constraint llm_calls_tokens_not_negative check (prompt_tokens >= 0 and completion_tokens >= 0),
  constraint llm_calls_latency_not_negative check (latency_ms >= 0)
);
-- The budget check sums one tenant's current month before every call.
create index llm_calls_tenant_created_idx on llm_calls (tenant_id, created_at);
alter table llm_calls enable row level security;
alter table llm_calls force row level security;
-- A ledger: the runtime role may add and read calls, never change or remove them (that would refill a budget).
create policy llm_calls_read on llm_calls for select using (tenant_id = current_tenant_id());
create policy llm_calls_append on llm_calls for insert with check (tenant_id = current_tenant_id());
revoke update, delete, truncate on llm_calls from atrium_runtime;

-- A tenant's own monthly allowance, when it differs from its plan's default (starter 200 000, professional
-- 2 000 000, enterprise 20 000 000 tokens a month; the defaults live in app/src/platform/ai/budget.rs). No row:
-- the plan's default applies.
create table llm_budgets (
  tenant_id uuid primary key references tenants (id),
  monthly_tokens bigint not null,
  updated_at timestamptz not null default now(),
  constraint llm_budgets_monthly_tokens_not_negative check (monthly_tokens >= 0)
);
alter table llm_budgets enable row level security;
alter table llm_budgets force row level security;
create policy llm_budgets_tenant on llm_budgets
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke truncate on llm_budgets from atrium_runtime;
