-- CRM, part 1: pipelines (one per product), their ordered stages, leads on the board, each lead's timeline and
-- notes. Money is bigint cents (BRL); phones are E.164. Every table is tenant-owned under row-level security.
--
-- A lead's place in its column is `position`, a bigint with wide gaps: a move writes only the moved lead (the
-- service renumbers one column only when two neighbours have no room left between them). `version` goes up on
-- every change a person makes; a move names the version it was based on and is refused when it moved on.

create table crm_pipelines (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  product text not null,
  name text not null,
  archived boolean not null default false,
  created_at timestamptz not null default now(),
  constraint crm_pipelines_tenant_id_key unique (tenant_id, id),
  constraint crm_pipelines_product_key unique (tenant_id, product),
  constraint crm_pipelines_product_known check (product in ('real_estate', 'vehicle')),
  constraint crm_pipelines_name_present check (length(btrim(name)) between 1 and 80)
);
alter table crm_pipelines enable row level security;
alter table crm_pipelines force row level security;
create policy crm_pipelines_tenant on crm_pipelines
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

create table crm_stages (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  pipeline_id uuid not null,
  name text not null,
  -- Board order within the pipeline.
  position integer not null,
  -- A won or lost stage ends a lead (its phone may then open a new one).
  outcome text,
  -- A lead that sat this many days without activity in the stage is marked stale on its card.
  stale_after_days integer,
  archived boolean not null default false,
  created_at timestamptz not null default now(),
  constraint crm_stages_pipeline_fkey foreign key (tenant_id, pipeline_id) references crm_pipelines (tenant_id, id),
  constraint crm_stages_tenant_id_key unique (tenant_id, pipeline_id, id),
  constraint crm_stages_outcome_known check (outcome is null or outcome in ('won', 'lost')),
  constraint crm_stages_stale_positive check (stale_after_days is null or stale_after_days between 1 and 365),
  constraint crm_stages_name_present check (length(btrim(name)) between 1 and 60)
);
alter table crm_stages enable row level security;
alter table crm_stages force row level security;
create policy crm_stages_tenant on crm_stages
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

create table crm_leads (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  pipeline_id uuid not null,
  stage_id uuid not null,
  name text not null,
  phone text not null,
  email text,
  cpf text,
  -- The property's or the vehicle's value, the down payment and the monthly income, in cents.
  value_cents bigint,
  down_payment_cents bigint,
  monthly_income_cents bigint,
  source text not null,
  score smallint,
  score_source text,
  qualification text not null default 'pending',
  owner_id uuid,
  position bigint not null,
  version bigint not null default 1,
  -- Set when the lead enters a won or lost stage; an open lead (null) owns its phone in the tenant.
  closed_at timestamptz,
  last_activity_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint crm_leads_stage_fkey foreign key (tenant_id, pipeline_id, stage_id)
    references crm_stages (tenant_id, pipeline_id, id),
  constraint crm_leads_owner_fkey foreign key (tenant_id, owner_id) references users (tenant_id, id),
  constraint crm_leads_tenant_id_key unique (tenant_id, id),
  constraint crm_leads_phone_e164 check (phone ~ '^\+[1-9][0-9]{7,14}$'),
  constraint crm_leads_name_present check (length(btrim(name)) between 2 and 120),
  constraint crm_leads_money_positive check (
    coalesce(value_cents, 0) >= 0 and coalesce(down_payment_cents, 0) >= 0 and coalesce(monthly_income_cents, 0) >= 0),
  constraint crm_leads_source_known check (source in ('whatsapp', 'web_form', 'manual')),
  constraint crm_leads_score_range check (score is null or score between 0 and 100),
  constraint crm_leads_score_source_known check (
    (score is null) = (score_source is null) and (score_source is null or score_source in ('ai', 'rules'))),
  constraint crm_leads_qualification_known check (qualification in ('pending', 'qualified', 'unqualified'))
);
create unique index crm_leads_open_phone_key on crm_leads (tenant_id, phone) where closed_at is null;
create index crm_leads_column on crm_leads (tenant_id, stage_id, position);
alter table crm_leads enable row level security;
alter table crm_leads force row level security;
create policy crm_leads_tenant on crm_leads
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on crm_leads from atrium_runtime;

-- The lead's timeline, append-only: created, moved, assigned, edited, note, attached (a form or message that
-- found the lead already open).
create table crm_lead_events (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  lead_id uuid not null,
  kind text not null,
  actor_id uuid,
  detail jsonb not null default '{}',
  created_at timestamptz not null default now(),
  constraint crm_lead_events_lead_fkey foreign key (tenant_id, lead_id) references crm_leads (tenant_id, id),
  constraint crm_lead_events_kind_known check (kind in ('created', 'moved', 'assigned', 'edited', 'note', 'attached'))
);
create index crm_lead_events_lead on crm_lead_events (tenant_id, lead_id, created_at);
alter table crm_lead_events enable row level security;
alter table crm_lead_events force row level security;
create policy crm_lead_events_tenant on crm_lead_events
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke update, delete, truncate on crm_lead_events from atrium_runtime;

create table crm_notes (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  lead_id uuid not null,
  author_id uuid,
  body text not null,
  created_at timestamptz not null default now(),
  constraint crm_notes_lead_fkey foreign key (tenant_id, lead_id) references crm_leads (tenant_id, id),
  constraint crm_notes_body_present check (length(btrim(body)) between 1 and 4000)
);
create index crm_notes_lead on crm_notes (tenant_id, lead_id, created_at);
alter table crm_notes enable row level security;
alter table crm_notes force row level security;
create policy crm_notes_tenant on crm_notes
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on crm_notes from atrium_runtime;
