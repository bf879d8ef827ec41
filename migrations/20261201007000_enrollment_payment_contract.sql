-- What enrollment's payment work (part 2) and its dashboard share, fixed before both are written.
--
-- An application whose money and seat disagree needs a person: `payment_flag` says why, `payment_flag_at` since
-- when. 'paid_without_seat': a payment arrived after the seat was released and the class had no free seat left.
-- 'chargeback': the payer disputed a paid charge at the card issuer / bank (reversed if the chargeback is confirmed).
-- Null when nothing needs staff. Enrollment charges reach Asaas with `externalReference` = 'enrollment:<intent id>',
-- so the platform's `payments` rows of enrollment charges are the ones whose external_reference starts so.
alter table applications
  add column payment_flag text,
  add column payment_flag_at timestamptz,
  add constraint applications_payment_flag_known check (
    payment_flag is null or payment_flag in ('paid_without_seat', 'chargeback')),
  add constraint applications_payment_flag_dated check ((payment_flag is null) = (payment_flag_at is null));
create index applications_payment_flag_idx on applications (tenant_id, payment_flag_at) where payment_flag is not null;
