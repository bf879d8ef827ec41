//! Who is asking, and may they. Every server function that touches tenant data starts with `require(roles)`,
//! which yields the viewer and a `TenantTx` for their tenant, or `Forbidden`.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use uuid::Uuid;

use super::{
    store,
    types::{Role, Viewer},
};
use crate::platform::{
    AppError,
    context::server_context,
    tenancy::{Module, TenantTx},
};

/// What the session remembers: who, in which tenant, and the account's session version at sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub version: i32,
}

pub const SESSION_KEY: &str = "atrium.user";

/// A checked request: the person and an open transaction scoped to their tenant.
#[derive(Debug)]
pub struct Access {
    pub viewer: Viewer,
    pub tx: TenantTx,
}

impl Access {
    /// Refuses when the tenant has `module` switched off.
    pub fn module(self, module: Module) -> Result<Self, AppError> {
        if self.viewer.tenant.modules.has(module) { Ok(self) } else { Err(AppError::Forbidden) }
    }
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|error| AppError::unexpected("session layer missing", error))
}

pub fn session_error(error: tower_sessions::session::Error) -> AppError {
    AppError::unexpected("session store", error)
}

/// Signs `user` in on this browser. The session id changes first, so an id planted before sign-in (session
/// fixation) is worth nothing after it.
pub async fn start_session(user: SessionUser) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(SESSION_KEY, user).await.map_err(session_error)
}

/// The signed-in person and a transaction for their tenant; `None` when nobody is signed in or the session no
/// longer holds (account deactivated, password or role changed since).
pub async fn signed_in() -> Result<Option<Access>, AppError> {
    let context = server_context()?;
    let session = session().await?;
    let Some(user) = session.get::<SessionUser>(SESSION_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let mut tx = TenantTx::begin(&context.pool, user.tenant_id).await?;
    let account = store::find_by_id(tx.conn(), user.user_id).await?;
    match account {
        Some(account) if account.active && account.session_version == user.version => {
            let tenant = crate::platform::tenancy::store::find_by_id(tx.conn(), user.tenant_id).await?;
            Ok(Some(Access { viewer: account.viewer(tenant), tx }))
        }
        _ => {
            session.flush().await.map_err(session_error)?;
            Ok(None)
        }
    }
}

/// The person, if their role is one of `roles`; otherwise `Forbidden` (also when nobody is signed in).
pub async fn require(roles: &[Role]) -> Result<Access, AppError> {
    match signed_in().await? {
        Some(access) if access.viewer.is(roles) => Ok(access),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn require_signed_in() -> Result<Access, AppError> {
    require(&Role::ALL).await
}

/// The viewer for the pages of tenant `slug`: someone signed in to another tenant is nobody here.
pub async fn current_viewer_for(slug: &str) -> Result<Option<Viewer>, AppError> {
    Ok(signed_in().await?.map(|access| access.viewer).filter(|viewer| viewer.tenant.slug == slug))
}
