//! Compressed responses that still stream, and browser caching of the bundle and the HTML.

use std::{io::Read, time::Duration};

use axum::{Router, body::Body, middleware, routing::get};
use futures_util::StreamExt;
use server::{http::compression, test_support::TestServer};
use tokio::sync::oneshot;

/// The page with this response's CSP nonce (it differs per request) blanked out, to compare two renders.
fn without_nonce(response_csp: &str, html: &str) -> String {
    let nonce = response_csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap();
    html.replace(nonce, "NONCE")
}

#[tokio::test]
async fn a_tenant_page_comes_back_brotli_compressed_and_decodes_to_the_same_html() {
    let server = TestServer::start().await;
    server::test_support::create_tenant(&server.pool, "famath").await;
    let client = reqwest::Client::new();
    let url = format!("{}/famath/entrar", server.url);

    let plain = client.get(&url).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none(), "no Accept-Encoding, no compression");
    let plain_csp = plain.headers()["content-security-policy"].to_str().unwrap().to_string();
    let plain_html = plain.text().await.unwrap();

    let compressed = client.get(&url).header("accept-encoding", "gzip, deflate, br").send().await.unwrap();
    assert_eq!(compressed.status(), 200);
    assert_eq!(compressed.headers()["content-encoding"], "br");
    assert!(compressed.headers()["vary"].to_str().unwrap().contains("accept-encoding"));
    assert!(compressed.headers()["cache-control"].to_str().unwrap().contains("no-cache"), "HTML is revalidated");
    let csp = compressed.headers()["content-security-policy"].to_str().unwrap().to_string();
    let bytes = compressed.bytes().await.unwrap();
    let mut html = String::new();
    brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut html).unwrap();

    assert!(html.contains("<!DOCTYPE html>"), "{html}");
    assert_eq!(without_nonce(&csp, &html), without_nonce(&plain_csp, &plain_html));
    assert!(bytes.len() * 2 < plain_html.len(), "{} compressed bytes for {} of HTML", bytes.len(), plain_html.len());

    let gzip = client.get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    server.stop().await.unwrap();
}

/// A page whose shell is ready at once and whose last part waits on a slow resource (the test decides when it
/// resolves), sent as Leptos streams it: one body chunk per part.
fn slow_page(resource: oneshot::Receiver<()>) -> Body {
    let shell = "<!DOCTYPE html><html><head><title>Lenta</title></head><body><main>".to_string()
        + &"<p>Conteúdo que já está pronto.</p>".repeat(40);
    let rest = async move {
        let _ = resource.await;
        "<p>O recurso lento chegou.</p></main></body></html>".to_string()
    };
    let parts = futures_util::stream::once(async move { shell }).chain(futures_util::stream::once(rest));
    Body::from_stream(parts.map(Ok::<_, std::convert::Infallible>))
}

#[tokio::test]
async fn the_first_bytes_of_a_streamed_page_arrive_compressed_before_its_slow_resource_resolves() {
    let (resolve, resource) = oneshot::channel::<()>();
    let resource = std::sync::Arc::new(std::sync::Mutex::new(Some(resource)));
    let route = move || {
        let resource = resource.lock().unwrap().take().expect("one request");
        async move { ([("content-type", "text/html; charset=utf-8")], slow_page(resource)) }
    };
    let server = TestServer::start_with(server::config::Config::from_lookup(|_| None).unwrap(), |router| {
        router.merge(Router::new().route("/lenta", get(route)).layer(middleware::from_fn(compression::compress)))
    })
    .await;

    let mut response = reqwest::Client::new()
        .get(format!("{}/lenta", server.url))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    // The resource has not resolved: the shell must already be here, compressed and decodable on its own.
    let first = tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("the shell arrives while the resource is still loading")
        .unwrap()
        .unwrap();
    let mut decoder = brotli::Decompressor::new(&first[..], 4096);
    let mut shell = vec![0_u8; 64];
    decoder.read_exact(&mut shell).unwrap();
    assert!(String::from_utf8_lossy(&shell).starts_with("<!DOCTYPE html><html><head><title>Lenta"));

    resolve.send(()).unwrap();
    let mut all = first.to_vec();
    while let Some(chunk) = response.chunk().await.unwrap() {
        all.extend_from_slice(&chunk);
    }
    let mut html = String::new();
    brotli::Decompressor::new(&all[..], 4096).read_to_string(&mut html).unwrap();
    assert!(html.ends_with("<p>O recurso lento chegou.</p></main></body></html>"), "{html}");
    server.stop().await.unwrap();
}
