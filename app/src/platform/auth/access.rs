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
    context::{ServerContext, server_context},
    layout::PageViewer,
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
    session.insert(SEEN_KEY, unix_now()).await.map_err(session_error)?;
    session.insert(SESSION_KEY, user).await.map_err(session_error)
}

/// The signed-in person and a transaction for their tenant; `None` when nobody is signed in or the session no
/// longer holds (account deactivated, password or role changed since).
pub async fn signed_in() -> Result<Option<Access>, AppError> {
    let Some(viewer) = viewer().await? else { return Ok(None) };
    let context = server_context()?;
    let tx = TenantTx::begin(&context.pool, viewer.tenant.id).await?;
    Ok(Some(Access { viewer, tx }))
}

/// The person, if their role is one of `roles`; otherwise `Forbidden` (also when nobody is signed in).
pub async fn require(roles: &[Role]) -> Result<Access, AppError> {
    let viewer = match viewer().await? {
        Some(viewer) if viewer.is(roles) => viewer,
        // Memory may be one notice behind a role just granted in another process: the database decides a refusal.
        Some(_) => match resolve(Source::Database).await? {
            Some(viewer) if viewer.is(roles) => viewer,
            _ => return Err(AppError::Forbidden),
        },
        None => return Err(AppError::Forbidden),
    };
    let context = server_context()?;
    let tx = TenantTx::begin(&context.pool, viewer.tenant.id).await?;
    Ok(Access { viewer, tx })
}

pub async fn require_signed_in() -> Result<Access, AppError> {
    require(&Role::ALL).await
}

/// The person behind this request, resolved once however many server functions the request runs (a page's render
/// runs several). The server provides one per request; without it (outside a request) each call resolves anew.
#[derive(Debug, Clone, Default)]
pub struct RequestViewer(std::sync::Arc<tokio::sync::OnceCell<Option<Viewer>>>);

/// The signed-in person, without opening a transaction.
pub async fn viewer() -> Result<Option<Viewer>, AppError> {
    match leptos::prelude::use_context::<RequestViewer>() {
        Some(memo) => memo.0.get_or_try_init(|| resolve(Source::Memory)).await.cloned(),
        None => resolve(Source::Memory).await,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The process's directory, which may answer from memory.
    Memory,
    /// The database, for decisions that must not rest on memory.
    Database,
}

/// Reads the session and checks it still holds. A "yes" may come from memory (the directory forgets on every
/// change); a "no" is always confirmed by the database, so a stale entry never ends a session that holds.
async fn resolve(source: Source) -> Result<Option<Viewer>, AppError> {
    resolve_with(&server_context()?, &session().await?, source).await
}

/// What the pages under `/:tenant/…` need before they render (`layout::PageViewer`), resolved by the server's
/// middleware ahead of the render, with the request's memo filled on the way: the layout then renders at once,
/// without waiting on a resource (see `layout::page_viewer`).
pub async fn page_viewer(
    context: &ServerContext,
    session: &Session,
    slug: &str,
) -> Result<(RequestViewer, PageViewer), AppError> {
    let memo = RequestViewer::default();
    if context.directory.tenant_by_slug(&context.pool, slug).await?.is_none() {
        return Ok((memo, PageViewer::NoSuchTenant));
    }
    let viewer = memo.0.get_or_try_init(|| resolve_with(context, session, Source::Memory)).await?.clone();
    let page = match viewer.filter(|viewer| viewer.tenant.slug == slug) {
        Some(viewer) => PageViewer::Person(viewer),
        None => PageViewer::Nobody,
    };
    Ok((memo, page))
}

/// The person behind `session`, outside a Leptos request (the live channel's `/ws` and its periodic re-checks);
/// `None` when nobody is signed in or the session no longer holds.
pub async fn viewer_of(context: &ServerContext, session: &Session) -> Result<Option<Viewer>, AppError> {
    resolve_with(context, session, Source::Memory).await
}

async fn resolve_with(context: &ServerContext, session: &Session, source: Source) -> Result<Option<Viewer>, AppError> {
    let Some(user) = session.get::<SessionUser>(SESSION_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let directory = &context.directory;
    let mut person = match source {
        Source::Memory => directory.person(&context.pool, user.tenant_id, user.user_id).await?,
        Source::Database => None,
    };
    if !person.as_ref().is_some_and(|person| user.holds_for(person)) {
        person = directory.person_from_database(&context.pool, user.tenant_id, user.user_id).await?;
    }
    let Some(person) = person.filter(|person| user.holds_for(person)) else {
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    };
    keep_alive(session, context.session_refresh).await?;
    let tenant = directory.tenant_by_id(&context.pool, person.tenant_id).await?;
    Ok(Some(person.viewer(tenant)))
}

impl SessionUser {
    /// The session was started for this very account, and nothing that ends sessions happened to it since.
    fn holds_for(&self, person: &store::PersonRow) -> bool {
        person.active && person.session_version == self.version && person.tenant_id == self.tenant_id
    }
}

fn unix_now() -> i64 {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX)
}

/// When the session row was last written (unix seconds), kept in the session itself.
const SEEN_KEY: &str = "atrium.seen";

/// Sessions slide: each write moves the session's end (`SESSION_IDLE_LIMIT` from now) and refreshes the cookie. An
/// unchanged session is not written, so touching it at most every `every` keeps an active person signed in at the
/// cost of one write an hour, not one per request.
async fn keep_alive(session: &Session, every: std::time::Duration) -> Result<(), AppError> {
    let now = unix_now();
    let seen: Option<i64> = session.get(SEEN_KEY).await.map_err(session_error)?;
    let every = i64::try_from(every.as_secs()).unwrap_or(i64::MAX);
    if seen.is_none_or(|seen| now.saturating_sub(seen) >= every) {
        session.insert(SEEN_KEY, now).await.map_err(session_error)?;
    }
    Ok(())
}

/// The viewer for the pages of tenant `slug`: someone signed in to another tenant is nobody here.
pub async fn current_viewer_for(slug: &str) -> Result<Option<Viewer>, AppError> {
    Ok(viewer().await?.filter(|viewer| viewer.tenant.slug == slug))
}
