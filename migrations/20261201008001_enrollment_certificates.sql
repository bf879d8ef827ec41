-- The comprovante de matrícula's verification codes (enrollment::certificate).
--
-- One current code per application (replaced_at null); staff reissuing marks the old one replaced, so a printed
-- copy answers "substituído" instead of "não encontrado". Codes are 10 characters of Crockford base32, kept in
-- plain text: the student reprints the comprovante whenever they like, so the code must be shown again, and it
-- reveals only what the holder chose to show. Unique per tenant: the public check looks a code up in its tenant.
create table enrollment_certificates (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  application_id uuid not null,
  code text not null,
  issued_at timestamptz not null default now(),
  -- Null when issued on the student's first opening; the staff member who reissued it otherwise.
  issued_by uuid,
  replaced_at timestamptz,
  constraint enrollment_certificates_application_fkey foreign key (tenant_id, application_id)
    references applications (tenant_id, id),
  constraint enrollment_certificates_issuer_fkey foreign key (tenant_id, issued_by) references users (tenant_id, id),
  constraint enrollment_certificates_code_key unique (tenant_id, code),
  constraint enrollment_certificates_code_format check (code ~ '^[0-9A-HJKMNP-TV-Z]{10}$')
);
create unique index enrollment_certificates_current_key on enrollment_certificates (tenant_id, application_id)
  where replaced_at is null;
alter table enrollment_certificates enable row level security;
alter table enrollment_certificates force row level security;
create policy enrollment_certificates_tenant on enrollment_certificates
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on enrollment_certificates from atrium_runtime;
