//! The HTTP surface: the Leptos app and its server functions, static files, health and metrics, and the
//! middleware every request goes through (request id, trace span, metrics, in-flight cap, security headers, CSRF
//! origin check, body size and read deadline, sessions, error statuses).

pub mod body_limit;
pub mod caching;
pub mod client_addr;
pub mod compression;
pub mod crm_export;
pub mod csrf;
pub mod documents;
pub mod embed;
pub mod enrollment_export;
pub mod error_status;
pub mod finance_export;
pub mod health;
pub mod in_flight;
pub mod metrics;
pub mod page_cache;
pub mod page_viewer;
pub mod security;
pub mod sessions;

use std::{path::PathBuf, sync::Arc};

use app::platform::{
    context::{RequestId, ServerContext},
    layout::page_viewer::KnownPageViewer,
};
use axum::{
    Router,
    extract::{FromRef, MatchedPath},
    middleware,
    routing::get,
};
use http::{HeaderName, HeaderValue, Request, header};
use leptos::prelude::{LeptosOptions, provide_context, use_context};
use leptos_axum::{LeptosRoutes, generate_route_list};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;
use tower::{Layer, ServiceBuilder};
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::{ServeDir, ServeFile},
    set_header::{SetResponseHeader, SetResponseHeaderLayer},
    trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

/// What every handler can reach: the services behind one `Arc`, because axum and Leptos clone the state for every
/// request (each `from_fn_with_state` layer and every route handler), and cloning each service's handles and
/// strings one by one cost about 3–4 % of a page's CPU.
#[derive(Clone, Debug)]
pub struct AppState(Arc<AppServices>);

impl AppState {
    pub fn new(services: AppServices) -> Self {
        Self(Arc::new(services))
    }

    /// The services, to adjust before the state is shared (tests swap the mailer); `None` once it is.
    pub fn unshared_mut(&mut self) -> Option<&mut AppServices> {
        Arc::get_mut(&mut self.0)
    }
}

impl std::ops::Deref for AppState {
    type Target = AppServices;

    fn deref(&self) -> &AppServices {
        &self.0
    }
}

/// The services themselves (reached through [`AppState`]).
#[derive(Debug)]
pub struct AppServices {
    pub leptos: LeptosOptions,
    pub pool: PgPool,
    /// What the pages and server functions get: the pool plus the services behind sign-in.
    pub context: ServerContext,
    pub trusted_origins: csrf::TrustedOrigins,
    /// `ATRIUM_TRUSTED_PROXIES`: whose `X-Forwarded-For` names the client.
    pub trusted_proxies: client_addr::TrustedProxies,
    pub metrics: PrometheusHandle,
    pub metrics_token: Option<Arc<str>>,
    /// The outside services (real or fake) behind `context`, and the fakes' handles.
    pub integrations: crate::integrations::services::Integrations,
    /// `ATRIUM_ENV`: code that may only use the in-process fakes in development asks this.
    pub environment: crate::environment::Environment,
    /// The `LISTEN/NOTIFY` task; it stops when the last clone of the state is dropped.
    pub bus: Arc<crate::bus::BusHandle>,
    /// The live channel's watchers in this process (`/ws`).
    pub live: crate::live::Hub,
    /// Sessions this process keeps in memory (forgotten through the bus).
    pub sessions: sessions::SessionMemory,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct HttpSettings {
    pub body_limit_bytes: usize,
    /// How long a request body may take to arrive (a minimum throughput).
    pub body_read: body_limit::ReadDeadline,
    /// Requests served at once; beyond it, 503 with `Retry-After`.
    pub max_in_flight: usize,
    /// Behind HTTPS: send HSTS.
    pub secure: bool,
    /// Keep cacheable pages' finished HTML (`page_cache`).
    pub page_cache: bool,
}

impl HttpSettings {
    pub fn from_config(config: &crate::config::Config) -> Self {
        Self {
            body_limit_bytes: config.body_limit_bytes,
            body_read: config.body_read,
            max_in_flight: config.max_in_flight,
            secure: config.secure,
            page_cache: config.page_cache,
        }
    }
}

/// The app's routes, listed once per process. Listing them runs the app with resource loading switched off through
/// a flag that is global to the process (leptos_server's `SuppressResourceLoad`); a resource first polled by a page
/// rendering on another thread meanwhile never loads, and that response hangs for good (leptos issue #4773). A
/// server builds its router before it serves, so listing once makes the window close before any page can render —
/// this matters where one process builds several routers (the tests' servers and their second processes).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState, settings: HttpSettings) -> Router {
    router_with(state, settings, |routes| routes)
}

