//! The CRM's embeddable lead form (`/{tenant}/simular/embed`) may be framed by the tenant's own site, and only
//! there: this layer names that origin (`crm_settings.site_origin`) for the security headers, on that route
//! alone. No origin configured, an unknown tenant or a failed lookup: the default `frame-ancestors 'none'`.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use http::Method;

use super::{AppState, security::FrameAncestors};

pub async fn frame_ancestors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let slug = (request.method() == Method::GET).then(|| embed_slug(request.uri().path())).flatten();
    let slug = slug.map(str::to_string);
    let mut response = next.run(request).await;
    if let Some(slug) = slug {
        match app::crm::embed::site_origin_of(&state.context, &slug).await {
            Ok(Some(origin)) => _ = response.extensions_mut().insert(FrameAncestors(origin)),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "could not read the tenant's site origin; the form stays unframable"),
        }
    }
    response
}

/// `/famath/simular/embed` → `famath`.
fn embed_slug(path: &str) -> Option<&str> {
    let slug = path.strip_prefix('/')?.strip_suffix("/simular/embed")?;
    (!slug.is_empty() && !slug.contains('/')).then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::embed_slug;

    #[test]
    fn only_the_embed_route_names_a_tenant() {
        assert_eq!(embed_slug("/famath/simular/embed"), Some("famath"));
        assert_eq!(embed_slug("/famath/simular"), None);
        assert_eq!(embed_slug("/simular/embed"), None);
        assert_eq!(embed_slug("/a/b/simular/embed"), None);
    }
}
