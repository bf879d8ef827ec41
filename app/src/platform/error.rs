//! The one error type that crosses the wire between server functions and the browser.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What a server function can answer instead of its value. Each variant is something the UI shows differently:
/// a field error next to its input, a refusal, a missing thing, a conflict to resolve, a plan limit, or an
/// opaque failure the user can quote to support by its request id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("acesso negado")]
    Forbidden,
    #[error("não encontrado")]
    NotFound,
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    LimitReached { message: String },
    #[error("erro inesperado (código {request_id})")]
    Unexpected { request_id: String },
    /// The call did not complete: network down, server unreachable, or an answer we could not read.
    #[error("{message}")]
    Transport { message: String },
}

impl AppError {
    /// The sentence a person reads, in pt-BR.
    pub fn user_message(&self) -> String {
        match self {
            Self::Validation { message, .. } => message.clone(),
            Self::Forbidden => "Você não tem permissão para fazer isso.".into(),
            Self::NotFound => "Não encontramos o que você procurou.".into(),
            Self::Conflict { message } | Self::LimitReached { message } => message.clone(),
            Self::Unexpected { request_id } => {
                format!("Algo deu errado do nosso lado. Se precisar de ajuda, informe o código {request_id}.")
            }
            Self::Transport { .. } => {
                "Não foi possível falar com o servidor. Verifique sua conexão e tente de novo.".into()
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs an unexpected failure with its context and the request id, and returns the opaque error the user sees.
    pub fn unexpected(context: &str, error: impl std::fmt::Display) -> Self {
        let request_id = crate::platform::context::request_id();
        tracing::error!(%request_id, error = %error, "{context}");
        Self::Unexpected { request_id }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport { message: value.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unexpected_errors_tell_the_user_the_request_id() {
        let error = AppError::Unexpected { request_id: "abc-123".into() };
        assert!(error.user_message().contains("abc-123"));
    }
}
