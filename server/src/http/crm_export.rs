//! `GET /{tenant}/crm/leads.csv?funil=…&consultor=…&busca=…&meus=1`: the board's leads, with the board's filters, as
//! a CSV download (`app::crm::export` builds and audits it). Owner and staff of a tenant with the CRM on; a
//! signed-in person of another role (a consultant) is refused (403), anyone else answered 404 as the document
//! route does.

use std::collections::HashMap;

use app::{
    crm::{export, types::BoardFilter},
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

pub const LEADS_ROUTE: &str = "/{tenant}/crm/leads.csv";

pub fn routes() -> Router<AppState> {
    Router::new().route(LEADS_ROUTE, get(leads_csv))
}

async fn leads_csv(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    session: Session,
) -> Response {
    let result = async {
        let viewer = signed_in(&state, &session, &tenant).await?;
        if !viewer.is(Role::BACKOFFICE) || !viewer.tenant.modules.has(Module::Crm) {
            return Err(AppError::Forbidden);
        }
        let filter = BoardFilter::from_url(|key| params.get(key).cloned());
        let mut tx = TenantTx::begin(&state.pool, viewer.tenant.id).await?;
        let csv = export::leads_csv(&mut tx, viewer.user_id, &filter).await?;
        // The audit entry is committed before a byte leaves.
        tx.commit().await?;
        Ok(csv)
    }
    .await;
    csv_download(result, "leads.csv")
}
