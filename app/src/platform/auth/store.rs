//! SQL for accounts. Every function takes a connection from `TenantTx`: row-level security scopes it.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    LinkPurpose,
    types::{Role, Viewer},
};
use crate::platform::tenancy::store::TenantRow;

/// A person's account row. Holds the password hash, so it is never sent anywhere (no `Serialize`).
#[derive(Debug, sqlx::FromRow)]
pub struct AccountRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub active: bool,
    pub session_version: i32,
}

impl AccountRow {
    pub fn role(&self) -> Role {
        // The table's check constraint allows only known codes; a student is the least privileged fallback.
        Role::from_code(&self.role).unwrap_or(Role::Student)
    }
}

/// What decides whether a person's session holds, and what the pages show of them: the account without its
/// password hash, so it may be kept in memory (`platform::directory`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub session_version: i32,
    /// Granted finance by the owner (meaningful for staff; owners always have it, others never).
    pub finance_access: bool,
}

impl PersonRow {
    pub fn role(&self) -> Role {
        // The table's check constraint allows only known codes; a student is the least privileged fallback.
        Role::from_code(&self.role).unwrap_or(Role::Student)
    }

    pub fn viewer(&self, tenant: TenantRow) -> Viewer {
        Viewer {
            user_id: self.id,
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role(),
            finance: Viewer::finance_for(self.role(), self.finance_access),
            tenant: tenant.summary(),
        }
    }
}

pub async fn find_person(conn: &mut PgConnection, id: Uuid) -> Result<Option<PersonRow>, sqlx::Error> {
    sqlx::query_as(
        "select id, tenant_id, name, email, role, active, session_version, finance_access from users where id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

const ACCOUNT_COLUMNS: &str = "id, tenant_id, name, email, role, password_hash, active, session_version";

pub async fn find_by_email(conn: &mut PgConnection, email: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("select {ACCOUNT_COLUMNS} from users where email = $1"))
        .bind(email)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_id(conn: &mut PgConnection, id: Uuid) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("select {ACCOUNT_COLUMNS} from users where id = $1")).bind(id).fetch_optional(conn).await
}

pub struct NewAccount<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
}

pub async fn insert(conn: &mut PgConnection, tenant_id: Uuid, account: &NewAccount<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into users (tenant_id, name, email, role, password_hash) values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(tenant_id)
    .bind(account.name)
    .bind(account.email)
    .bind(account.role.code())
    .bind(account.password_hash)
    .fetch_one(conn)
    .await
}

/// Sets a new password, ends every other session of the person and voids their open password links (a reset or
/// invitation link mailed before must not outlive the password it was for); returns the new session version.
/// With `expected_version`, only while the account is still at that version (`None` otherwise).
pub async fn set_password(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &str,
    expected_version: Option<i32>,
) -> Result<Option<i32>, sqlx::Error> {
    let version: Option<i32> = sqlx::query_scalar(
        "update users set password_hash = $2, session_version = session_version + 1, updated_at = now()
          where id = $1 and ($3::int is null or session_version = $3) returning session_version",
    )
    .bind(user_id)
    .bind(hash)
    .bind(expected_version)
    .fetch_optional(&mut *conn)
    .await?;
    if version.is_some() {
        void_links(conn, user_id).await?;
    }
    Ok(version)
}

/// A password link's row, with the person it is for.
#[derive(Debug, sqlx::FromRow)]
pub struct TokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub purpose: String,
    pub name: String,
    pub email: String,
}

/// A link that is unused and not expired (`for update`: two submits of one link cannot both use it).
/// The unused, unexpired link with this token hash, if it is for one of `purposes` (a verification link must never
/// set a password, nor a password link verify an e-mail).
pub async fn find_usable_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
    purposes: &[LinkPurpose],
) -> Result<Option<TokenRow>, sqlx::Error> {
    let purposes: Vec<&str> = purposes.iter().map(|purpose| purpose.code()).collect();
    sqlx::query_as(
        "select t.id, t.user_id, t.purpose, u.name, u.email
           from password_tokens t join users u on u.tenant_id = t.tenant_id and u.id = t.user_id
          where t.token_hash = $1 and t.used_at is null and t.expires_at > now() and u.active
            and t.purpose = any($2)
          for update of t",
    )
    .bind(token_hash)
    .bind(purposes)
    .fetch_optional(conn)
    .await
}

pub async fn insert_token(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    purpose: &str,
    token_hash: &[u8],
    valid_for_hours: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into password_tokens (tenant_id, user_id, purpose, token_hash, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(hours => $5))",
    )
    .bind(tenant_id)
    .bind(user_id)
    .bind(purpose)
    .bind(token_hash)
    .bind(valid_for_hours)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Voids every open password link of a person (reset and invitation): after a password change, a deactivation
/// or a reactivation, only a link mailed afterwards works.
pub async fn void_links(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("update password_tokens set used_at = now() where user_id = $1 and used_at is null")
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Uses up one link (a verification link, which sets no password and so voids nothing else).
pub async fn use_up_token(conn: &mut PgConnection, token_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("update password_tokens set used_at = now() where id = $1")
        .bind(token_id)
        .execute(conn)
        .await
        .map(|_| ())
}
