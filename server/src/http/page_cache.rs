//! Finished pages kept, compressed, while their data has not changed. A staff page that many people open all day
//! (the CRM's leads table: 100 rows, counts per stage, the filters' options) costs a few milliseconds of database,
//! render and compression per view; most views repeat one another between two changes to the tenant's leads.
//!
//! Each view still resolves who is looking (the session, as every page) and asks PostgreSQL for the tenant's page
//! data version (`page_data_version`, one statement; triggers move it at the commit of any change to the rows those
//! pages show, from any process — see the migration). A page kept under that version or a later one, for the same
//! person, address, language and encoding, is sent as it was compressed; otherwise the page renders as usual, and is
//! kept under the version read *before* rendering, so what is kept is never older than its version. A change
//! committed anywhere shows on the next view: nothing waits for a notice to arrive. Views that miss together wait
//! for one render.
//!
//! What is never kept: anything but a `GET` of a listed page by a signed-in person; a response that is not a
//! `200` HTML page, sets a cookie, or showed an error (`UNCACHEABLE_HEADER`, set by the page's error view). The
//! person's whole viewer (role, name, grants, tenant plan) is part of the key, so a role change is a new key even
//! before the trigger's number moves. The page's inline scripts carry the nonce they were rendered with, so a kept
//! page is sent with the same nonce in its CSP (`security::CspNonce` on the response); it is only ever sent to the
//! person it was rendered for, for the address they asked, and a change of data renders afresh with a new nonce.
//! Entries are bounded in number and bytes (least recently used go first) and live at most `MAX_AGE`, a safety net.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use hashlink::LruCache;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use sqlx::PgPool;
use uuid::Uuid;

use super::{compression, security::CspNonce};
use crate::turns::Turns;
use app::{
    platform::layout::page_viewer::{KnownPageViewer, PageViewer},
    ui::UNCACHEABLE_HEADER,
};

/// Pages kept, by their path under the tenant. Every table such a page shows must move the tenant's page data
/// version (a `*_page_data` trigger in the migrations).
const CACHED_PAGES: &[&str] = &["crm/leads"];
const MAX_ENTRIES: usize = 2048;
const MAX_BYTES: usize = 32 * 1024 * 1024;
const MAX_AGE: Duration = Duration::from_secs(600);
/// A listed page is rendered whole before it is kept; nothing we render comes near this.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone)]
pub struct PageCache {
    pool: PgPool,
    entries: Option<Arc<Mutex<Entries>>>,
    /// The renders under way, one per key: a view that misses while its page is being rendered waits for that
    /// render instead of starting another (after a change, every open tab's next view misses at once).
    renders: Turns<Key>,
}

impl PageCache {
    /// `enabled: false` (`ATRIUM_PAGE_CACHE=off`) renders every view, for measuring the uncached path.
    pub fn new(pool: PgPool, enabled: bool) -> Self {
        let entries = enabled.then(|| Arc::new(Mutex::new(Entries { map: LruCache::new_unbounded(), bytes: 0 })));
        Self { pool, entries, renders: Turns::default() }
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    tenant: Uuid,
    /// The viewer as JSON: the person, their role and grants, the tenant's plan and modules.
    viewer: String,
    locale: &'static str,
    /// Path and query, as asked.
    target: String,
    /// `None`: the client takes no encoding we use (kept plain).
    encoding: Option<compression::Encoding>,
}

struct Entry {
    version: i64,
    stored: Instant,
    headers: HeaderMap,
    nonce: Option<String>,
    body: Bytes,
}

struct Entries {
    map: LruCache<Key, Arc<Entry>>,
    bytes: usize,
}

impl Entries {
    /// The page kept for `key`, if it shows at least what `version` holds (a page rendered after a later change
    /// is only fresher).
    fn get(&mut self, key: &Key, version: i64) -> Option<Arc<Entry>> {
        let entry = self.map.get(key)?.clone();
        if entry.version >= version && entry.stored.elapsed() < MAX_AGE { Some(entry) } else { None }
    }

