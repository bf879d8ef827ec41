-- Enrollment, part 1: the catalog (document kinds, courses, enrollment periods, classes) and applications with
-- their one state machine.
--
-- The state machine lives in enrollment::applications::transition (app/src/enrollment/applications.rs); the
-- database backs it, so no other path (psql, a later module, a bug) can move an application where the machine
-- would not, or sell a seat that is not there:
--   * enrollment_transitions lists every allowed (from, to) pair; a trigger refuses any other status change, and
--     each row of the history (application_events) must name a listed pair;
--   * classes.seats_reserved is kept by a trigger equal to the class's applications in approved, awaiting_payment
--     or enrolled, and a CHECK keeps it within the capacity;
--   * enrolled needs a paid charge (paid_at; part 2 supplies the payment), so today it cannot be reached.

-- Documents an institution asks for (RG, CPF, comprovante de residência…): a list each tenant manages.
create table enrollment_document_kinds (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  name text not null,
  created_at timestamptz not null default now(),
  constraint enrollment_document_kinds_name_key unique (tenant_id, name),
  constraint enrollment_document_kinds_tenant_id_key unique (tenant_id, id),
  constraint enrollment_document_kinds_name_present check (length(btrim(name)) between 2 and 80)
);
alter table enrollment_document_kinds enable row level security;
alter table enrollment_document_kinds force row level security;
create policy enrollment_document_kinds_tenant on enrollment_document_kinds
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

create table courses (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  name text not null,
  modality text not null,
  duration_months integer not null,
  description text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint courses_name_key unique (tenant_id, name),
  constraint courses_tenant_id_key unique (tenant_id, id),
  constraint courses_name_present check (length(btrim(name)) between 2 and 120),
  constraint courses_modality_known check (modality in ('presencial', 'ead', 'semipresencial')),
  constraint courses_duration_positive check (duration_months between 1 and 120),
  constraint courses_description_length check (length(description) <= 4000)
);
alter table courses enable row level security;
alter table courses force row level security;
create policy courses_tenant on courses
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- The documents a course asks of its applicants.
create table course_required_documents (
  tenant_id uuid not null,
  course_id uuid not null,
  document_kind_id uuid not null,
  primary key (tenant_id, course_id, document_kind_id),
  constraint course_required_documents_course_fkey foreign key (tenant_id, course_id)
    references courses (tenant_id, id) on delete cascade,
  constraint course_required_documents_kind_fkey foreign key (tenant_id, document_kind_id)
    references enrollment_document_kinds (tenant_id, id)
);
alter table course_required_documents enable row level security;
alter table course_required_documents force row level security;
create policy course_required_documents_tenant on course_required_documents
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- An enrollment period: applications to a term's classes are submitted only between its dates.
create table enrollment_periods (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  term text not null,
  opens_on date not null,
  closes_on date not null,
  created_at timestamptz not null default now(),
  constraint enrollment_periods_term_key unique (tenant_id, term),
  constraint enrollment_periods_tenant_id_key unique (tenant_id, id),
  constraint enrollment_periods_term_format check (term ~ '^[0-9]{4}\.[12]$'),
  constraint enrollment_periods_dates_ordered check (closes_on >= opens_on)
);
alter table enrollment_periods enable row level security;
alter table enrollment_periods force row level security;
create policy enrollment_periods_tenant on enrollment_periods
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- A class (turma): one offering of a course in a term and shift, with its seats and prices.
create table classes (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  course_id uuid not null,
  term text not null,
  shift text not null,
  capacity integer not null,
  -- Kept by the applications_seats trigger: applications of this class in approved, awaiting_payment, enrolled.
  seats_reserved integer not null default 0,
  enrollment_fee_cents bigint not null,
  monthly_fee_cents bigint not null,
  currency text not null default 'BRL',
  max_installments integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint classes_tenant_id_key unique (tenant_id, id),
  constraint classes_course_fkey foreign key (tenant_id, course_id) references courses (tenant_id, id),
  constraint classes_period_fkey foreign key (tenant_id, term) references enrollment_periods (tenant_id, term),
  constraint classes_offering_key unique (tenant_id, course_id, term, shift),
  constraint classes_shift_known check (shift in ('matutino', 'vespertino', 'noturno', 'integral', 'ead')),
  constraint classes_capacity_positive check (capacity between 1 and 10000),
  constraint classes_seats_within_capacity check (seats_reserved between 0 and capacity),
  constraint classes_fees_not_negative check (enrollment_fee_cents >= 0 and monthly_fee_cents >= 0),
  constraint classes_currency_known check (currency = 'BRL'),
  constraint classes_installments_range check (max_installments between 1 and 24)
);
create index classes_course_idx on classes (tenant_id, course_id);
alter table classes enable row level security;
alter table classes force row level security;
create policy classes_tenant on classes
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- The state machine's edges. Not tenant-owned: the same for everyone, and read-only to the server.
create table enrollment_transitions (
  from_status text not null,
  to_status text not null,
  primary key (from_status, to_status)
);
insert into enrollment_transitions (from_status, to_status) values
  ('draft', 'submitted'), ('draft', 'withdrawn'), ('draft', 'cancelled'),
  ('submitted', 'under_review'), ('submitted', 'withdrawn'), ('submitted', 'cancelled'),
  ('under_review', 'changes_requested'), ('under_review', 'approved'), ('under_review', 'rejected'),
  ('under_review', 'withdrawn'), ('under_review', 'cancelled'),
  ('changes_requested', 'submitted'), ('changes_requested', 'withdrawn'), ('changes_requested', 'cancelled'),
  ('approved', 'awaiting_payment'), ('approved', 'withdrawn'), ('approved', 'cancelled'),
  ('awaiting_payment', 'enrolled'), ('awaiting_payment', 'withdrawn'), ('awaiting_payment', 'cancelled');
