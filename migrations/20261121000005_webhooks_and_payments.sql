-- Provider integrations, webhook intake, payments and their history, inbound WhatsApp messages and stored files.
--
-- Same conventions as 0003/0004: every tenant-owned table has ENABLE + FORCE ROW LEVEL SECURITY and a policy on
-- current_tenant_id(). Webhooks name their tenant by a secret path token; finding the tenant from that token is
-- the one cross-tenant read, done through the SECURITY DEFINER function tenant_by_webhook_token() below (as with
-- the jobs doors, an `*_owner` policy lets only the migrating role, which owns these functions, past RLS).

-- One row per tenant and provider. Secrets the provider sends us are kept only as SHA-256 (a copy of the table
-- cannot be used to forge webhooks); the Asaas API key must be usable, so it is kept as given.
-- FUTURE WORK: encrypt api_key at rest (envelope encryption with a key outside the database).
create table tenant_integrations (
  tenant_id uuid not null references tenants (id),
  provider text not null,
  -- SHA-256 of the random token in the webhook URL path (/webhooks/<provider>/<token>/…).
  webhook_token_hash bytea not null,
  -- Asaas: the account's API key (`access_token` header on calls to Asaas).
  api_key text,
  -- Asaas: SHA-256 of the auth token Asaas sends back in `asaas-access-token` on each webhook.
  webhook_secret_hash bytea,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, provider),
  constraint tenant_integrations_provider_known check (provider in ('asaas', 'zapi')),
  constraint tenant_integrations_token_key unique (provider, webhook_token_hash),
  constraint tenant_integrations_hash_sizes check (
    length(webhook_token_hash) = 32 and (webhook_secret_hash is null or length(webhook_secret_hash) = 32)),
  constraint tenant_integrations_asaas_complete check (
    provider <> 'asaas' or (api_key is not null and webhook_secret_hash is not null))
);
alter table tenant_integrations enable row level security;
alter table tenant_integrations force row level security;
create policy tenant_integrations_tenant on tenant_integrations
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
do $$ begin
  execute format('create policy tenant_integrations_owner on tenant_integrations for select to %I using (true)',
                 current_user);
end $$;
revoke truncate on tenant_integrations from atrium_runtime;

-- Z-API: the WhatsApp numbers (instances) of a tenant. `agent` talks to students and leads, `consultant` is the
-- human consultants' number. The instance token goes in Z-API URLs: a secret, never logged.
create table zapi_sessions (
  tenant_id uuid not null references tenants (id),
  session text not null,
  instance_id text not null,
  instance_token text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, session),
  constraint zapi_sessions_session_known check (session in ('agent', 'consultant'))
);
alter table zapi_sessions enable row level security;
alter table zapi_sessions force row level security;
create policy zapi_sessions_tenant on zapi_sessions
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke truncate on zapi_sessions from atrium_runtime;

-- The tenant whose webhook path token hashes to p_hash, or null. The only way the runtime role can look across
-- tenants here; it reveals nothing but the id of the tenant whose secret the caller already holds.
create function tenant_by_webhook_token(p_provider text, p_hash bytea) returns uuid
language sql stable security definer set search_path = public, pg_temp
as $$
  select tenant_id from tenant_integrations where provider = p_provider and webhook_token_hash = p_hash
$$;

-- Tenants with a given provider set up: the periodic reconciliation enqueues one job per tenant from this.
create function tenants_with_integration(p_provider text) returns setof uuid
language sql stable security definer set search_path = public, pg_temp
as $$
  select tenant_id from tenant_integrations where provider = p_provider order by tenant_id
$$;

-- Every webhook delivery we accepted, once per provider event id: the unique key is what makes a redelivery a
-- no-op. Processing happens in a job, which sets processed_at and says what the event did in outcome.
create table webhook_events (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  provider text not null,
  -- Asaas: the event `id`; Z-API: the `messageId` (status callbacks: status + message ids).
  provider_event_id text not null,
  event_type text not null,
  -- What the event is about: the Asaas charge id, the Z-API message id. Events of one charge are applied in order.
  subject_id text,
  -- The provider's time of the event, when the payload says (Asaas `dateCreated`, Z-API `momment`).
  occurred_at timestamptz,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  outcome text,
  constraint webhook_events_provider_known check (provider in ('asaas', 'zapi')),
  constraint webhook_events_provider_event_key unique (tenant_id, provider, provider_event_id),
  constraint webhook_events_tenant_id_key unique (tenant_id, id),
  constraint webhook_events_id_size check (length(provider_event_id) between 1 and 200)
);
create index webhook_events_pending_idx on webhook_events (tenant_id, provider, subject_id)
  where processed_at is null;
alter table webhook_events enable row level security;
alter table webhook_events force row level security;
create policy webhook_events_tenant on webhook_events
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on webhook_events from atrium_runtime;

