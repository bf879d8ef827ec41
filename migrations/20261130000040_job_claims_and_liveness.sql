-- Leases belong to claims, a dead worker is noticed at once, and the SECURITY DEFINER doors open to the runtime
-- role only.
--
-- * `locked_by` now holds the claim's token (one per call of jobs_claim), not the worker's id: a worker whose
--   attempt outlived its lease can never finish, fail or release a newer claim of the same job, even when that
--   newer claim is its own.
-- * `worker_id` names the live worker holding the claim. Each worker holds a session-level advisory lock on
--   jobs_worker_lock_key(its id) on a connection of its own for as long as it lives; PostgreSQL drops the lock
--   when that session ends (a killed process, a lost machine). A rescuer that can take the lock knows the holder is
--   gone and gives its jobs back at once instead of waiting for their leases to run out.
-- * A lease covers what the claim may run: jobs claimed to share a transaction get (members × timeout) twice over
--   (the group, then each job alone when the group fails) plus the margin.

alter table jobs add column worker_id uuid;

create function jobs_worker_lock_key(p_worker uuid) returns bigint
language sql immutable parallel safe
as $$
  select hashtextextended(p_worker::text, 20261130)
$$;

-- Claims at most p_groups groups (what the worker can start now) out of the first p_limit ready jobs of the given
-- kinds: jobs of one tenant and kind form groups of up to the kind's group size, every other job is its own group.
-- Groups are taken in the order of their first job. The worker's plan (server/src/jobs/worker.rs) forms the same
-- groups from what this returns. SKIP LOCKED lets any number of workers claim concurrently.
drop function jobs_claim(uuid, text[], integer[], integer[], integer);
create function jobs_claim(p_worker uuid, p_claim uuid, p_kinds text[], p_timeout_ms integer[],
                           p_group_size integer[], p_max_attempts integer[], p_margin_ms integer, p_limit integer,
                           p_groups integer)
returns setof jobs
language sql volatile security definer set search_path = public, pg_temp
as $$
  with kinds as (
    select kind, timeout_ms, greatest(group_size, 1) as group_size, max_attempts
      from unnest(p_kinds, p_timeout_ms, p_group_size, p_max_attempts) as k(kind, timeout_ms, group_size, max_attempts)
  ), ready as (
    select j.id, j.tenant_id, j.kind, j.run_at
      from jobs j
     where j.state = 'queued' and j.run_at <= now() and j.kind = any (p_kinds)
     order by j.run_at, j.id
     limit p_limit
       for update of j skip locked
  ), slotted as (
    select r.id, r.tenant_id, r.kind, r.run_at, k.timeout_ms, k.max_attempts,
           (row_number() over (partition by r.tenant_id, r.kind order by r.run_at, r.id) - 1) / k.group_size as slot
      from ready r join kinds k on k.kind = r.kind
  ), grouped as (
    select s.*, first_value(s.id) over slot_order as head, first_value(s.run_at) over slot_order as head_at,
           count(*) over (partition by s.tenant_id, s.kind, s.slot) as members
      from slotted s
    window slot_order as (partition by s.tenant_id, s.kind, s.slot order by s.run_at, s.id)
  ), ranked as (
    select g.*, dense_rank() over (order by g.head_at, g.head) as place from grouped g
  )
  update jobs j
     set state = 'running', attempts = j.attempts + 1, locked_by = p_claim, worker_id = p_worker,
         max_attempts = coalesce(j.max_attempts, r.max_attempts),
         locked_until = now() + ((case when r.members > 1 then 2 else 1 end) * r.members * r.timeout_ms::bigint
                                 + p_margin_ms) * interval '1 millisecond',
         started_at = now()
    from ranked r
   where j.id = r.id and r.place <= p_groups
  returning j.*
$$;

-- Gives back jobs a stopping worker did not finish, each only while it still holds that claim: they were not run to
-- the end, so the attempt is not counted.
drop function jobs_release(uuid, uuid[]);
create function jobs_release(p_ids uuid[], p_claims uuid[])
returns integer
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  released integer;
begin
  update jobs set state = 'queued', attempts = greatest(attempts - 1, 0), locked_by = null, worker_id = null,
                  locked_until = null, run_at = now()
   where state = 'running' and (id, locked_by) in (select * from unnest(p_ids, p_claims));
  get diagnostics released = row_count;
  if released > 0 then
    perform pg_notify('atrium_jobs', '');
  end if;
  return released;
end $$;

-- Running jobs whose worker is gone (its liveness lock is free) or whose lease ran out (a hung worker) go back to
-- the queue, or to the dead letters when that was their last attempt. Any worker calls this every few seconds.
drop function jobs_rescue_expired();
create function jobs_rescue_abandoned()
returns integer
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  rescued integer;
begin
  with holders as (
    select distinct worker_id from jobs where state = 'running' and worker_id is not null
  ), gone as (
    -- Taken for this transaction only: it fails while the holder's session lives.
    select worker_id from holders where pg_try_advisory_xact_lock(jobs_worker_lock_key(worker_id))
  ), abandoned as (
    update jobs
       set state = case when attempts >= max_attempts then 'dead' else 'queued' end,
           last_error = 'o trabalho parou sem terminar (processo encerrado ou prazo esgotado)',
           locked_by = null, worker_id = null, locked_until = null, run_at = now(),
           finished_at = case when attempts >= max_attempts then now() end
     where state = 'running' and (locked_until < now() or worker_id in (select worker_id from gone))
    returning id
  )
  select count(*)::integer into rescued from abandoned;
  if rescued > 0 then
    perform pg_notify('atrium_jobs', '');
  end if;
  return rescued;
end $$;

-- Functions are executable by PUBLIC unless said otherwise. The SECURITY DEFINER ones run as the owner, past the
-- tenant policies: only the runtime role may call them. Functions created from here on start closed to PUBLIC
-- (the runtime role keeps its default grant from the first migration).
do $$
declare
  definer regprocedure;
begin
  for definer in
    select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' and p.prosecdef
  loop
    execute format('revoke execute on function %s from public', definer);
    execute format('grant execute on function %s to atrium_runtime', definer);
  end loop;
end $$;
alter default privileges revoke execute on functions from public;
