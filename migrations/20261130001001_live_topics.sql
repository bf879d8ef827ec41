-- The live channel's per-topic sequence numbers (platform::live::publish). A publisher takes the next number in its
-- own transaction, so every server process agrees on it and a rolled-back publish leaves no number used; a client
-- that sees a gap refetches the topic. No event log: only the last number per topic.

create table live_topics (
  tenant_id uuid not null references tenants (id),
  topic text not null,
  seq bigint not null,
  primary key (tenant_id, topic)
);

alter table live_topics enable row level security;
alter table live_topics force row level security;
create policy live_topics_tenant on live_topics
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());


-- When each person last had a live socket open (written at most once a minute per socket), so server code on any
-- instance can ask "is this consultant online" (platform::live::publish::is_online).
create table live_last_seen (
  tenant_id uuid not null references tenants (id),
  user_id uuid not null,
  seen_at timestamptz not null,
  primary key (tenant_id, user_id),
  constraint live_last_seen_user_fkey foreign key (tenant_id, user_id) references users (tenant_id, id)
);

alter table live_last_seen enable row level security;
alter table live_last_seen force row level security;
create policy live_last_seen_tenant on live_last_seen
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
