-- CRM settings per tenant. `site_origin` is the tenant's own website allowed to embed the public lead form
-- (`/:tenant/simular/embed`) in an iframe: that route alone answers `frame-ancestors <site_origin>`, and the
-- embed form's submit accepts that Origin. An https origin (scheme://host[:port], no path); plain http only for a
-- loopback host (local testing). None: the form may not be framed anywhere.
create table crm_settings (
  tenant_id uuid primary key references tenants (id),
  site_origin text,
  updated_at timestamptz not null default now(),
  constraint crm_settings_site_origin_shape check (
    site_origin is null
    or site_origin ~ '^https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$'
    or site_origin ~ '^http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?$')
);
alter table crm_settings enable row level security;
alter table crm_settings force row level security;
create policy crm_settings_tenant on crm_settings
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
