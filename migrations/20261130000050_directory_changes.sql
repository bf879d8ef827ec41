-- Every server process keeps who-is-who (tenants by slug and id; the facts about a person that decide whether their
-- session holds) in memory, so a signed-in request does not re-read them. Whatever changes those rows tells every
-- process at commit, through NOTIFY on one channel, and each process forgets its copy (platform::directory).
-- A trigger and not the application: a change made anywhere (a migration, psql, a later module) cannot forget it.
-- Inserts need no notice: nothing is cached about a row that did not exist.

create function notify_directory_change() returns trigger
language plpgsql
as $$
begin
  perform pg_notify('atrium_directory', tg_argv[0] || ':' || old.id::text);
  return null;
end
$$;

create trigger tenants_directory_change
  after update or delete on tenants
  for each row execute function notify_directory_change('tenant');

create trigger users_directory_change
  after update or delete on users
  for each row execute function notify_directory_change('person');
