//! What the server hands to every render and server function: the database pool and the request id.

use leptos::prelude::*;
use sqlx::PgPool;

use super::AppError;

/// Server-only state provided into the Leptos context for each request.
#[derive(Clone, Debug)]
pub struct ServerContext {
    /// Connects as the runtime role: not the owner, not superuser, no BYPASSRLS.
    pub pool: PgPool,
}

/// The id the request-id middleware gave this request (also sent back as `x-request-id`).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| AppError::unexpected("server context", "missing ServerContext"))
}

/// The current request's id, or `-` outside a request.
pub fn request_id() -> String {
    use_context::<RequestId>().map_or_else(|| "-".to_string(), |id| id.0)
}
