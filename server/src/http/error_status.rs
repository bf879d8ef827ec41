//! Leptos answers every server-function error with 500. The product's errors are mostly the caller's (a field
//! to fix, a refusal, a limit), and a 500 in the logs and metrics should mean our fault. This layer gives each
//! `AppError` kind its proper status; the browser side decodes errors from any 4xx/5xx alike.

use axum::{body::Body, extract::Request, middleware::Next, response::Response};
use http::StatusCode;
use http_body_util::BodyExt;

/// The header server_fn puts on its error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// Error bodies are small JSON objects; anything larger is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn by_error_kind(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(collected) = http_body_util::Limited::new(body, MAX_ERROR_BODY).collect().await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    let bytes = collected.to_bytes();
    if let Some(status) = status_for(&bytes) {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn status_for(body: &[u8]) -> Option<StatusCode> {
    #[derive(serde::Deserialize)]
    struct Kind {
        kind: String,
    }
    let kind: Kind = serde_json::from_slice(body).ok()?;
    status_of_kind(&kind.kind)
}

/// The status an `AppError` is answered with by routes outside the server functions (document uploads…).
pub fn status_of(error: &app::platform::AppError) -> Option<StatusCode> {
    let value = serde_json::to_value(error).ok()?;
    status_of_kind(value.get("kind")?.as_str()?)
}

fn status_of_kind(kind: &str) -> Option<StatusCode> {
    Some(match kind {
        "validation" => StatusCode::UNPROCESSABLE_ENTITY,
        "forbidden" => StatusCode::FORBIDDEN,
        "not_found" => StatusCode::NOT_FOUND,
        "conflict" => StatusCode::CONFLICT,
        "limit_reached" => StatusCode::TOO_MANY_REQUESTS,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_gets_its_status() {
        assert_eq!(
            status_for(br#"{"kind":"validation","field":"email","message":"x"}"#),
            Some(StatusCode::UNPROCESSABLE_ENTITY)
        );
        assert_eq!(status_for(br#"{"kind":"forbidden"}"#), Some(StatusCode::FORBIDDEN));
        assert_eq!(status_for(br#"{"kind":"limit_reached","message":"x"}"#), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(status_for(br#"{"kind":"unexpected","request_id":"r"}"#), None);
        assert_eq!(status_for(b"not json"), None);
    }
}
