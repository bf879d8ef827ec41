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
    response::Response,
    routing::get,
};
use tower_sessions::Session;

use super::{
    AppState,
    documents::{csv_download, signed_in},
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
    csv_download(result, "dre.csv")
}
