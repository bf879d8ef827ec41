-- Enrollment, part 1: what a student tells us, and what they upload.
--
-- This migration is the schema both halves of the student portal build on: the portal (sign-up, wizard, contract)
-- writes student_profiles and the application's data; the document review reads them and owns
-- application_documents. It is written before either so they agree on names.

-- A student's own data, one row per student (users with role 'student'). The user row keeps name and e-mail.
create table student_profiles (
  tenant_id uuid not null,
  user_id uuid not null,
  -- 11 digits, check digits verified by platform::fields::Cpf before it gets here.
  cpf text not null,
  -- E.164 (platform::fields::Phone).
  phone text,
  birth_date date,
  -- Address as Brazilian forms ask for it; filled in the wizard's personal-data step.
  postal_code text,
  street text,
  street_number text,
  complement text,
  district text,
  city text,
  state text,
  -- Set when the student followed the link we e-mailed; nothing can be submitted before.
  email_verified_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id),
  constraint student_profiles_user_fkey foreign key (tenant_id, user_id) references users (tenant_id, id),
  constraint student_profiles_cpf_key unique (tenant_id, cpf),
  constraint student_profiles_cpf_digits check (cpf ~ '^[0-9]{11}$'),
  constraint student_profiles_phone_e164 check (phone is null or phone ~ '^\+[1-9][0-9]{7,14}$'),
  constraint student_profiles_postal_code_digits check (postal_code is null or postal_code ~ '^[0-9]{8}$'),
  constraint student_profiles_state_code check (state is null or state ~ '^[A-Z]{2}$')
);
alter table student_profiles enable row level security;
alter table student_profiles force row level security;
create policy student_profiles_tenant on student_profiles
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on student_profiles from atrium_runtime;

-- The tenant's enrollment contract, versioned: a new text is a new version, never an edit of an accepted one.
create table enrollment_contracts (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  version integer not null,
  title text not null,
  body text not null,
  published_at timestamptz not null default now(),
  constraint enrollment_contracts_version_key unique (tenant_id, version),
  constraint enrollment_contracts_tenant_id_key unique (tenant_id, id),
  constraint enrollment_contracts_version_positive check (version >= 1),
  constraint enrollment_contracts_title_present check (length(btrim(title)) between 2 and 200),
  constraint enrollment_contracts_body_present check (length(btrim(body)) between 10 and 100000)
);
alter table enrollment_contracts enable row level security;
alter table enrollment_contracts force row level security;
create policy enrollment_contracts_tenant on enrollment_contracts
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke update, delete, truncate on enrollment_contracts from atrium_runtime;

-- What the wizard collects on the application itself.
alter table applications
  -- The last wizard step the student completed ('class', 'personal', 'guardian', 'documents', 'contract'), so a
  -- return visit resumes there.
  add column wizard_step text not null default 'class',
  -- The financial guardian pays (part 2 charges them): the student, or another person with a CPF.
  add column guardian_is_student boolean not null default true,
  add column guardian_name text,
  add column guardian_cpf text,
  add column guardian_email text,
  add column guardian_phone text,
  -- Acceptance of the contract: which version, when, and from which address.
  add column contract_id uuid,
  add column contract_accepted_at timestamptz,
  add column contract_accepted_from inet,
  add column submitted_at timestamptz,
  add constraint applications_wizard_step_known check (
    wizard_step in ('class', 'personal', 'guardian', 'documents', 'contract')),
  add constraint applications_guardian_cpf_digits check (guardian_cpf is null or guardian_cpf ~ '^[0-9]{11}$'),
  add constraint applications_guardian_named check (
    guardian_is_student or (guardian_name is not null and guardian_cpf is not null)),
  add constraint applications_contract_fkey foreign key (tenant_id, contract_id)
    references enrollment_contracts (tenant_id, id),
  add constraint applications_contract_accepted check (
    (contract_id is null) = (contract_accepted_at is null));

-- The documents of an application: one row per uploaded file; a re-upload after a rejection is a new row and the
-- old one stays (history), so "the current document of a kind" is the newest row of that kind.
create table application_documents (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null,
  application_id uuid not null,
  document_kind_id uuid not null,
  file_id uuid not null,
  -- The name the student's device gave the file, shown to staff; never used as a path.
  original_name text not null,
  status text not null default 'pending',
  -- Set when staff reject: a code from the fixed list the UI offers, and free text for the student.
  reason_code text,
  reason_text text,
  reviewed_by uuid,
  reviewed_at timestamptz,
  uploaded_at timestamptz not null default now(),
  constraint application_documents_tenant_id_key unique (tenant_id, id),
  constraint application_documents_application_fkey foreign key (tenant_id, application_id)
    references applications (tenant_id, id),
  constraint application_documents_kind_fkey foreign key (tenant_id, document_kind_id)
    references enrollment_document_kinds (tenant_id, id),
  constraint application_documents_file_fkey foreign key (tenant_id, file_id) references stored_files (tenant_id, id),
  constraint application_documents_reviewer_fkey foreign key (tenant_id, reviewed_by) references users (tenant_id, id),
  constraint application_documents_status_known check (status in ('pending', 'approved', 'rejected')),
  constraint application_documents_rejection_reasoned check (status <> 'rejected' or reason_code is not null),
  constraint application_documents_reviewed check ((status = 'pending') = (reviewed_at is null)),
  constraint application_documents_name_length check (length(original_name) between 1 and 255)
);
create index application_documents_application_idx
  on application_documents (tenant_id, application_id, document_kind_id, uploaded_at desc);
alter table application_documents enable row level security;
alter table application_documents force row level security;
create policy application_documents_tenant on application_documents
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on application_documents from atrium_runtime;

-- The staff list filters and searches thousands of applications.
create index applications_student_idx on applications (tenant_id, student_id);
create index student_profiles_cpf_prefix_idx on student_profiles (tenant_id, cpf text_pattern_ops);
