-- The CRM's leads table (`/:tenant/crm/leads`) opens on every lead of the tenant, newest first, 100 a page: with
-- this index that is a walk down the tenant's newest leads that stops after the page, instead of sorting them all.
create index crm_leads_table_created on crm_leads (tenant_id, created_at desc, id desc);
-- Sorted by name as people read them (ICU's root collation, which PostgreSQL builds with on every mainstream
-- platform): comparing with ICU is slow enough that sorting a large tenant's names on every view would dominate.
create index crm_leads_table_name on crm_leads (tenant_id, name collate "und-x-icu", id);
