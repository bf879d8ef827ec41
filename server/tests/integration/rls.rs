//! Row-level security is the safety net: these tests prove it holds for every tenant-owned table.

use app::platform::tenancy::TenantTx;
use server::test_support::TestDatabase;
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

/// Tables with a `tenant_id` column that lack ENABLE + FORCE row-level security or a policy.
async fn tables_missing_rls(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "select c.relname::text
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p')
            and exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
                          and not a.attisdropped)
            and (not c.relrowsecurity or not c.relforcerowsecurity
                 or not exists (select from pg_policy p where p.polrelid = c.oid))
          order by 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn every_tenant_owned_table_has_forced_rls_and_a_policy_and_the_runtime_role_is_bound_by_it() {
    let database = TestDatabase::create().await;
    let app = database.app_pool().await;
    assert_eq!(tables_missing_rls(&app).await, Vec::<String>::new());
    let tenant_tables: i64 = sqlx::query_scalar(
        "select count(distinct attrelid) from pg_attribute a join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r' and a.attname = 'tenant_id'",
    )
    .fetch_one(&app)
    .await
    .unwrap();
    assert!(tenant_tables >= 3, "users, password_tokens, audit_log at least: {tenant_tables}");
    server::database::roles::check_runtime_role(&app).await.expect("runtime role: not owner, superuser, BYPASSRLS");

    // The check itself can fail: a new tenant table without policies is reported, and one with ENABLE but not
    // FORCE too.
    let owner = database.owner_pool().await;
    sqlx::raw_sql(
        "create table forgotten (id uuid primary key, tenant_id uuid not null);
         create table half_done (id uuid primary key, tenant_id uuid not null);
         alter table half_done enable row level security;
         create policy half_done_tenant on half_done using (tenant_id = current_tenant_id());",
    )
    .execute(&owner)
    .await
    .unwrap();
    assert_eq!(tables_missing_rls(&app).await, vec!["forgotten".to_string(), "half_done".to_string()]);
}

/// For every table with a `tenant_id` (found in the catalog, so new tables are covered without touching this
/// test): a row of tenant A, written past every constraint, must be visible to A and invisible to B when read as
/// the runtime role. Answers the tables where that fails, with what went wrong. A policy like `using (true)`
/// passes `tables_missing_rls` but not this.
async fn tenant_tables_leaking(database: &TestDatabase) -> Vec<String> {
    let mut admin = PgConnection::connect(&database.superuser_url).await.unwrap();
    // The rows only need to exist, not to make sense: drop the CHECK constraints (of tables and domains) and skip
    // foreign keys. This database is thrown away after the test.
    let checks: Vec<String> = sqlx::query_scalar(
        "select format('alter table %s drop constraint %I', conrelid::regclass, conname)
           from pg_constraint where contype = 'c' and conrelid <> 0
         union all
         select format('alter domain %s drop constraint %I', contypid::regtype, conname)
           from pg_constraint where contype = 'c' and contypid <> 0",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    for statement in checks {
        sqlx::raw_sql(&statement).execute(&mut admin).await.unwrap();
    }
    sqlx::raw_sql("set session_replication_role = replica").execute(&mut admin).await.unwrap();

    let tables: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r'
            and exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
                          and not a.attisdropped)
          order by 1",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    let (alfa, beta) = (Uuid::now_v7(), Uuid::now_v7());
    for table in &tables {
        let insert = insert_statement(&mut admin, table, alfa).await;
        sqlx::raw_sql(&insert).execute(&mut admin).await.unwrap_or_else(|error| panic!("{insert}: {error}"));
    }
    let _ = admin.close().await;

    let app = database.app_pool().await;
    let mut leaking = Vec::new();
    for table in &tables {
        let count = |tenant| {
            let app = app.clone();
            let query = format!("select count(*) from \"{table}\"");
            async move {
                let mut tx = TenantTx::begin(&app, tenant).await.unwrap();
                let seen: Result<i64, _> = sqlx::query_scalar(&query).fetch_one(tx.conn()).await;
                seen.map_err(|error| error.to_string())
            }
        };
        match (count(alfa).await, count(beta).await) {
            (Ok(1), Ok(0)) => {}
            (own, other) => leaking.push(format!("{table}: its tenant sees {own:?}, another tenant sees {other:?}")),
        }
    }
    leaking
}

/// `insert into <table> (tenant_id, <every required column>) values (...)`: a value of each column's type.
async fn insert_statement(admin: &mut PgConnection, table: &str, tenant: Uuid) -> String {
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "select a.attname::text, format_type(a.atttypid, a.atttypmod), base.typname::text, base.typcategory::text
           from pg_attribute a
           join pg_type t on t.oid = a.atttypid
           join pg_type base on base.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
          where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
            and (a.attname = 'tenant_id'
                 or (a.attnotnull and not a.atthasdef and a.attgenerated = '' and a.attidentity = ''))
          order by a.attnum",
    )
    .bind(format!("\"{table}\""))
    .fetch_all(&mut *admin)
    .await
    .unwrap();
    let (names, values): (Vec<String>, Vec<String>) = columns
        .into_iter()
        .map(|(name, full_type, base, category)| {
            let value = match (name.as_str(), base.as_str(), category.as_str()) {
                ("tenant_id", ..) => format!("'{tenant}'"),
                (_, "uuid", _) => "gen_random_uuid()".into(),
                (_, "json" | "jsonb", _) => "'{}'".into(),
                (_, "bytea", _) => "'\\x00'".into(),
                (_, "xid8", _) => "pg_current_xact_id()".into(),
                (_, _, "S") => "'x'".into(),
                (_, _, "N") => "'1'".into(),
                (_, _, "B") => "'false'".into(),
                (_, _, "D") => "now()".into(),
                (_, _, "T") => "'1 second'".into(),
                (_, _, "A") => "'{}'".into(),
                (_, _, "I") => "'127.0.0.1'".into(),
                (_, _, "E") => format!("(select min(enumlabel) from pg_enum where enumtypid = '{full_type}'::regtype)"),
                _ => panic!("{table}.{name}: no test value for type {full_type}; teach tenant_tables_leaking"),
            };
            (format!("\"{name}\""), format!("({value})::{full_type}"))
        })
        .unzip();
    format!("insert into \"{table}\" ({}) values ({})", names.join(", "), values.join(", "))
}

