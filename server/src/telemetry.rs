//! Logs (tracing: pretty for people, JSON for machines; every line inside a request carries its request id)
//! and the Prometheus registry behind `/metrics`.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing::Subscriber;
use tracing_subscriber::{
    EnvFilter, Layer, fmt, fmt::MakeWriter, layer::SubscriberExt, registry::LookupSpan, util::SubscriberInitExt,
};

use crate::config::LogFormat;

/// Installs the global log subscriber. Fails, naming `RUST_LOG`, on a filter it cannot read.
pub fn init_logs(format: LogFormat, filter: &str) -> Result<(), String> {
    let filter = EnvFilter::try_new(filter).map_err(|error| format!("configuration error in RUST_LOG: {error}"))?;
    let registry = tracing_subscriber::registry().with(filter);
    let result = match format {
        LogFormat::Json => registry.with(json_layer(std::io::stdout)).try_init(),
        LogFormat::Pretty => registry.with(fmt::layer().with_target(false)).try_init(),
    };
    result.map_err(|error| format!("could not install the log subscriber: {error}"))
}

/// One JSON object per line; the fields of the current span (the request span: `request_id`, method, route) are
/// on every line logged inside it.
pub fn json_layer<S, W>(writer: W) -> impl Layer<S>
where
    S: Subscriber + for<'span> LookupSpan<'span>,
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    // The span list, not only the current span: a library's inner span (tower-sessions opens "call") must not hide
    // the request span and its request id.
    fmt::layer().json().flatten_event(true).with_current_span(true).with_span_list(true).with_writer(writer)
}

/// Latency buckets in seconds: fine-grained below 100 ms where pages should live.
const LATENCY_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The process-wide Prometheus recorder, installed on first use (several test servers share one process).
pub fn prometheus() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics may be empty");
            }
            handle
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use std::{
        io::Write,
        sync::{Arc, Mutex},
    };

    use tower::ServiceExt;
    use tracing_subscriber::layer::SubscriberExt;

    use super::*;
    use crate::http::{HttpSettings, router};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn every_json_line_of_a_request_carries_its_request_id() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber =
            tracing_subscriber::registry().with(EnvFilter::new("info")).with(json_layer(move || writer.clone()));
        let _guard = tracing::subscriber::set_default(subscriber);

        // A pool that cannot connect: /readyz logs a warning from inside the handler.
        let pool = sqlx::postgres::PgPoolOptions::new()
            .acquire_timeout(std::time::Duration::from_millis(200))
            .connect_lazy("postgres://nobody@127.0.0.1:1/nothing")
            .expect("lazy pool");
        let config = crate::config::Config::from_lookup(|_| None).expect("default config");
        let state = crate::serve::app_state(&config, pool, std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("app state");
        let app = router(state, HttpSettings::from_config(&config));
        let request = http::Request::get("/readyz").body(axum::body::Body::empty()).expect("request");
        let response = app.oneshot(request).await.expect("response");
        assert_eq!(response.status(), 503);
        let request_id = response.headers()["x-request-id"].to_str().expect("header").to_string();

        let text = String::from_utf8(captured.0.lock().expect("logs").clone()).expect("utf-8 logs");
        let lines: Vec<serde_json::Value> =
            text.lines().map(|line| serde_json::from_str(line).expect("each line is JSON")).collect();
        assert!(lines.len() >= 2, "the handler's warning and the response line: {text}");
        for line in &lines {
            let spans = line["spans"].as_array().expect("a span list on every line");
            assert!(spans.iter().any(|span| span["request_id"] == request_id.as_str()), "{line}");
        }
        assert!(lines.iter().any(|line| line["level"] == "WARN"), "{text}");
    }
}
