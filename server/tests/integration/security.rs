use server::test_support::TestServer;

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let server = TestServer::start().await;
    let response = reqwest::get(format!("{}/", server.url)).await.unwrap();
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "the wasm app must be allowed: {csp}");
    assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain HTTP by default");

    // The inline hydration script carries this response's nonce, and only it.
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap().to_string();
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "hydration script without the CSP nonce:\n{html}");
    let second = reqwest::get(format!("{}/", server.url)).await.unwrap();
    assert!(!second.headers()["content-security-policy"].to_str().unwrap().contains(&nonce), "a nonce is used once");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn hsts_is_sent_when_configured_for_https() {
    let config =
        server::config::Config::from_lookup(|name| (name == "ATRIUM_SECURE_COOKIES").then(|| "true".into())).unwrap();
    let server = TestServer::start_with(config, |router| router).await;
    let response = reqwest::get(format!("{}/healthz", server.url)).await.unwrap();
    assert!(response.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    server.stop().await.unwrap();
}