#[tokio::test]
async fn a_row_of_one_tenant_is_invisible_to_another_in_every_tenant_table() {
    let database = TestDatabase::create().await;
    // The check itself can fail: a table whose policy lets everything through is caught, although it has forced
    // row-level security and a policy.
    let owner = database.owner_pool().await;
    sqlx::raw_sql(
        "create table leaky (id uuid primary key, tenant_id uuid not null, note text not null);
         alter table leaky enable row level security;
         alter table leaky force row level security;
         create policy leaky_everything on leaky using (true);",
    )
    .execute(&owner)
    .await
    .unwrap();
    let app = database.app_pool().await;
    assert_eq!(tables_missing_rls(&app).await, Vec::<String>::new(), "the old check let it through");

    let leaking = tenant_tables_leaking(&database).await;
    assert_eq!(leaking.len(), 1, "only the deliberately leaky table: {leaking:#?}");
    assert!(leaking[0].starts_with("leaky:"), "{leaking:#?}");
}

async fn two_tenants_with_people(pool: &PgPool) -> (Uuid, Uuid) {
    let mut ids = Vec::new();
    for (slug, people) in
        [("alfa", ["ana@alfa.example", "bia@alfa.example"]), ("beta", ["caio@beta.example", "duda@beta.example"])]
    {
        let id = Uuid::now_v7();
        let mut tx = TenantTx::begin(pool, id).await.unwrap();
        sqlx::query("insert into tenants (id, slug, name) values ($1, $2, $2)")
            .bind(id)
            .bind(slug)
            .execute(tx.conn())
            .await
            .unwrap();
        for email in people {
            sqlx::query("insert into users (tenant_id, name, email, role) values ($1, 'Pessoa', $2, 'staff')")
                .bind(id)
                .bind(email)
                .execute(tx.conn())
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        ids.push(id);
    }
    (ids[0], ids[1])
}

#[tokio::test]
async fn a_query_without_a_tenant_filter_sees_only_the_current_tenant() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let (alfa, beta) = two_tenants_with_people(&pool).await;

    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let emails: Vec<String> =
        sqlx::query_scalar("select email from users order by email").fetch_all(tx.conn()).await.unwrap();
    assert_eq!(emails, vec!["ana@alfa.example".to_string(), "bia@alfa.example".to_string()]);
    let by_id: Option<String> = sqlx::query_scalar("select email from users where tenant_id = $1")
        .bind(beta)
        .fetch_optional(tx.conn())
        .await
        .unwrap();
    assert_eq!(by_id, None, "even asking for the other tenant by id finds nothing");

    // Writing a row for the other tenant is refused by the policy's check.
    let sneaky =
        sqlx::query("insert into users (tenant_id, name, email, role) values ($1, 'X', 'x@x.example', 'owner')")
            .bind(beta)
            .execute(tx.conn())
            .await;
    assert!(sneaky.unwrap_err().to_string().contains("row-level security"));
    drop(tx);

    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let updated =
        sqlx::query("update users set name = 'Tomado' where tenant_id = $1").bind(beta).execute(tx.conn()).await;
    assert_eq!(updated.unwrap().rows_affected(), 0, "updates cannot reach the other tenant either");
    tx.commit().await.unwrap();

    // Outside TenantTx nothing is visible at all (the setting is transaction-local).
    let outside: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&pool).await.unwrap();
    assert_eq!(outside, 0);
}

#[tokio::test]
async fn interleaved_requests_of_two_tenants_on_two_connections_never_see_each_other() {
    let database = TestDatabase::create().await;
    let setup = database.app_pool().await;
    let (alfa, beta) = two_tenants_with_people(&setup).await;
    let pool = server::database::runtime_pool(&database.app_url, 2).await.unwrap();

    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..200 {
        let pool = pool.clone();
        let tenant = if n % 2 == 0 { alfa } else { beta };
        tasks.spawn(async move {
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            tokio::task::yield_now().await;
            let seen: Vec<Uuid> = sqlx::query_scalar("select tenant_id from users").fetch_all(tx.conn()).await.unwrap();
            // Every other request ends by rolling back instead of committing: neither may leak the setting.
            if n % 4 < 2 {
                tx.commit().await.unwrap();
            } else {
                drop(tx);
            }
            let after: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&pool).await.unwrap();
            (tenant, seen, after)
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (tenant, seen, after) = result.unwrap();
        assert_eq!(seen.len(), 2, "each tenant has two people");
        assert!(seen.iter().all(|id| *id == tenant), "saw another tenant's rows");
        assert_eq!(after, 0, "a pooled connection carried a tenant setting out of its transaction");
    }
}
