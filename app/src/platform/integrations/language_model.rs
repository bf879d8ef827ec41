//! A chat-completion language model, seen through wire-neutral types. The real client (any OpenAI-compatible
//! endpoint: OpenAI, Groq, a local llama.cpp) and an in-process fake live in `server/src/integrations/llm/`;
//! services reach a model only through `platform::ai`, which renders the prompt, enforces the tenant's monthly
//! budget and records every call.
#![cfg(feature = "ssr")]

use std::{future::Future, pin::Pin};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who says a message. `Tool` carries a tool's result back to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn system(content: impl Into<String>) -> Self {
        Self { role: Role::System, content: content.into() }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Self { role: Role::User, content: content.into() }
    }
}

/// What shape the answer must have.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ResponseFormat {
    #[default]
    Text,
    /// Any JSON object. OpenAI requires the word "JSON" somewhere in the messages in this mode.
    JsonObject,
    /// JSON conforming to `schema`; with `strict`, providers that support it constrain decoding to the schema.
    JsonSchema { name: String, schema: serde_json::Value, strict: bool },
}

/// A function the model may ask us to call. `parameters` is a JSON schema of its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub parameters: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChatRequest {
    /// `None`: the client's configured model.
    pub model: Option<String>,
    pub messages: Vec<ChatMessage>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    pub response_format: ResponseFormat,
    pub tools: Vec<ToolSpec>,
}

/// A call the model asks for; `arguments` is already parsed JSON (the wire carries it as a string).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenUsage {
    pub prompt: u32,
    pub completion: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatCompletion {
    /// `None` when the model answered only with tool calls.
    pub content: Option<String>,
    pub tool_calls: Vec<ToolCall>,
    pub usage: TokenUsage,
    /// The model that answered, as the provider names it.
    pub model: String,
    /// `stop`, `length`, `tool_calls`, … as the provider says; `None` if it did not.
    pub finish_reason: Option<String>,
}

/// Why there is no completion. Callers that have a fallback (rules instead of the model) take it on
/// `Unavailable` and `BudgetExhausted`; the others are bugs or bad prompts to look at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// Could not get an answer now: circuit open, connection refused, timeout, 5xx, 429.
    #[error("language model unavailable: {reason}")]
    Unavailable { reason: String },
    /// The tenant's monthly token budget is spent; no request was sent.
    #[error("monthly language model budget exhausted ({used} of {budget} tokens; renews on {renews_on})")]
    BudgetExhausted { budget: i64, used: i64, renews_on: NaiveDate },
    /// The model answered, but not with what was asked (malformed JSON, a value that fails validation).
    #[error("invalid language model output: {reason}")]
    InvalidOutput { reason: String },
    /// The provider refused the request (4xx): a bad key, an unknown model, a malformed request.
    #[error("language model request rejected: {message}")]
    Rejected { message: String },
    #[error("language model error: {0}")]
    Unexpected(String),
}

pub type CompletionFuture<'a> = Pin<Box<dyn Future<Output = Result<ChatCompletion, LlmError>> + Send + 'a>>;

/// A chat-completion model. Boxed futures keep it dyn-compatible, so the app state holds an
/// `Arc<dyn LanguageModel>` and tests hand in whichever implementation they need.
pub trait LanguageModel: Send + Sync {
    /// Sends one request. Implementations do not retry anything that may have reached the provider: a
    /// completion costs tokens whether or not we read the answer.
    fn complete(&self, request: ChatRequest) -> CompletionFuture<'_>;

    /// The model used when a request names none (recorded beside calls that never got an answer).
    fn default_model(&self) -> &str;
}
