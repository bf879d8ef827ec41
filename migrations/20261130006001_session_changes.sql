-- Each server process keeps the sessions it serves in memory (server/src/http/sessions/memory.rs). A session that
-- ends (sign-out, a new id at sign-in) or changes must be forgotten by every process at once: this trigger tells
-- them on the bus. The notice names the session by the SHA-256 of its id, never the id itself (a credential).
-- Rows already past their expiry need no notice: no process serves an expired session from memory.
create function sessions_changed() returns trigger
language plpgsql as $$
begin
  perform pg_notify('atrium_sessions', encode(sha256(convert_to(old.id, 'UTF8')), 'hex'));
  return null;
end $$;
create trigger sessions_changed after update or delete on sessions
  for each row when (old.expiry_date > now()) execute function sessions_changed();
