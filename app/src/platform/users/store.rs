use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::types::UserSummary;
use crate::platform::auth::Role;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    name: String,
    email: String,
    role: String,
    active: bool,
    invitation_pending: bool,
    created_at: DateTime<Utc>,
}

impl From<UserRow> for UserSummary {
    fn from(row: UserRow) -> Self {
        Self {
            id: row.id,
            role: Role::from_code(&row.role).unwrap_or(Role::Student),
            name: row.name,
            email: row.email,
            active: row.active,
            invitation_pending: row.invitation_pending,
            created_at: row.created_at,
        }
    }
}

const SUMMARY: &str =
    "select id, name, email, role, active, password_hash is null as invitation_pending, created_at from users";

pub async fn list(conn: &mut PgConnection) -> Result<Vec<UserSummary>, sqlx::Error> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!("{SUMMARY} order by active desc, name")).fetch_all(conn).await?;
    Ok(rows.into_iter().map(UserSummary::from).collect())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<UserSummary>, sqlx::Error> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("{SUMMARY} where id = $1 for update")).bind(id).fetch_optional(conn).await?;
    Ok(row.map(UserSummary::from))
}

/// Other active owners besides `except` (a tenant must keep at least one).
pub async fn other_active_owners(conn: &mut PgConnection, except: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from users where role = 'owner' and active and id <> $1")
        .bind(except)
        .fetch_one(conn)
        .await
}

/// Changes role and/or active flag; bumps the session version so the person's sessions end.
pub async fn update(conn: &mut PgConnection, id: Uuid, role: Role, active: bool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update users set role = $2, active = $3, session_version = session_version + 1, updated_at = now()
          where id = $1",
    )
    .bind(id)
    .bind(role.code())
    .bind(active)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn count(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from users where active").fetch_one(conn).await
}
