-- Tenants: each institution or business using Atrium. Not tenant-owned itself (it is the tenant), so it has no
-- row-level security; every tenant-owned table references it and carries its own policy.
create table tenants (
  id uuid primary key default uuid_v7(),
  slug text not null,
  name text not null,
  created_at timestamptz not null default now(),
  constraint tenants_slug_key unique (slug),
  constraint tenants_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) between 2 and 63),
  constraint tenants_name_present check (length(btrim(name)) between 1 and 200)
);
