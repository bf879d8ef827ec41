-- A number per tenant that moves whenever a row that a cached page shows changes: the server keeps the finished,
-- compressed HTML of such a page (server http::page_cache) under the number it read before rendering, and serves
-- it again only while the number has not moved. Today the cached page is the CRM's leads table; its rows come from
-- the leads, stages, pipelines and people (users), and each of those tables moves the number below.
--
-- Triggers and not the application, so a change made anywhere (a service, a job, a migration, psql) cannot forget
-- it. They are constraint triggers deferred to commit: the tenant's row is locked only in the last instant of the
-- writing transaction, after every other lock it takes, so two writers can wait for each other's commit but never
-- deadlock on it; and a transaction that rolls back moves nothing. One transaction moves the number once, however
-- many rows it changed (`changed_by`).
--
-- A reader that sees version N and then renders sees every change up to N (and perhaps later ones): what it keeps
-- under N is never older than N.

-- No foreign key to tenants: the trigger runs at commit, and a transaction that removed a tenant with its rows
-- must not fail on the counter of the tenant it removed.
create table page_data_versions (
  tenant_id uuid primary key,
  version bigint not null,
  changed_by xid8 not null
);

alter table page_data_versions enable row level security;
alter table page_data_versions force row level security;
create policy page_data_versions_tenant on page_data_versions
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
-- The two functions below run as the owner (security definer): the trigger must move the number whatever the
-- writer's tenant setting (a migration or a cross-tenant job writes without one), and the cache reads it before
-- any tenant transaction exists. The table holds counters only, no tenant data.
do $$ begin
  execute format('create policy page_data_versions_owner on page_data_versions to %I using (true) with check (true)',
                 current_user);
end $$;

create function bump_page_data_version() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
declare
  tenant uuid := case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end;
begin
  insert into page_data_versions as v (tenant_id, version, changed_by)
  values (tenant, 1, pg_current_xact_id())
  on conflict (tenant_id) do update set version = v.version + 1, changed_by = excluded.changed_by
    where v.changed_by <> excluded.changed_by;
  return null;
end
$$;

-- The tenant's current number (0 before anything changed).
create function page_data_version(tenant uuid) returns bigint
language sql stable security definer set search_path = public, pg_temp
as $$
  select coalesce((select version from page_data_versions where tenant_id = tenant), 0)
$$;

create constraint trigger crm_leads_page_data after insert or update or delete on crm_leads
  deferrable initially deferred for each row execute function bump_page_data_version();
create constraint trigger crm_stages_page_data after insert or update or delete on crm_stages
  deferrable initially deferred for each row execute function bump_page_data_version();
create constraint trigger crm_pipelines_page_data after insert or update or delete on crm_pipelines
  deferrable initially deferred for each row execute function bump_page_data_version();
create constraint trigger users_page_data after insert or update or delete on users
  deferrable initially deferred for each row execute function bump_page_data_version();
