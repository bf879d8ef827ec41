-- The staff's applications list without a status filter orders every application of the tenant by when it last
-- moved; with one, applications_status_idx (tenant_id, status, status_changed_at desc) already serves it.
create index applications_recent_idx on applications (tenant_id, status_changed_at desc, id desc);
