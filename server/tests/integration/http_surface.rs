use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    body::Bytes,
    routing::{get, post},
};
use server::{config::Config, test_support::TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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
async fn the_database_version_and_the_institution_count_are_not_public() {
    let server = TestServer::start().await;
    server::database::seed::seed_if_empty(&server.pool).await.unwrap();
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{}/api/platform/status", server.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert!(matches!(response.status().as_u16(), 401 | 403 | 404), "anonymous status report: {}", response.status());
    let text = response.text().await.unwrap();
    assert!(!text.contains("PostgreSQL") && !text.contains("institutions"), "{text}");
    server.stop().await.unwrap();
}

fn config(vars: &[(&str, &str)]) -> Config {
    let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect();
    Config::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())).unwrap()
}

/// A server with `POST /echo` answering the length of the body it got (behind the app's middleware).
async fn echo_server(vars: &[(&str, &str)]) -> TestServer {
    TestServer::start_with(config(vars), |router| {
        router.route("/echo", post(|body: Bytes| async move { body.len().to_string() }))
    })
    .await
}

const LIMIT: usize = 2 * 1024 * 1024;

#[tokio::test]
async fn bodies_up_to_the_limit_pass_and_larger_ones_get_413_not_a_dropped_connection() {
    let server = echo_server(&[]).await;
    let client = reqwest::Client::new();
    for (size, status) in [(LIMIT, 200), (LIMIT + 1, 413), (3 * 1024 * 1024, 413)] {
        let response = client
            .post(format!("{}/echo", server.url))
            .body(vec![b'a'; size])
            .send()
            .await
            .expect("an answer, not a reset connection");
        assert_eq!(response.status(), status, "{size} bytes");
        if status == 200 {
            assert_eq!(response.text().await.unwrap(), size.to_string(), "the handler got the whole body");
        }
    }
    server.stop().await.unwrap();
}

/// Sends `size` bytes chunked in 64 KiB chunks over a raw connection and answers the status line and body.
async fn post_chunked(server: &TestServer, size: usize) -> (String, String) {
    let addr = server.url.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head =
        format!("POST /echo HTTP/1.1\r\nHost: {addr}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut left = size;
    // The server may answer before reading everything, so write errors are fine.
    while left > 0 {
        let chunk = vec![b'a'; left.min(64 * 1024)];
        left -= chunk.len();
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
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer.lines().next().unwrap_or("").to_string();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

#[tokio::test]
async fn chunked_bodies_up_to_the_limit_pass_and_larger_ones_get_413_too() {
    let server = echo_server(&[]).await;
    let (status, body) = post_chunked(&server, LIMIT).await;
    assert!(status.starts_with("HTTP/1.1 200"), "at the limit: {status}");
    assert!(body.contains(&LIMIT.to_string()), "the handler got the whole body: {body}");
    let (status, _) = post_chunked(&server, 3 * 1024 * 1024).await;
    assert!(status.starts_with("HTTP/1.1 413"), "expected 413, got: {status}");
    server.stop().await.unwrap();
}

/// A short grace and a 64 KiB/s minimum, so the tests take seconds.
const QUICK_DEADLINE: [(&str, &str); 2] = [("ATRIUM_BODY_READ_GRACE_SECS", "1"), ("ATRIUM_BODY_MIN_KIB_PER_SEC", "64")];

#[tokio::test]
async fn a_client_trickling_its_body_is_cut_off() {
    let server = echo_server(&QUICK_DEADLINE).await;
    let addr = server.url.trim_start_matches("http://").to_string();
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = format!("POST /echo HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 10000\r\n\r\n");
    writer.write_all(head.as_bytes()).await.unwrap();
    // One byte every 100 ms: 10 bytes/s, far below the minimum rate.
    let trickle = tokio::spawn(async move {
        for _ in 0..10_000 {
            if writer.write_all(b"a").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let started = Instant::now();
    let mut answer = Vec::new();
    // Up to the end of the status line (the close that follows may come as a reset: unread bytes were pending).
    let read_status = async {
        let mut buffer = [0_u8; 1024];
        while !answer.windows(2).any(|pair| pair == b"\r\n") {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => answer.extend_from_slice(&buffer[..read]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read_status)
        .await
        .expect("the server answers instead of waiting for the trickle");
    trickle.abort();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{}", answer.lines().next().unwrap_or(""));
    assert!(started.elapsed() < Duration::from_secs(5), "cut off soon after the grace: {:?}", started.elapsed());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_slow_but_steady_large_upload_succeeds() {
    let server = echo_server(&QUICK_DEADLINE).await;
    let addr = server.url.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // 1 MiB at about 128 KiB/s: 8 s, far past the 1 s grace, but always ahead of the 64 KiB/s minimum.
    let size = 1024 * 1024;
    let head = format!("POST /echo HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    for _ in 0..size / (16 * 1024) {
        stream.write_all(&[b'a'; 16 * 1024]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(125)).await;
    }
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(started.elapsed() > Duration::from_secs(5), "the upload really was slow: {:?}", started.elapsed());
    assert!(answer.starts_with("HTTP/1.1 200"), "{}", answer.lines().next().unwrap_or(""));
    assert!(answer.ends_with(&size.to_string()), "the whole body arrived: {answer}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn requests_over_the_in_flight_cap_get_503_with_retry_after_and_websocket_upgrades_are_not_counted() {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let (started_tx, mut started_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let held = gate.clone();
    let server = TestServer::start_with(config(&[("ATRIUM_MAX_IN_FLIGHT", "2")]), move |router| {
        router.route(
            "/hold",
            get(move || async move {
                let _ = started_tx.send(());
                let _permit = held.acquire().await;
                "released"
            }),
        )
    })
    .await;
    let client = reqwest::Client::new();
    let holders: Vec<_> = (0..2)
        .map(|_| {
            let request = client.get(format!("{}/hold", server.url));
            tokio::spawn(async move { request.send().await })
        })
        .collect();
    for _ in 0..2 {
        tokio::time::timeout(Duration::from_secs(10), started_rx.recv()).await.expect("both held requests started");
    }

    let refused = client.get(format!("{}/healthz", server.url)).send().await.unwrap();
    assert_eq!(refused.status(), 503, "the third request in flight is refused at once");
    assert!(refused.headers().get("retry-after").is_some(), "{:?}", refused.headers());
    let upgrade = client
        .get(format!("{}/healthz", server.url))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .send()
        .await
        .unwrap();
    assert_ne!(upgrade.status(), 503, "a WebSocket upgrade does not count against the cap");

    gate.add_permits(2);
    for holder in holders {
        assert_eq!(holder.await.unwrap().unwrap().status(), 200);
    }
    let after = client.get(format!("{}/healthz", server.url)).send().await.unwrap();
    assert_eq!(after.status(), 200, "slots come back when requests finish");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_dribbling_its_request_head_is_disconnected() {
    let server = TestServer::start().await;
    let addr = server.url.trim_start_matches("http://").to_string();
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n").as_bytes()).await.unwrap();
    // One more header byte each half second: the head never completes.
    let dribble = tokio::spawn(async move {
        loop {
            if writer.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(
        server::serve::HEADER_READ_TIMEOUT + Duration::from_secs(10),
        reader.read_to_end(&mut rest),
    )
    .await;
    dribble.abort();
    assert!(closed.is_ok(), "the connection is closed once the header read timeout passes");
    assert!(
        started.elapsed() >= server::serve::HEADER_READ_TIMEOUT - Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    server.stop().await.unwrap();
}
