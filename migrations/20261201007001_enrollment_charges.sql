-- Enrollment, part 2: the charge of an application's enrollment fee, made so that it is never made twice.
--
-- Asaas does not deduplicate charges, so creating one is three steps (enrollment::payments::service):
--   1. an intent row is committed FIRST; the partial unique key below lets an application have one open intent,
--      so a double click or a retry finds the intent the first request made;
--   2. Asaas is called with externalReference = 'enrollment:<intent id>' and no transaction open; who calls is
--      whoever holds the intent's short claim (claimed_until), so two requests never both create;
--   3. the charge Asaas answered is recorded on the intent. When that answer was lost (a timeout), the next attempt
--      (attempts > 1) first asks Asaas for charges carrying the reference and adopts what it finds.
-- The charge's life (paid, overdue, refunded…) is the platform's `payments` row of provider_charge_id, kept by
-- webhooks and reconciliation; this table is what the payment page shows (QR code, boleto line).
create table enrollment_charges (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  application_id uuid not null,
  billing_type text not null,
  installments integer not null default 1,
  -- The whole amount (the class's enrollment fee when the intent was made), split by Asaas into installments.
  value_cents bigint not null,
  due_date date not null,
  -- Calls to Asaas started for this intent; past the first, a charge may exist that we never heard of.
  attempts integer not null default 0,
  -- Whoever set this (in the future) is creating the charge at Asaas; others wait for it to be recorded.
  claimed_until timestamptz,
  -- Recorded once Asaas answered (or a lookup found it): the first (or only) installment.
  provider_charge_id text,
  invoice_url text,
  pix_payload text,
  -- PNG, base64.
  pix_image text,
  pix_expires_at timestamp,
  boleto_url text,
  boleto_line text,
  charged_at timestamptz,
  -- An intent ends when its window expired or its charge was refunded; the application may then get a new one.
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint enrollment_charges_tenant_id_key unique (tenant_id, id),
  constraint enrollment_charges_application_fkey foreign key (tenant_id, application_id)
    references applications (tenant_id, id),
  constraint enrollment_charges_charge_key unique (tenant_id, provider_charge_id),
  constraint enrollment_charges_billing_known check (billing_type in ('PIX', 'BOLETO')),
  constraint enrollment_charges_installments_range check (installments between 1 and 24),
  constraint enrollment_charges_value_positive check (value_cents > 0),
  constraint enrollment_charges_attempts_sane check (attempts >= 0),
  constraint enrollment_charges_charged_dated check ((provider_charge_id is null) = (charged_at is null))
);
-- The unique key of step 1: one open intent per application.
create unique index enrollment_charges_open_key on enrollment_charges (tenant_id, application_id)
  where closed_at is null;
alter table enrollment_charges enable row level security;
alter table enrollment_charges force row level security;
create policy enrollment_charges_tenant on enrollment_charges
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on enrollment_charges from atrium_runtime;
