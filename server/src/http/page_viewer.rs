//! Resolves who is looking at a tenant's pages before the page renders, so the tenant layout renders at once
//! instead of waiting on a resource (which made Leptos build every page twice on the server; see
//! `app::platform::layout::page_viewer`). Runs inside the session layer, for page requests (`GET` of a path whose
//! first segment can be a tenant slug), and leaves two things in the request for the render's context: the
//! result, and the request's viewer memo already filled, which the page's server functions reuse.

use app::platform::{auth, fields::Slug, layout::page_viewer::KnownPageViewer};
use axum::{extract::State, middleware::Next, response::Response};
use http::Method;
use tower_sessions::Session;

use super::AppState;

pub async fn resolve(State(state): State<AppState>, mut request: axum::extract::Request, next: Next) -> Response {
    if let Some(slug) = tenant_segment(&request)
        && let Some(session) = request.extensions().get::<Session>().cloned()
    {
        match auth::page_viewer(&state.context, &session, &slug).await {
            Ok((memo, viewer)) => {
                request.extensions_mut().insert(memo);
                request.extensions_mut().insert(KnownPageViewer { slug, viewer });
            }
            // The layout then asks again through its server function, which shows the error to the person.
            Err(error) => tracing::warn!(%error, "could not resolve the viewer before rendering"),
        }
    }
    next.run(request).await
}

/// The first path segment of a page request, when it can be a tenant's slug (not `/pkg`, `/api`, `/design`…:
/// those are reserved, so no tenant can have them).
fn tenant_segment(request: &axum::extract::Request) -> Option<String> {
    if request.method() != Method::GET {
        return None;
    }
    let segment = request.uri().path().trim_start_matches('/').split('/').next()?;
    Slug::parse(segment).ok().filter(|slug| slug.as_str() == segment).map(|_| segment.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> axum::extract::Request {
        http::Request::builder().uri(path).body(axum::body::Body::empty()).expect("request")
    }

    #[test]
    fn only_page_paths_under_a_possible_tenant_are_resolved() {
        assert_eq!(tenant_segment(&get("/famath/painel")), Some("famath".into()));
        assert_eq!(tenant_segment(&get("/famath")), Some("famath".into()));
        for path in ["/", "/pkg/atrium.js", "/api/auth/viewer", "/design", "/favicon.svg", "/Famath/painel"] {
            assert_eq!(tenant_segment(&get(path)), None, "{path}");
        }
        let post = http::Request::builder().method("POST").uri("/famath/painel").body(axum::body::Body::empty());
        assert_eq!(tenant_segment(&post.expect("request")), None);
    }
}
