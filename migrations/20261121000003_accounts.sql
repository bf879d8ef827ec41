-- Accounts: plans and modules on tenants, users, password tokens, the audit log and the session store.
--
-- Row-level security is the safety net under every query: each tenant-owned table has ENABLE + FORCE ROW LEVEL
-- SECURITY and a policy on the transaction-local setting app.tenant_id, which only TenantTx (app/src/platform/
-- tenancy) sets. With the setting absent, current_tenant_id() is null and the policies match no row.

create function current_tenant_id() returns uuid
language sql stable parallel safe
as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- Plans and module switches. Which modules a tenant has on decides its navigation and what its people may open.
alter table tenants
  add column plan text not null default 'starter',
  add column enrollment_enabled boolean not null default true,
  add column crm_enabled boolean not null default true,
  add column finance_enabled boolean not null default true,
  add constraint tenants_plan_known check (plan in ('starter', 'professional', 'enterprise'));

-- Anyone may look a tenant up by its slug (sign-in pages are public) and an organization may sign itself up, but a
-- tenant's own row can only be changed from inside that tenant.
alter table tenants enable row level security;
alter table tenants force row level security;
create policy tenants_read on tenants for select using (true);
create policy tenants_sign_up on tenants for insert with check (true);
create policy tenants_change_own on tenants for update
  using (id = current_tenant_id()) with check (id = current_tenant_id());
revoke delete, truncate on tenants from atrium_runtime;

create table users (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  name text not null,
  -- Stored lower-cased: e-mail addresses are treated as case-insensitive (see platform::fields::Email).
  email text not null,
  role text not null,
  -- argon2id PHC string; null while an invited person has not chosen a password yet.
  password_hash text,
  active boolean not null default true,
  -- Bumped when the password, role or active flag changes: sessions that carry an older number end.
  session_version integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_email_key unique (tenant_id, email),
  constraint users_tenant_id_key unique (tenant_id, id),
  constraint users_email_lowercase check (email = lower(email) and position('@' in email) > 1),
  constraint users_role_known check (role in ('owner', 'staff', 'consultant', 'student')),
  constraint users_name_present check (length(btrim(name)) between 2 and 120)
);
alter table users enable row level security;
alter table users force row level security;
create policy users_tenant on users
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on users from atrium_runtime;

-- Links that let a person choose a password: a reset they asked for, or an invitation from their tenant's owner.
-- Only a SHA-256 of the token is kept, so a copy of the table cannot be used to take over accounts.
create table password_tokens (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null,
  user_id uuid not null,
  purpose text not null,
  token_hash bytea not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  constraint password_tokens_user_fkey foreign key (tenant_id, user_id) references users (tenant_id, id),
  constraint password_tokens_hash_key unique (token_hash),
  constraint password_tokens_purpose_known check (purpose in ('reset', 'invite'))
);
create index password_tokens_user_idx on password_tokens (tenant_id, user_id);
alter table password_tokens enable row level security;
alter table password_tokens force row level security;
create policy password_tokens_tenant on password_tokens
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- Append-only: the runtime role may add and read entries, never change or remove them.
create table audit_log (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  -- Null when nobody was signed in (a failed sign-in, a reset request) or the system acted.
  actor_id uuid,
  action text not null,
  subject text not null,
  details jsonb not null default '{}'::jsonb,
  at timestamptz not null default now(),
  constraint audit_log_actor_fkey foreign key (tenant_id, actor_id) references users (tenant_id, id)
);
create index audit_log_tenant_at_idx on audit_log (tenant_id, at desc);
alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy audit_log_read on audit_log for select using (tenant_id = current_tenant_id());
create policy audit_log_append on audit_log for insert with check (tenant_id = current_tenant_id());
revoke update, delete, truncate on audit_log from atrium_runtime;

create function audit_log_is_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_append_only before update or delete on audit_log
  for each statement execute function audit_log_is_append_only();

-- tower-sessions' PostgreSQL store (the layout its own migrate() would create; the runtime role cannot create
-- tables). Not tenant-owned: a session row is found by its random id, and what it holds names the tenant.
create table sessions (
  id text primary key,
  data bytea not null,
  expiry_date timestamptz not null
);
create index sessions_expiry_idx on sessions (expiry_date);
