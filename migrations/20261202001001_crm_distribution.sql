-- CRM, part 2: round-robin distribution of new leads to consultants.
--
-- Each consultant has a settings row (created on first use): a manual `available` toggle (besides live presence),
-- a `capacity` (most open leads at once) and their place in the rotation (`last_turn`, the tenant's turn number
-- when they last got a lead by rotation or queue drain; null: never). The tenant's turn counter lives in
-- `crm_rotation`, whose one row per tenant is also the lock that serializes every pick of that tenant, across
-- server processes.
--
-- A lead nobody could take waits with `owner_id` null and `queued_at` set; a lead that came back after its phone's
-- lead was won or lost points at that one (`previous_lead_id`). Every write to a consultant's settings row that
-- may change who is eligible happens under the rotation lock.

create table crm_consultant_settings (
  tenant_id uuid not null default current_tenant_id() references tenants (id),
  user_id uuid not null,
  available boolean not null default false,
  capacity integer not null default 20,
  last_turn bigint,
  -- The board's badge counts the open leads assigned to them after this instant (never looked: all of them).
  assignments_seen_at timestamptz not null default '-infinity',
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id),
  constraint crm_consultant_settings_user_fkey foreign key (tenant_id, user_id) references users (tenant_id, id),
  constraint crm_consultant_settings_capacity_range check (capacity between 0 and 500)
);
alter table crm_consultant_settings enable row level security;
alter table crm_consultant_settings force row level security;
create policy crm_consultant_settings_tenant on crm_consultant_settings
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on crm_consultant_settings from atrium_runtime;

create table crm_rotation (
  tenant_id uuid primary key default current_tenant_id() references tenants (id),
  turn bigint not null default 0
);
alter table crm_rotation enable row level security;
alter table crm_rotation force row level security;
create policy crm_rotation_tenant on crm_rotation
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on crm_rotation from atrium_runtime;

alter table crm_leads
  add column queued_at timestamptz,
  -- When its current owner got it (by rotation, queue or hand); demo and older leads have none.
  add column assigned_at timestamptz,
  add column previous_lead_id uuid,
  add constraint crm_leads_previous_fkey foreign key (tenant_id, previous_lead_id) references crm_leads (tenant_id, id);
-- The queue, oldest first; and each consultant's open leads (their load against capacity).
create index crm_leads_queue on crm_leads (tenant_id, queued_at) where queued_at is not null;
create index crm_leads_open_owner on crm_leads (tenant_id, owner_id) where closed_at is null;

-- `queued`: no consultant could take the lead when it arrived. An `assigned` event's detail carries its `reason`
-- (rotation, returning_lead, manual, queue_drain).
alter table crm_lead_events drop constraint crm_lead_events_kind_known;
alter table crm_lead_events add constraint crm_lead_events_kind_known
  check (kind in ('created', 'moved', 'assigned', 'edited', 'note', 'attached', 'queued'));

-- The periodic safety net (the job worker, across tenants) asks which tenants have leads waiting. The function
-- runs as the role that runs the migrations, and row-level security is forced on that role too: this read-only
-- policy (for that role alone) is the function's door past the tenant policy, as `jobs_owner` is for the jobs.
do $$ begin
  execute format('create policy crm_leads_owner_reads on crm_leads for select to %I using (true)', current_user);
end $$;
create function crm_tenants_with_queued_leads() returns setof uuid
language sql stable security definer set search_path = public, pg_temp
as $$
  select distinct tenant_id from crm_leads where queued_at is not null order by tenant_id
$$;
