-- The background job queue (app/src/platform/jobs enqueues, server/src/jobs runs).
--
-- A job belongs to a tenant like any other row: the runtime role sees and changes only the current tenant's jobs
-- (enqueue, complete, fail, the backoffice page all run inside TenantTx). The worker is the one cross-tenant
-- reader: it claims ready jobs of every tenant through the SECURITY DEFINER functions below, which run as the
-- owner and are the only door past the tenant policy (the `jobs_owner` policy applies to the owner role alone, and
-- the server refuses to run as the owner).

create table jobs (
  id uuid primary key default uuid_v7(),
  tenant_id uuid not null references tenants (id),
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  -- The same (tenant, kind, key) enqueued twice is one job: the second enqueue finds the first.
  idempotency_key text,
  -- queued: waiting for run_at (first try or a retry); running: claimed, leased until locked_until;
  -- done; dead: gave up after max_attempts or a permanent error; discarded: a person dropped a dead job.
  state text not null default 'queued',
  attempts integer not null default 0,
  -- Null until first claimed: then the kind's default, unless the enqueue chose a number.
  max_attempts integer,
  run_at timestamptz not null default now(),
  locked_by uuid,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  constraint jobs_state_known check (state in ('queued', 'running', 'done', 'dead', 'discarded')),
  constraint jobs_kind_format check (kind ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' and length(kind) <= 64),
  constraint jobs_attempts_sane check (attempts >= 0 and (max_attempts is null or max_attempts between 1 and 100)),
  constraint jobs_idempotency_key unique (tenant_id, kind, idempotency_key)
);
-- The claim scans ready jobs in run order; the partial indexes stay small because finished jobs leave them.
create index jobs_ready_idx on jobs (run_at, id) where state = 'queued';
create index jobs_running_idx on jobs (locked_until) where state = 'running';
create index jobs_tenant_state_idx on jobs (tenant_id, state, kind);
create index jobs_finished_idx on jobs (finished_at) where state in ('done', 'discarded');

alter table jobs enable row level security;
alter table jobs force row level security;
create policy jobs_tenant on jobs
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
-- Whoever runs the migrations owns the table and the functions below; only that role passes this policy.
do $$ begin
  execute format('create policy jobs_owner on jobs to %I using (true) with check (true)', current_user);
end $$;
revoke truncate on jobs from atrium_runtime;

-- Workers sleep on this channel; a statement-level trigger wakes them when jobs are added (delivered at commit,
-- so a worker never sees a job before the transaction that enqueued it is visible).
create function jobs_notify_enqueued() returns trigger
language plpgsql as $$
begin
  perform pg_notify('atrium_jobs', '');
  return null;
end $$;
create trigger jobs_enqueued after insert on jobs
  for each statement execute function jobs_notify_enqueued();

-- Claims up to p_limit ready jobs of the given kinds for worker p_worker, leasing each for its kind's lease and
-- filling in the kind's default number of attempts where the enqueue did not choose one.
-- SKIP LOCKED lets any number of workers claim concurrently without waiting on each other.
create function jobs_claim(p_worker uuid, p_kinds text[], p_lease_ms integer[], p_max_attempts integer[],
                           p_limit integer)
returns setof jobs
language sql volatile security definer set search_path = public, pg_temp
as $$
  with kinds as (
    select kind, lease_ms, max_attempts
      from unnest(p_kinds, p_lease_ms, p_max_attempts) as k(kind, lease_ms, max_attempts)
  ), picked as (
    select j.id, kinds.lease_ms, kinds.max_attempts
      from jobs j join kinds on kinds.kind = j.kind
     where j.state = 'queued' and j.run_at <= now()
     order by j.run_at, j.id
     limit p_limit
       for update of j skip locked
  )
  update jobs j
     set state = 'running', attempts = j.attempts + 1, locked_by = p_worker,
         max_attempts = coalesce(j.max_attempts, picked.max_attempts),
         locked_until = now() + picked.lease_ms * interval '1 millisecond', started_at = now()
    from picked
   where j.id = picked.id
  returning j.*
$$;

-- Gives back jobs a stopping worker did not finish: they were not run to the end, so the attempt is not counted.
create function jobs_release(p_worker uuid, p_ids uuid[])
returns integer
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  released integer;
begin
  update jobs set state = 'queued', attempts = greatest(attempts - 1, 0), locked_by = null, locked_until = null,
                  run_at = now()
   where locked_by = p_worker and state = 'running' and id = any (p_ids);
  get diagnostics released = row_count;
  if released > 0 then
    perform pg_notify('atrium_jobs', '');
  end if;
  return released;
end $$;

-- Jobs whose lease ran out belong to a worker that died or hung: they go back to the queue (or to the dead
-- letters when that was their last attempt). Any worker calls this now and then.
create function jobs_rescue_expired()
returns integer
language sql volatile security definer set search_path = public, pg_temp
as $$
  with expired as (
    update jobs
       set state = case when attempts >= max_attempts then 'dead' else 'queued' end,
           last_error = 'o trabalho parou sem terminar (processo encerrado ou prazo esgotado)',
           locked_by = null, locked_until = null, run_at = now(),
           finished_at = case when attempts >= max_attempts then now() end
     where state = 'running' and locked_until < now()
    returning id
  )
  select count(*)::integer from expired
$$;

-- Old finished jobs are removed after a while; idempotency keys are kept as long as the job row is.
create function jobs_prune_finished(p_older_than interval)
returns integer
language sql volatile security definer set search_path = public, pg_temp
as $$
  with pruned as (
    delete from jobs where state in ('done', 'discarded') and finished_at < now() - p_older_than returning id
  )
  select count(*)::integer from pruned
$$;

-- Counts across tenants for /metrics: kinds and states only, never payloads.
create function jobs_depth()
returns table (kind text, state text, jobs bigint)
language sql stable security definer set search_path = public, pg_temp
as $$
  select kind, state, count(*) from jobs where state in ('queued', 'running', 'dead') group by kind, state
$$;
