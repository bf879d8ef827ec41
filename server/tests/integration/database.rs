use server::{database::seed, test_support::TestDatabase};

#[tokio::test]
async fn the_runtime_role_is_not_owner_superuser_or_bypassrls() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let (superuser, bypass): (bool, bool) =
        sqlx::query_as("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!superuser && !bypass);
    server::database::roles::check_runtime_role(&pool).await.expect("the runtime role passes the start-up check");

    let owners: Vec<String> = sqlx::query_scalar(
        "select distinct pg_get_userbyid(relowner) from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'v', 'S')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(owners, vec!["atrium_owner".to_string()], "every table belongs to the owner role");

    let create = sqlx::query("create table sneaky (id int)").execute(&pool).await;
    assert!(create.is_err(), "the runtime role cannot change the schema");
    let alter = sqlx::query("alter table tenants add column sneaky int").execute(&pool).await;
    assert!(alter.is_err(), "the runtime role cannot alter tables");
}

#[tokio::test]
async fn the_start_up_check_refuses_the_owner_role() {
    let database = TestDatabase::create().await;
    let owner = database.owner_pool().await;
    let error = server::database::roles::check_runtime_role(&owner).await.expect_err("owner must be refused");
    assert!(error.contains("owner"), "{error}");
}

#[tokio::test]
async fn ids_default_to_uuid_v7_in_time_order() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let ids: Vec<uuid::Uuid> =
        sqlx::query_scalar("select uuid_v7() from generate_series(1, 50)").fetch_all(&pool).await.unwrap();
    for id in &ids {
        assert_eq!(id.get_version_num(), 7, "{id}");
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122, "{id}");
    }
    let first_ms = ids[0].get_timestamp().unwrap().to_unix();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!(first_ms.0.abs_diff(now) < 60, "the timestamp is the current time");

    let id: uuid::Uuid = sqlx::query_scalar("insert into tenants (slug, name) values ('acme', 'Acme') returning id")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(id.get_version_num(), 7);
}

#[tokio::test]
async fn tenant_slugs_are_checked_by_the_database() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let bad = sqlx::query("insert into tenants (slug, name) values ('Not A Slug', 'X')").execute(&pool).await;
    let constraint = bad.unwrap_err().as_database_error().and_then(|e| e.constraint().map(str::to_string));
    assert_eq!(constraint.as_deref(), Some("tenants_slug_format"));
}

#[tokio::test]
async fn demo_data_is_seeded_once_into_an_empty_database() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let (first, second) = tokio::join!(seed::seed_if_empty(&pool), seed::seed_if_empty(&pool));
    assert_ne!(first.unwrap(), second.unwrap(), "exactly one of two concurrent seeds runs");
    assert!(!seed::seed_if_empty(&pool).await.unwrap());
    let slugs: Vec<String> =
        sqlx::query_scalar("select slug from tenants order by slug").fetch_all(&pool).await.unwrap();
    assert_eq!(slugs, vec!["credvale".to_string(), "famath".to_string()]);
}

#[tokio::test]
async fn each_test_gets_its_own_database() {
    let (a, b) = tokio::join!(TestDatabase::create(), TestDatabase::create());
    assert_ne!(a.name, b.name);
    let pool_a = a.app_pool().await;
    sqlx::query("insert into tenants (slug, name) values ('only-in-a', 'A')").execute(&pool_a).await.unwrap();
    let pool_b = b.app_pool().await;
    let count: i64 = sqlx::query_scalar("select count(*) from tenants").fetch_one(&pool_b).await.unwrap();
    assert_eq!(count, 0);
}

/// A login role made for one test (roles are cluster-wide), with the given memberships; its pool.
async fn pool_as_new_role(database: &TestDatabase, member_of: &[&str]) -> (sqlx::PgPool, String) {
    use std::str::FromStr;
    let name = format!("probe_{}", uuid::Uuid::now_v7().simple());
    let superuser = sqlx::PgPool::connect(&database.superuser_url).await.unwrap();
    sqlx::raw_sql(&format!("create role {name} login password 'probe' nosuperuser nobypassrls"))
        .execute(&superuser)
        .await
        .unwrap();
    for group in member_of {
        sqlx::raw_sql(&format!("grant {group} to {name}")).execute(&superuser).await.unwrap();
    }
    superuser.close().await;
    let options =
        sqlx::postgres::PgConnectOptions::from_str(&database.app_url).unwrap().username(&name).password("probe");
    (sqlx::postgres::PgPoolOptions::new().max_connections(1).connect_with(options).await.unwrap(), name)
}

#[tokio::test]
async fn the_start_up_check_refuses_a_runtime_role_that_is_a_member_of_the_owner() {
    let database = TestDatabase::create().await;
    let (pool, name) = pool_as_new_role(&database, &["atrium_runtime", "atrium_owner"]).await;
    let error = server::database::roles::check_runtime_role(&pool).await.expect_err("a member of the owner is refused");
    assert!(error.contains(&name) && error.contains("atrium_owner"), "{error}");

    // The same role without the owner's membership passes.
    let (pool, _) = pool_as_new_role(&database, &["atrium_runtime"]).await;
    server::database::roles::check_runtime_role(&pool).await.expect("a plain runtime role passes");
}

#[tokio::test]
async fn only_the_runtime_role_may_call_the_security_definer_functions() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    // Read from the catalog, so a function added later is covered too.
    let functions: Vec<(String, bool, bool)> = sqlx::query_as(
        "select p.oid::regprocedure::text, has_function_privilege('public', p.oid, 'execute'),
                has_function_privilege('atrium_runtime', p.oid, 'execute')
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' and p.prosecdef order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(functions.iter().any(|(name, _, _)| name.starts_with("jobs_claim")), "{functions:?}");
    for (name, public, runtime) in &functions {
        assert!(!public, "{name} is executable by every role (public)");
        assert!(runtime, "{name} is not executable by the runtime role");
    }

    // A role with no grants at all is refused; the runtime role may call.
    let (outsider, _) = pool_as_new_role(&database, &[]).await;
    let refused = sqlx::query("select * from jobs_depth()").execute(&outsider).await;
    assert!(refused.is_err(), "an outsider called jobs_depth()");
    sqlx::query("select * from jobs_depth()").execute(&pool).await.expect("the runtime role calls jobs_depth()");
}
