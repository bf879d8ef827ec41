//! Request bodies are capped. Over the cap the answer is 413 with a message, whether the client declared the
//! length (answered before reading) or streamed it chunked (answered once the cap is crossed). Handlers, the
//! Leptos server functions included, only ever see a complete body within the cap; otherwise they would turn
//! a cut-off body into a 500.

use axum::{
    body::Body,
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{StatusCode, header};

pub async fn limit(State(max_bytes): State<usize>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_bytes as u64) {
        return too_large(max_bytes);
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, max_bytes).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(error) if is_length_limit(&error) => too_large(max_bytes),
        Err(error) => {
            tracing::info!(%error, "request body could not be read");
            (StatusCode::BAD_REQUEST, "Não foi possível ler o corpo da requisição.").into_response()
        }
    }
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if current.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = current.source();
    }
    false
}

fn too_large(max_bytes: usize) -> Response {
    let message = format!("A requisição é grande demais: o limite é {} KiB.", max_bytes / 1024);
    (StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
}
