//! The two roles of the design. The owner runs migrations and owns every object; the runtime role, which the
//! server connects as, is a member of the `atrium_runtime` group that migrations grant data privileges to.
//! It is not the owner, not superuser and has no BYPASSRLS, so row-level security always applies to it.

use sqlx::{Connection, PgConnection};

pub const OWNER: &str = "atrium_owner";
pub const RUNTIME_GROUP: &str = "atrium_runtime";
pub const APP: &str = "atrium_app";

/// Creates the roles and the database in a private cluster, as its superuser. Idempotent.
pub async fn bootstrap(
    superuser_url: &str,
    database: &str,
    owner_password: &str,
    app_password: &str,
) -> Result<(), sqlx::Error> {
    let mut admin = PgConnection::connect(superuser_url).await?;
    sqlx::raw_sql(&format!(
        "do $$ begin
           if not exists (select from pg_roles where rolname = '{OWNER}') then
             create role {OWNER} login createdb;
           end if;
           if not exists (select from pg_roles where rolname = '{RUNTIME_GROUP}') then
             create role {RUNTIME_GROUP} nologin;
           end if;
           if not exists (select from pg_roles where rolname = '{APP}') then
             create role {APP} login nosuperuser nobypassrls nocreatedb nocreaterole;
           end if;
         end $$;
         alter role {OWNER} password '{owner_password}';
         alter role {APP} password '{app_password}';
         grant {RUNTIME_GROUP} to {APP};"
    ))
    .execute(&mut admin)
    .await?;
    let exists: bool = sqlx::query_scalar("select exists (select from pg_database where datname = $1)")
        .bind(database)
        .fetch_one(&mut admin)
        .await?;
    if !exists {
        sqlx::raw_sql(&format!("create database \"{database}\" owner {OWNER}")).execute(&mut admin).await?;
    }
    admin.close().await
}

#[derive(Debug, sqlx::FromRow)]
struct RoleFacts {
    name: String,
    superuser: bool,
    bypass_rls: bool,
    /// The roles owning tables of the schema that this role is, or is a member of (it could `SET ROLE` to them).
    owners: Option<String>,
}

/// Refuses to serve through a role that row-level security would not bind: a superuser, a role with BYPASSRLS,
/// the owner of the tables, or a member of the owner (which could become the owner with `SET ROLE`).
pub async fn check_runtime_role(pool: &sqlx::PgPool) -> Result<(), String> {
    let facts: RoleFacts = sqlx::query_as(
        "select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypass_rls,
                (select string_agg(distinct pg_get_userbyid(c.relowner), ', ')
                   from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'public' and pg_has_role(r.oid, c.relowner, 'member')) as owners
           from pg_roles r where r.rolname = current_user",
    )
    .fetch_one(pool)
    .await
    .map_err(|error| format!("could not inspect the runtime role: {error}"))?;
    let problem = if facts.superuser {
        "a superuser".to_owned()
    } else if facts.bypass_rls {
        "allowed to bypass row-level security".to_owned()
    } else {
        match &facts.owners {
            Some(owners) if *owners == facts.name => "the owner of tables".to_owned(),
            Some(owners) => format!("a member of `{owners}`, the owner of tables"),
            None => return Ok(()),
        }
    };
    Err(format!(
        "DATABASE_URL connects as `{}`, which is {problem}; the server must run as a role that is not the owner \
         (nor a member of it), not superuser and has no BYPASSRLS, so row-level security applies",
        facts.name
    ))
}
