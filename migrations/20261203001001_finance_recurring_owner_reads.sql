-- `tenants_with_recurring_rules()` (the daily `finance.recurring` job's list of tenants) runs as the role that runs
-- the migrations, and row-level security is forced on that role too: without a policy of its own it saw no rule of
-- any tenant, so the daily booking never ran and occurrences were booked only when a rule was created or edited.
-- This read-only policy, for that role alone, is the function's door past the tenant policy (as `jobs_owner` is
-- for the jobs and `crm_leads_owner_reads` for the CRM's queue).
do $$ begin
  execute format('create policy finance_recurring_rules_owner_reads on finance_recurring_rules for select to %I using (true)',
                 current_user);
end $$;
