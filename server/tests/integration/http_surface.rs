use server::test_support::TestServer;

#[tokio::test]
async fn healthz_answers_while_the_process_lives() {
    let server = TestServer::start().await;
    let response = reqwest::get(format!("{}/healthz", server.url)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["status"], "ok");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn readyz_is_ready_with_a_database_and_unavailable_without_one() {
    let server = TestServer::start().await;
    let response = reqwest::get(format!("{}/readyz", server.url)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["status"], "ready");

    // The database goes away (its connections are closed): the process is healthy but not ready.
    server.pool.close().await;
    let response = reqwest::get(format!("{}/readyz", server.url)).await.unwrap();
    assert_eq!(response.status(), 503);
    let health = reqwest::get(format!("{}/healthz", server.url)).await.unwrap();
    assert_eq!(health.status(), 200);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_a_given_one() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let generated = client.get(format!("{}/healthz", server.url)).send().await.unwrap();
    let id = generated.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let other = client.get(format!("{}/healthz", server.url)).send().await.unwrap();
    assert_ne!(other.headers()["x-request-id"], id.as_str());

    let given = client.get(format!("{}/healthz", server.url)).header("x-request-id", "lb-1234").send().await.unwrap();
    assert_eq!(given.headers()["x-request-id"], "lb-1234");

    // Not a plain short token: replaced, never echoed into logs and headers.
    for unusable in ["a".repeat(200), "two words".to_string(), "<script>".to_string()] {
        let response =
            client.get(format!("{}/healthz", server.url)).header("x-request-id", &unusable).send().await.unwrap();
        let id = response.headers()["x-request-id"].to_str().unwrap();
        assert_ne!(id, unusable);
        assert_eq!(id.len(), 36, "replaced by a UUID: {id}");
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn metrics_count_requests_and_latency_per_route_template() {
    let server = TestServer::start().await;
    for _ in 0..3 {
        reqwest::get(format!("{}/healthz", server.url)).await.unwrap();
    }
    reqwest::get(format!("{}/no/such/page", server.url)).await.unwrap();
    let text = reqwest::get(format!("{}/metrics", server.url)).await.unwrap().text().await.unwrap();
    let healthz = text
        .lines()
        .find(|line| line.starts_with("http_requests_total{") && line.contains("route=\"/healthz\""))
        .unwrap_or_else(|| panic!("no healthz counter in:\n{text}"));
    assert!(healthz.contains("status=\"200\"") && healthz.contains("method=\"GET\""), "{healthz}");
    let count: f64 = healthz.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count >= 3.0, "{healthz}");
    assert!(
        text.contains("http_request_duration_seconds_bucket{") && text.contains("le=\"0.005\""),
        "latency histogram with buckets:\n{text}"
    );
    assert!(!text.contains("/no/such/page"), "raw paths must not become labels");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn metrics_can_require_a_bearer_token() {
    let config =
        server::config::Config::from_lookup(|name| (name == "ATRIUM_METRICS_TOKEN").then(|| "s3cret".into())).unwrap();
    let server = TestServer::start_with(config, |router| router).await;
    let client = reqwest::Client::new();
    let anonymous = client.get(format!("{}/metrics", server.url)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let wrong = client.get(format!("{}/metrics", server.url)).bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let right = client.get(format!("{}/metrics", server.url)).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(right.status(), 200);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn pages_render_on_the_server() {
    let server = TestServer::start().await;
    server::database::seed::seed_if_empty(&server.pool).await.unwrap();
    for (path, text) in [
        ("/", "Matrículas, CRM e finanças em um só lugar"),
        ("/cadastro", "Criar organização"),
        ("/famath/entrar", "Faculdade Famath"),
        ("/design", "Componentes"),
        ("/idioma", "07/03/2026"),
    ] {
        let response = reqwest::get(format!("{}{path}", server.url)).await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(text), "{path} should contain {text:?}");
        assert!(html.contains("<html lang=\"pt-BR\""), "{path}");
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_a_way_back() {
    let server = TestServer::start().await;
    let response = reqwest::get(format!("{}/nao/existe/mesmo", server.url)).await.unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Página não encontrada"), "{html}");
    // A first segment is read as an organization's address: an unknown one says so.
    let response = reqwest::get(format!("{}/nao-existe", server.url)).await.unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Instituição não encontrada"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_status_server_function_reaches_the_database() {
    let server = TestServer::start().await;
    server::database::seed::seed_if_empty(&server.pool).await.unwrap();
    let response = reqwest::Client::new()
        .post(format!("{}/api/platform/status", server.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let report: serde_json::Value = response.json().await.unwrap();
    assert_eq!(report["institutions"], 2);
    assert!(report["database"].as_str().unwrap().starts_with("PostgreSQL 15"), "{report}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn oversized_bodies_get_413_not_a_dropped_connection() {
    let server = TestServer::start().await;
    let body = vec![b'a'; 3 * 1024 * 1024];
    let response = reqwest::Client::new()
        .post(format!("{}/api/platform/status", server.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("an answer, not a reset connection");
    assert_eq!(response.status(), 413);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn oversized_chunked_bodies_get_413_too() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::start().await;
    let addr = server.url.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/platform/status HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    // 3 MiB in 64 KiB chunks; the server may answer before reading everything, so write errors are fine.
    for _ in 0..48 {
        if stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "expected 413, got: {}", answer.lines().next().unwrap_or(""));
    server.stop().await.unwrap();
}
