//! `GET /{tenant}/matriculas/inscricoes.csv?curso=…&turma=…&situacao=…&periodo=…&busca=…`: the staff's
//! applications list, with the page's filters, as a CSV download (`app::enrollment::export` builds it and audits
//! it). Owner and staff of the tenant with enrollment on; a signed-in person of another role is refused (403),
//! anyone else answered 404 as the document route does.

use std::collections::HashMap;

use app::{
    enrollment::{export, review_types::ApplicationQuery},
    platform::{
        AppError,
        auth::Role,
        tenancy::{Module, TenantTx},
    },
};
use axum::{
    Router,
    extract::{Path, Query, State},
    response::Response,
    routing::get,
};
use tower_sessions::Session;

use super::{
    AppState,
    documents::{csv_download, signed_in},
};

pub const EXPORT_ROUTE: &str = "/{tenant}/matriculas/inscricoes.csv";

pub fn routes() -> Router<AppState> {
    Router::new().route(EXPORT_ROUTE, get(export_csv))
}

async fn export_csv(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    session: Session,
) -> Response {
    let result = async {
        let viewer = signed_in(&state, &session, &tenant).await?;
        if !viewer.is(Role::BACKOFFICE) || !viewer.tenant.modules.has(Module::Enrollment) {
            return Err(AppError::Forbidden);
        }
        let query = ApplicationQuery::from_url(|key| params.get(key).cloned());
        let mut tx = TenantTx::begin(&state.pool, viewer.tenant.id).await?;
        let csv = export::applications_csv(&mut tx, viewer.user_id, &query).await?;
        // The audit entry is committed before a byte leaves.
        tx.commit().await?;
        Ok(csv)
    }
    .await;
    csv_download(result, "inscricoes.csv")
}
