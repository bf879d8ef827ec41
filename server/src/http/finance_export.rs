//! `GET /{tenant}/financeiro/dre.csv?periodo=…&base=…&de=…&ate=…`: the DRE with the page's query as a CSV download
//! (`app::finance::dre::export` builds and audits it). People with finance access only; another signed-in person is
//! refused (403), anyone else answered 404 as the document route does.

use std::collections::HashMap;

use app::{
    finance::{access, dre, dre_types::DreQuery},
    platform::tenancy::TenantTx,
};
use axum::{
    Router,
    extract::{Path, Query, State},
    response::{IntoResponse, Response},
    routing::get,
};
use http::{HeaderValue, header};
use tower_sessions::Session;

use super::{
    AppState,
    documents::{error_response, signed_in},
};

pub const DRE_ROUTE: &str = "/{tenant}/financeiro/dre.csv";

pub fn routes() -> Router<AppState> {
    Router::new().route(DRE_ROUTE, get(dre_csv))
}

async fn dre_csv(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    session: Session,
) -> Response {
    let result = async {
        let mut viewer = signed_in(&state, &session, &tenant).await?;
        let mut tx = TenantTx::begin(&state.pool, viewer.tenant.id).await?;
        access::confirm(&mut tx, &mut viewer).await?;
        let query = DreQuery::from_url(|key| params.get(key).cloned());
        let today = chrono::Utc::now().date_naive();
        let csv = dre::export(&mut tx, viewer.user_id, viewer.tenant.plan, today, &query).await?;
        // The audit entry is committed before a byte leaves.
        tx.commit().await?;
        Ok(csv)
    }
    .await;
    match result {
        Ok(csv) => {
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"dre.csv\"")),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ];
            (headers, csv).into_response()
        }
        Err(error) => error_response(&error),
    }
}
