//! An OpenAI-compatible chat-completions server in this process (`POST /v1/chat/completions` on 127.0.0.1, a
//! free port), so `make run` and the tests exercise the real client over real HTTP with no account anywhere.
//! Its answers are deterministic (see `answer`); a handle switches it between healthy and the failures the
//! client must survive, and counts the requests it received (a refused call must not reach it).

mod answer;
mod schema;

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};
use tokio::{net::TcpListener, task::JoinHandle};

pub use answer::{FAKE_MODEL, NOT_JSON, text_answer};
pub use schema::value_for as value_for_schema;

/// How the fake behaves from the next request on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FakeMode {
    #[default]
    Healthy,
    /// Every request gets HTTP 500.
    Fail,
    /// Requests hang far longer than any client timeout.
    Timeout,
    /// Where JSON was asked for, the content is not JSON.
    InvalidJson,
}

/// How long `Timeout` mode holds a request.
const HANG: Duration = Duration::from_secs(600);

#[derive(Debug, Default)]
struct FakeState {
    mode: Mutex<FakeMode>,
    requests: AtomicUsize,
    last_request: Mutex<Option<Value>>,
    last_authorization: Mutex<Option<String>>,
}

/// The running fake. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeLlm {
    base_url: String,
    state: Arc<FakeState>,
    task: JoinHandle<()>,
}

impl FakeLlm {
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(FakeState::default());
        let router = Router::new().route("/v1/chat/completions", post(chat_completions)).with_state(state.clone());
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::warn!(%error, "fake language model stopped");
            }
        });
        Ok(Self { base_url: format!("http://{addr}/v1"), state, task })
    }

    /// `http://127.0.0.1:<port>/v1`, what `LLM_BASE_URL` would hold.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn set_mode(&self, mode: FakeMode) {
        *lock(&self.state.mode) = mode;
    }

    pub fn mode(&self) -> FakeMode {
        *lock(&self.state.mode)
    }

    /// Requests received so far, in any mode.
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// The body of the latest request (to check what the client sent).
    pub fn last_request(&self) -> Option<Value> {
        lock(&self.state.last_request).clone()
    }

    /// The `Authorization` header of the latest request, if it had one.
    pub fn last_authorization(&self) -> Option<String> {
        lock(&self.state.last_authorization).clone()
    }
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn chat_completions(State(state): State<Arc<FakeState>>, headers: HeaderMap, body: Bytes) -> Response {
    state.requests.fetch_add(1, Ordering::SeqCst);
    *lock(&state.last_authorization) =
        headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()).map(str::to_string);
    let request: Value = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return error_response(StatusCode::BAD_REQUEST, &format!("invalid JSON body: {error}")),
    };
    *lock(&state.last_request) = Some(request.clone());
    let mode = *lock(&state.mode);
    match mode {
        FakeMode::Fail => error_response(StatusCode::INTERNAL_SERVER_ERROR, "the fake is set to fail"),
        FakeMode::Timeout => {
            tokio::time::sleep(HANG).await;
            error_response(StatusCode::GATEWAY_TIMEOUT, "the fake was set to hang")
        }
        FakeMode::Healthy | FakeMode::InvalidJson => {
            if request.get("messages").and_then(Value::as_array).is_none() {
                return error_response(StatusCode::BAD_REQUEST, "`messages` must be an array");
            }
            Json(answer::completion(&request, mode == FakeMode::InvalidJson)).into_response()
        }
    }
}

/// The OpenAI error shape.
fn error_response(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": { "message": message, "type": "fake_error" } }))).into_response()
}
