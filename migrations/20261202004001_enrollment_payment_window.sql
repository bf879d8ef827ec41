-- Enrollment, part 2: after the payment (enrollment::payments::{reaction, window, books}).
--
-- payment_expired: the seat was held until the PIX expired or the boleto's due date plus 3 business days, and no
-- payment came. The application stays open (a late payment re-reserves a seat if one is free, then enrolls; with
-- none free the application is flagged 'paid_without_seat' for staff), but it no longer holds a seat: the seats
-- trigger counts approved, awaiting_payment and enrolled only, so the move itself gives the seat back.
alter table applications drop constraint applications_status_known;
alter table applications add constraint applications_status_known check (status in ('draft', 'submitted',
  'under_review', 'changes_requested', 'approved', 'awaiting_payment', 'payment_expired', 'enrolled', 'rejected',
  'cancelled', 'withdrawn'));

-- The window ends (system); a late payment takes the seat again (system); the student may still withdraw and staff
-- cancel. A refund or a confirmed chargeback cancels an enrollment (enrolled → cancelled, by the system or staff).
insert into enrollment_transitions (from_status, to_status) values
  ('awaiting_payment', 'payment_expired'),
  ('payment_expired', 'awaiting_payment'),
  ('payment_expired', 'withdrawn'),
  ('payment_expired', 'cancelled'),
  ('enrolled', 'cancelled');

-- What reaches the institution after Asaas' fee (`netValue`), when Asaas said: the fee booked as an expense is
-- value_cents − net_value_cents. Null when unknown (an event without it keeps what we knew).
alter table payments
  add column net_value_cents bigint,
  add constraint payments_net_value_sane check (net_value_cents is null or net_value_cents >= 0);

-- The window job looks for open enrollment intents of applications still awaiting payment.
create index enrollment_charges_open_due_idx on enrollment_charges (tenant_id, due_date) where closed_at is null;
