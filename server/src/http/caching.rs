//! Browser caching. The bundle's file names carry a hash of their content (cargo-leptos `hash-files`), so a file
//! never changes under its name: `/pkg` is cached for a year, `immutable`. The HTML that names those files is
//! `no-cache` (revalidated on every visit, and `private`: signed-in pages are personal), so a deploy is seen at once
//! and only the files that changed are fetched again.

use axum::{extract::Request, middleware::Next, response::Response};
use http::{HeaderValue, header};

/// For `/pkg` when the names are hashed.
pub const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// For HTML, and for `/pkg` without hashed names (a plain `cargo leptos build` without `hash-files`).
pub const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
const PERSONAL_REVALIDATE: HeaderValue = HeaderValue::from_static("private, no-cache");

/// HTML pages that did not choose their own caching are revalidated every time.
pub async fn html_no_cache(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if html && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, PERSONAL_REVALIDATE);
    }
    response
}

/// cargo-leptos writes the hashes of the bundle's files to `hash.txt` next to the server binary; Leptos reads the
/// JS, wasm and split-loader names from it when `hash_files` is on. On when that file is there.
pub fn hash_file_present() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|path| path.is_file())
}
