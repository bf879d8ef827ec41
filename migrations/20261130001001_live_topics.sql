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