/// The router with `extra` routes (tests add deliberately slow or echoing ones) behind the same middleware as
/// every other route.
pub fn router_with(state: AppState, settings: HttpSettings, extra: impl FnOnce(Router) -> Router) -> Router {
    let routes = route_list();
    let context = state.context.clone();
    let request_context = move || provide_request_context(&context);
    let session_layer =
        sessions::layer(sessions::RememberedSessions::new(state.pool.clone(), state.sessions.clone()), settings.secure);
    let trusted_origins = state.trusted_origins.clone();
    let for_page_viewer = state.clone();
    let page_cache = page_cache::PageCache::new(state.pool.clone(), settings.page_cache);
    let for_embed = state.clone();
    let trusted_proxies = state.trusted_proxies.clone();
    let leptos_options = state.leptos.clone();
    let pkg_dir = PathBuf::from(&*state.leptos.site_root).join(&*state.leptos.site_pkg_dir);

    let site_root = PathBuf::from(&*state.leptos.site_root);
    let app_routes = public_files(&site_root)
        .into_iter()
        .fold(Router::new(), |router, (route, file)| router.route_service(&route, public_file(file)))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route("/ws", get(crate::live::upgrade))
        .merge(crate::webhooks::routes())
        .merge(documents::routes())
        .merge(crm_export::routes())
        .merge(enrollment_export::routes())
        .merge(finance_export::routes())
        .nest_service("/pkg", static_assets(pkg_dir, state.leptos.hash_files))
        .leptos_routes_with_context(&state, routes, request_context.clone(), move || app::shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(request_context, app::shell))
        .with_state(state);
    extra(app_routes)
        .layer(middleware::from_fn_with_state(page_cache, page_cache::serve))
        .layer(middleware::from_fn_with_state(for_page_viewer, page_viewer::resolve))
        .layer(middleware::from_fn_with_state(for_embed, embed::frame_ancestors))
        .layer(session_layer)
        .layer(middleware::from_fn(error_status::by_error_kind))
        .layer(middleware::from_fn(caching::html_no_cache))
        .layer(middleware::from_fn(compression::compress))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(drop_unusable_request_id))
                .layer(middleware::from_fn_with_state(trusted_proxies, client_addr::decide))
                .layer(SetRequestIdLayer::new(X_REQUEST_ID.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO))
                        .on_failure(DefaultOnFailure::new().level(Level::ERROR)),
                )
                .layer(PropagateRequestIdLayer::new(X_REQUEST_ID.clone()))
                .layer(middleware::from_fn(metrics::track))
                .layer(middleware::from_fn_with_state(in_flight::InFlight::new(settings.max_in_flight), in_flight::cap))
                .layer(middleware::from_fn_with_state(settings.secure, security::headers))
                .layer(middleware::from_fn_with_state(trusted_origins, csrf::same_origin_writes))
                .layer(middleware::from_fn_with_state(
                    body_limit::BodyRules {
                        max_bytes: settings.body_limit_bytes,
                        deadline: settings.body_read,
                        large: body_limit::LARGE_BODY_ROUTES,
                    },
                    body_limit::limit,
                )),
        )
}

/// A proxy's `x-request-id` is kept so logs join up across services, but only a short plain token: anything else
/// is replaced by our own id rather than copied into every log line and response.
async fn drop_unusable_request_id(
    mut request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let usable = request.headers().get(&X_REQUEST_ID).is_none_or(|value| {
        let bytes = value.as_bytes();
        (1..=64).contains(&bytes.len())
            && bytes.iter().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b':'))
    });
    if !usable {
        request.headers_mut().remove(&X_REQUEST_ID);
    }
    next.run(request).await
}

/// The span every log line of a request is recorded in; its `request_id` is on each of those lines.
///
/// It records the matched route template (`/webhooks/zapi/{token}/{session}`), never the raw path or URI: webhook
/// paths carry secrets (a tenant's path token), and the span's fields are on every line logged inside it. A
/// request no route matched (the fallback: static files, 404s) records `-`.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let request_id = request.headers().get(&X_REQUEST_ID).and_then(|value| value.to_str().ok()).unwrap_or("-");
    let route = request.extensions().get::<MatchedPath>().map_or("-", MatchedPath::as_str);
    tracing::info_span!("request", request_id, method = %request.method(), route)
}

/// The files copied from `public/` to the top of the site root (favicon…), each served at its own path: the
/// `/:tenant` route would otherwise claim `/favicon.svg` as a tenant slug.
fn public_files(site_root: &std::path::Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(site_root) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let precompressed = name.ends_with(".br") || name.ends_with(".gz");
            (!precompressed).then(|| (format!("/{name}"), entry.path()))
        })
        .collect()
}

/// One public file, precompressed like the bundle.
fn public_file(file: PathBuf) -> SetResponseHeader<ServeFile, HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
        .layer(ServeFile::new(file).precompressed_br().precompressed_gzip())
}

/// The wasm, JS and CSS bundle. cargo-leptos `--precompress` writes `.br` and `.gz` next to each file. With hashed
/// file names a file never changes under its name: cached for a year; without, browsers revalidate (cheap 304s).
fn static_assets(dir: PathBuf, hashed_names: bool) -> SetResponseHeader<ServeDir, HeaderValue> {
    let cache = if hashed_names { caching::IMMUTABLE } else { caching::REVALIDATE };
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, cache)
        .layer(ServeDir::new(dir).precompressed_br().precompressed_gzip())
}

/// Hands the request's context (pool, sign-in services), CSP nonce and request id to the Leptos render and server
/// functions, and a slot where the request's person is resolved once for all of them.
fn provide_request_context(context: &ServerContext) {
    provide_context(context.clone());
    let parts = use_context::<http::request::Parts>();
    // The page-viewer middleware may have resolved the person already: reuse its memo.
    let memo = parts.as_ref().and_then(|parts| parts.extensions.get::<app::platform::auth::RequestViewer>().cloned());
    provide_context(memo.unwrap_or_default());
    if let Some(known) = parts.as_ref().and_then(|parts| parts.extensions.get::<KnownPageViewer>()) {
        provide_context(known.clone());
    }
    if let Some(parts) = parts {
        if let Some(nonce) = parts.extensions.get::<security::CspNonce>() {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
        }
        if let Some(id) = parts.headers.get(&X_REQUEST_ID).and_then(|value| value.to_str().ok()) {
            provide_context(RequestId(id.to_string()));
        }
    }
}