-- A charge at the payment provider, as we last know it. `status` is an Asaas status name; `status_at` is the
-- provider's time of the event that set it (the state machine in app/src/platform/payments never lets an older
-- event override it).
create table payments (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  provider_charge_id text not null,
  -- What the charge pays for, in our terms (e.g. an enrollment id), as we set it when creating the charge.
  external_reference text,
  billing_type text not null default 'UNDEFINED',
  value_cents bigint not null,
  currency currency_code not null default 'BRL',
  due_date date,
  status text not null,
  status_at timestamptz not null,
  paid_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint payments_charge_key unique (tenant_id, provider_charge_id),
  constraint payments_tenant_id_key unique (tenant_id, id),
  constraint payments_value_sane check (value_cents >= 0),
  constraint payments_status_known check (status in (
    'PENDING', 'AWAITING_RISK_ANALYSIS', 'OVERDUE', 'CONFIRMED', 'RECEIVED', 'RECEIVED_IN_CASH',
    'REFUND_REQUESTED', 'REFUND_IN_PROGRESS', 'REFUNDED', 'CHARGEBACK_REQUESTED', 'CHARGEBACK_DISPUTE',
    'AWAITING_CHARGEBACK_REVERSAL', 'DUNNING_REQUESTED', 'DUNNING_RECEIVED'))
);
create index payments_status_idx on payments (tenant_id, status);
create index payments_reference_idx on payments (tenant_id, external_reference);
alter table payments enable row level security;
alter table payments force row level security;
create policy payments_tenant on payments
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on payments from atrium_runtime;

-- Append-only: one row per provider event that reached a payment, applied (from → to) or ignored with the
-- reason. The unique key makes applying an event idempotent and proves "exactly one effect" per event.
create table payment_events (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  payment_id uuid not null,
  -- Asaas event id, or `reconcile:<charge>:<status>` for what the reconciliation job saw.
  provider_event_id text not null,
  source text not null,
  -- Null when the event created the payment row.
  from_status text,
  to_status text not null,
  applied boolean not null,
  -- Why an event was ignored (stale, same status, not a move the lifecycle allows, unknown status).
  reason text,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  constraint payment_events_payment_fkey foreign key (tenant_id, payment_id) references payments (tenant_id, id),
  constraint payment_events_event_key unique (tenant_id, provider_event_id),
  constraint payment_events_source_known check (source in ('webhook', 'reconcile')),
  constraint payment_events_reason_when_ignored check (applied = (reason is null))
);
create index payment_events_payment_idx on payment_events (tenant_id, payment_id, recorded_at);
alter table payment_events enable row level security;
alter table payment_events force row level security;
create policy payment_events_read on payment_events for select using (tenant_id = current_tenant_id());
create policy payment_events_append on payment_events for insert with check (tenant_id = current_tenant_id());
revoke update, delete, truncate on payment_events from atrium_runtime;

create function payment_events_is_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'payment_events is append-only';
end $$;
create trigger payment_events_append_only before update or delete on payment_events
  for each statement execute function payment_events_is_append_only();

-- Files we keep (media copied from Z-API, which deletes its copies after 30 days). The bytes live on disk under
-- the file store's directory, named by tenant and SHA-256 (storage_key); the same bytes twice are one row.
create table stored_files (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  sha256 bytea not null,
  mime text not null,
  size_bytes bigint not null,
  storage_key text not null,
  created_at timestamptz not null default now(),
  constraint stored_files_content_key unique (tenant_id, sha256),
  constraint stored_files_tenant_id_key unique (tenant_id, id),
  constraint stored_files_sha_size check (length(sha256) = 32),
  constraint stored_files_size_sane check (size_bytes >= 0)
);
alter table stored_files enable row level security;
alter table stored_files force row level security;
create policy stored_files_tenant on stored_files
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke truncate on stored_files from atrium_runtime;

-- WhatsApp messages that reached one of the tenant's numbers (Z-API `ReceivedCallback`), once per messageId.
-- What they mean (enrollment agent, CRM) is decided elsewhere; this is the record.
create table inbound_messages (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  session text not null,
  message_id text not null,
  webhook_event_id uuid not null,
  phone text not null,
  from_me boolean not null default false,
  sender_name text,
  text text,
  -- image, document, audio, video or sticker; null for text only.
  media_kind text,
  media_mime text,
  -- Z-API's URL: valid for 30 days, so the job copies the bytes into stored_files.
  media_url text,
  media_file_id uuid,
  -- Z-API's `momment` (sic): when the message was sent.
  momment timestamptz,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  constraint inbound_messages_message_key unique (tenant_id, message_id),
  constraint inbound_messages_session_known check (session in ('agent', 'consultant')),
  constraint inbound_messages_media_kind_known check (
    media_kind is null or media_kind in ('image', 'document', 'audio', 'video', 'sticker')),
  constraint inbound_messages_event_fkey foreign key (tenant_id, webhook_event_id)
    references webhook_events (tenant_id, id),
  constraint inbound_messages_file_fkey foreign key (tenant_id, media_file_id) references stored_files (tenant_id, id)
);
create index inbound_messages_phone_idx on inbound_messages (tenant_id, phone, momment);
alter table inbound_messages enable row level security;
alter table inbound_messages force row level security;
create policy inbound_messages_tenant on inbound_messages
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on inbound_messages from atrium_runtime;
