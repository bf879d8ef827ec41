-- Enrollment, part 1 (student portal): a student's e-mail is verified by a link, made and mailed by the same
-- mechanism as password links (password_tokens: only the token's SHA-256 stored, single use, expiring, under RLS).
-- A new purpose, so a verification link can never set a password and a password link never verifies an e-mail.
alter table password_tokens
  drop constraint password_tokens_purpose_known,
  add constraint password_tokens_purpose_known check (purpose in ('reset', 'invite', 'verify_email'));