revoke insert, update, delete, truncate on enrollment_transitions from atrium_runtime;

create table applications (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  class_id uuid not null,
  student_id uuid not null,
  status text not null default 'draft',
  status_changed_at timestamptz not null default now(),
  -- When the enrollment charge was paid (part 2). Nobody is enrolled without it.
  paid_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint applications_tenant_id_key unique (tenant_id, id),
  constraint applications_class_fkey foreign key (tenant_id, class_id) references classes (tenant_id, id),
  constraint applications_student_fkey foreign key (tenant_id, student_id) references users (tenant_id, id),
  constraint applications_status_known check (status in ('draft', 'submitted', 'under_review', 'changes_requested',
    'approved', 'awaiting_payment', 'enrolled', 'rejected', 'cancelled', 'withdrawn')),
  constraint applications_enrolled_needs_payment check (status <> 'enrolled' or paid_at is not null)
);
-- One application in progress per student and class (ended ones do not count: a student may apply again).
create unique index applications_open_per_class_key on applications (tenant_id, student_id, class_id)
  where status not in ('enrolled', 'rejected', 'cancelled', 'withdrawn');
create index applications_class_status_idx on applications (tenant_id, class_id, status);
create index applications_status_idx on applications (tenant_id, status, status_changed_at desc);
alter table applications enable row level security;
alter table applications force row level security;
create policy applications_tenant on applications
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke delete, truncate on applications from atrium_runtime;

-- Applications are born drafts, change status only along enrollment_transitions, and never change class or
-- student.
create function applications_guard() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    if new.status <> 'draft' then
      raise exception 'an application starts as a draft, not %', new.status
        using errcode = 'check_violation', constraint = 'applications_transition_allowed';
    end if;
    return new;
  end if;
  if new.class_id <> old.class_id or new.student_id <> old.student_id then
    raise exception 'an application keeps its class and student'
      using errcode = 'check_violation', constraint = 'applications_class_fixed';
  end if;
  if new.status <> old.status then
    if not exists (select from enrollment_transitions where from_status = old.status and to_status = new.status) then
      raise exception 'an application cannot go from % to %', old.status, new.status
        using errcode = 'check_violation', constraint = 'applications_transition_allowed';
    end if;
    new.status_changed_at := now();
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger applications_guard before insert or update on applications
  for each row execute function applications_guard();

-- Keeps classes.seats_reserved; the CHECK on classes refuses a seat beyond the capacity. The service locks the
-- class row first and answers "turma lotada" itself; this is the net under it.
create function applications_seats() returns trigger
language plpgsql as $$
declare
  held_before boolean := old.status in ('approved', 'awaiting_payment', 'enrolled');
  held_after boolean := new.status in ('approved', 'awaiting_payment', 'enrolled');
begin
  if held_after and not held_before then
    update classes set seats_reserved = seats_reserved + 1 where tenant_id = new.tenant_id and id = new.class_id;
  elsif held_before and not held_after then
    update classes set seats_reserved = seats_reserved - 1 where tenant_id = new.tenant_id and id = new.class_id;
  end if;
  return null;
end $$;
create trigger applications_seats after update of status on applications
  for each row execute function applications_seats();

-- Every status change, with who made it and why. actor_id is null when the system acted (a payment, an expiry).
create table application_events (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null,
  application_id uuid not null,
  -- Null for the creation of the draft.
  from_status text,
  to_status text not null,
  actor_id uuid,
  actor_kind text not null,
  reason text not null default '',
  -- clock_timestamp, not now(): several moves in one transaction (a demo, a batch) must keep their order.
  at timestamptz not null default clock_timestamp(),
  constraint application_events_application_fkey foreign key (tenant_id, application_id)
    references applications (tenant_id, id),
  constraint application_events_actor_fkey foreign key (tenant_id, actor_id) references users (tenant_id, id),
  constraint application_events_transition_fkey foreign key (from_status, to_status)
    references enrollment_transitions (from_status, to_status),
  constraint application_events_creation check ((from_status is null) = (to_status = 'draft')),
  constraint application_events_actor_kind_known check (actor_kind in ('student', 'staff', 'system')),
  constraint application_events_actor_present check ((actor_kind = 'system') = (actor_id is null)),
  constraint application_events_reason_length check (length(reason) <= 2000)
);
create index application_events_application_idx on application_events (tenant_id, application_id, at);
alter table application_events enable row level security;
alter table application_events force row level security;
create policy application_events_read on application_events for select using (tenant_id = current_tenant_id());
create policy application_events_append on application_events for insert
  with check (tenant_id = current_tenant_id());
revoke update, delete, truncate on application_events from atrium_runtime;
