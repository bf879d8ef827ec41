//! The outbound kit's metrics reach `/metrics`: the breaker gauge and the call counters per dependency.

use std::time::Duration;

use server::{
    integrations::outbound::{BreakerSettings, CircuitState, Idempotency, OutboundClient, OutboundSettings},
    test_support::TestServer,
};

#[tokio::test]
async fn metrics_show_the_circuit_state_and_calls_per_dependency() {
    let server = TestServer::start().await;
    // A port nobody listens on: every call is a connect error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let settings = OutboundSettings {
        breaker: BreakerSettings {
            failure_threshold: 2,
            window: Duration::from_secs(60),
            cooldown: Duration::from_secs(60),
        },
        ..OutboundSettings::default()
    };
    let client = OutboundClient::new("metrics_probe", settings).unwrap();
    for _ in 0..3 {
        let _ = client.send(client.get(&format!("http://{closed}/")), Idempotency::Unsafe).await;
    }
    assert_eq!(client.circuit_state(), CircuitState::Open);

    let text = reqwest::get(format!("{}/metrics", server.url)).await.unwrap().text().await.unwrap();
    let line = |prefix: &str| text.lines().find(|l| l.starts_with(prefix)).map(str::to_string);
    assert_eq!(
        line("outbound_circuit_state{dependency=\"metrics_probe\"}").as_deref(),
        Some("outbound_circuit_state{dependency=\"metrics_probe\"} 2"),
        "{text}"
    );
    let value = |prefix: &str| line(prefix).and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok());
    assert_eq!(
        value("outbound_calls_total{dependency=\"metrics_probe\",outcome=\"connect_error\"}"),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value("outbound_calls_total{dependency=\"metrics_probe\",outcome=\"rejected_open\"}"),
        Some(1.0),
        "{text}"
    );
    assert!(text.contains("outbound_call_duration_seconds_bucket{dependency=\"metrics_probe\""), "{text}");
    server.stop().await.unwrap();
}