    fn put(&mut self, key: Key, entry: Arc<Entry>) {
        if self.map.peek(&key).is_some_and(|kept| kept.version > entry.version) {
            return;
        }
        self.bytes += entry.body.len();
        if let Some(previous) = self.map.insert(key, entry) {
            self.bytes -= previous.body.len();
        }
        while self.map.len() > MAX_ENTRIES || self.bytes > MAX_BYTES {
            let Some((_, evicted)) = self.map.remove_lru() else { break };
            self.bytes -= evicted.body.len();
        }
    }
}

pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let Some(entries) = cache.entries.clone() else { return pass(request, next).await };
    let Some(key) = key_of(&request) else { return pass(request, next).await };
    let version = match sqlx::query_scalar::<_, i64>("select page_data_version($1)")
        .bind(key.tenant)
        .fetch_one(&cache.pool)
        .await
    {
        Ok(version) => version,
        Err(error) => {
            tracing::warn!(%error, "could not read the page data version; rendering without the cache");
            return pass(request, next).await;
        }
    };
    let kept = || entries.lock().ok().and_then(|mut entries| entries.get(&key, version));
    if let Some(entry) = kept() {
        metrics::counter!("page_cache_total", "outcome" => "hit").increment(1);
        return respond(&entry, key.encoding);
    }
    let _rendering = cache.renders.take(key.clone()).await;
    if let Some(entry) = kept() {
        metrics::counter!("page_cache_total", "outcome" => "waited").increment(1);
        return respond(&entry, key.encoding);
    }
    metrics::counter!("page_cache_total", "outcome" => "miss").increment(1);
    render(&entries, &key, version, request, next).await
}

/// A response the cache has nothing to do with, without the cache's marker.
async fn pass(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().remove(UNCACHEABLE_HEADER);
    response
}

/// Renders the page and keeps it when it may be kept.
async fn render(entries: &Mutex<Entries>, key: &Key, version: i64, request: Request, next: Next) -> Response {
    let nonce = request.extensions().get::<CspNonce>().map(|nonce| nonce.0.clone());
    let mut response = next.run(request).await;
    let keep = response.headers_mut().remove(UNCACHEABLE_HEADER).is_none() && storable(&response);
    if !keep {
        return response;
    }
    let (parts, body) = response.into_parts();
    let html = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(html) => html,
        Err(error) => {
            tracing::error!(%error, "a cacheable page's body failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let body = match key.encoding.map(|encoding| compression::compress_whole(&html, encoding)) {
        None => html,
        Some(Ok(compressed)) => Bytes::from(compressed),
        // Not kept; the outer layer compresses it as any page.
        Some(Err(_)) => return Response::from_parts(parts, Body::from(html)),
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let entry = Arc::new(Entry { version, stored: Instant::now(), headers, nonce, body });
    if let Ok(mut entries) = entries.lock() {
        entries.put(key.clone(), entry.clone());
    }
    respond(&entry, key.encoding)
}

/// The key of a view that may be kept: a `GET` of a listed page, by a signed-in person.
fn key_of(request: &Request) -> Option<Key> {
    if request.method() != Method::GET {
        return None;
    }
    let (_, page) = request.uri().path().trim_start_matches('/').split_once('/')?;
    if !CACHED_PAGES.contains(&page) {
        return None;
    }
    let known = request.extensions().get::<KnownPageViewer>()?;
    let PageViewer::Person(viewer) = &known.viewer else { return None };
    let cookies = request.headers().get(header::COOKIE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    Some(Key {
        tenant: viewer.tenant.id,
        viewer: serde_json::to_string(viewer).ok()?,
        locale: app::i18n::Locale::from_cookie_header(cookies).tag(),
        target: request.uri().path_and_query().map_or_else(String::new, |target| target.as_str().to_string()),
        encoding: compression::accepted_encoding(request.headers()),
    })
}

/// A whole `200` HTML page that sets no cookie.
fn storable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CONTENT_ENCODING)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|content_type| content_type.starts_with("text/html"))
}

fn respond(entry: &Entry, encoding: Option<compression::Encoding>) -> Response {
    let mut response = Response::new(Body::from(entry.body.clone()));
    let headers = response.headers_mut();
    headers.clone_from(&entry.headers);
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, encoding.header_value());
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(entry.body.len()));
    if let Some(nonce) = &entry.nonce {
        response.extensions_mut().insert(CspNonce(nonce.clone()));
    }
    response
}
