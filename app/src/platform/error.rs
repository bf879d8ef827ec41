//! The one error type that crosses the wire between server functions and the browser.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Text};

/// What a server function can answer instead of its value. Each variant is something the UI shows differently:
/// a field error next to its input, a refusal, a missing thing, a conflict to resolve, a limit (a plan's, or too
/// many attempts), or an opaque failure the user can quote to support by its request id.
///
/// Messages a server function writes (`Validation`, `Conflict`, `LimitReached`) are already in the language of
/// the request (the `atrium_lang` cookie).
///
/// On the wire: `{"kind":"validation","field":…,"message":…}`. It is read through [`AppErrorWire`], a flat struct:
/// serde reads an internally tagged enum by buffering the whole object first, and that buffering code was in the
/// main wasm every page loads only for this type and the live channel's messages (see `live::protocol`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "AppErrorWire")]
pub enum AppError {
    /// `field` is the input's `name`; the form shows `message` next to it. `field = "form"` is about the whole form.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    LimitReached { message: String },
    #[error("unexpected error (request {request_id})")]
    Unexpected { request_id: String },
    /// The call did not complete: network down, server unreachable, or an answer we could not read.
    #[error("{message}")]
    Transport { message: String },
}

/// How [`AppError`] is read: the same JSON, as one flat object whose `kind` says which fields must be there.
#[derive(Deserialize)]
struct AppErrorWire {
    kind: AppErrorKind,
    field: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AppErrorKind {
    Validation,
    Forbidden,
    NotFound,
    Conflict,
    LimitReached,
    Unexpected,
    Transport,
}

impl TryFrom<AppErrorWire> for AppError {
    type Error = &'static str;

    fn try_from(wire: AppErrorWire) -> Result<Self, Self::Error> {
        let AppErrorWire { kind, field, message, request_id } = wire;
        let message = || message.clone().ok_or("an error without its `message`");
        Ok(match kind {
            AppErrorKind::Validation => {
                Self::Validation { field: field.ok_or("a validation error without its `field`")?, message: message()? }
            }
            AppErrorKind::Forbidden => Self::Forbidden,
            AppErrorKind::NotFound => Self::NotFound,
            AppErrorKind::Conflict => Self::Conflict { message: message()? },
            AppErrorKind::LimitReached => Self::LimitReached { message: message()? },
            AppErrorKind::Unexpected => {
                Self::Unexpected { request_id: request_id.ok_or("an unexpected error without its `request_id`")? }
            }
            AppErrorKind::Transport => Self::Transport { message: message()? },
        })
    }
}

const FORBIDDEN: Text = Text::new("Você não tem permissão para fazer isso.", "You are not allowed to do that.");
const NOT_FOUND: Text = Text::new("Não encontramos o que você procurou.", "We could not find what you looked for.");
const TRANSPORT: Text = Text::new(
    "Não foi possível falar com o servidor. Verifique sua conexão e tente de novo.",
    "Could not reach the server. Check your connection and try again.",
);

impl AppError {
    /// The sentence a person reads.
    pub fn user_message(&self, locale: Locale) -> String {
        match self {
            Self::Validation { message, .. } | Self::Conflict { message } | Self::LimitReached { message } => {
                message.clone()
            }
            Self::Forbidden => FORBIDDEN.get(locale).into(),
            Self::NotFound => NOT_FOUND.get(locale).into(),
            Self::Unexpected { request_id } => match locale {
                Locale::PtBr => {
                    format!("Algo deu errado do nosso lado. Se precisar de ajuda, informe o código {request_id}.")
                }
                Locale::En => format!("Something went wrong on our side. If you need help, quote code {request_id}."),
            },
            Self::Transport { .. } => TRANSPORT.get(locale).into(),
        }
    }

    /// The message for `field`, if this is a validation error about it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation { field: name, message } if name == field => Some(message.clone()),
            _ => None,
        }
    }

    /// Whether this error belongs next to one of `fields` (so a form does not also show it at the top).
    pub fn is_about_any(&self, fields: &[&str]) -> bool {
        matches!(self, Self::Validation { field, .. } if fields.contains(&field.as_str()))
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

    /// A field error in the language of the request.
    pub fn invalid(field: &str, message: Text) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.get(crate::platform::context::request_locale()).into(),
        }
    }

    pub fn conflict(message: Text) -> Self {
        Self::Conflict { message: message.get(crate::platform::context::request_locale()).into() }
    }

    pub fn limit(message: impl Into<String>) -> Self {
        Self::LimitReached { message: message.into() }
    }

    /// A database error: a known constraint becomes the field error a person can fix (matched by constraint
    /// name, see `CONSTRAINTS`); anything else is unexpected.
    pub fn from_db(context: &str, error: sqlx::Error) -> Self {
        if let Some(constraint) = error.as_database_error().and_then(|db| db.constraint())
            && let Some((_, field, message)) = CONSTRAINTS.iter().find(|(name, _, _)| *name == constraint)
        {
            return Self::invalid(field, *message);
        }
        Self::unexpected(context, error)
    }
}

/// Constraints a person can run into with valid-looking input, and what to tell them.
#[cfg(feature = "ssr")]
const CONSTRAINTS: &[(&str, &str, Text)] = &[
    (
        "tenants_slug_key",
        "slug",
        Text::new("Este endereço já está em uso. Escolha outro.", "This address is already taken. Choose another."),
    ),
    (
        "users_email_key",
        "email",
        Text::new(
            "Já existe uma pessoa com este e-mail nesta instituição.",
            "Someone in this organization already uses this e-mail.",
        ),
    ),
    (
        "student_profiles_cpf_key",
        "cpf",
        Text::new(
            "Já existe um cadastro com este CPF. Entre com o seu e-mail e senha.",
            "This CPF is already registered. Sign in with your e-mail and password.",
        ),
    ),
];

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::from_db("database", error)
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
        assert!(error.user_message(Locale::PtBr).contains("abc-123"));
        assert!(error.user_message(Locale::En).contains("abc-123"));
    }

    #[test]
    fn field_errors_belong_to_their_field() {
        let error = AppError::Validation { field: "email".into(), message: "Informe um e-mail.".into() };
        assert_eq!(error.field_message("email").as_deref(), Some("Informe um e-mail."));
        assert_eq!(error.field_message("password"), None);
        assert!(error.is_about_any(&["name", "email"]));
        assert!(!AppError::Forbidden.is_about_any(&["email"]));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn errors_cross_the_wire_tagged_by_kind() {
        assert_eq!(serde_json::to_string(&AppError::Forbidden).unwrap(), r#"{"kind":"forbidden"}"#);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn every_error_reads_back_as_it_was_written_and_an_incomplete_one_is_refused() {
        let errors = [
            AppError::Validation { field: "email".into(), message: "Informe um e-mail.".into() },
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Conflict { message: "Já existe.".into() },
            AppError::LimitReached { message: "Limite.".into() },
            AppError::Unexpected { request_id: "abc-123".into() },
            AppError::Transport { message: "offline".into() },
        ];
        for error in errors {
            let json = serde_json::to_string(&error).unwrap();
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error, "{json}");
        }
        let validation = r#"{"kind":"validation","field":"cpf","message":"CPF inválido."}"#;
        assert_eq!(
            serde_json::from_str::<AppError>(validation).unwrap().field_message("cpf").as_deref(),
            Some("CPF inválido.")
        );
        assert!(serde_json::from_str::<AppError>(r#"{"kind":"validation","message":"sem campo"}"#).is_err());
        assert!(serde_json::from_str::<AppError>(r#"{"kind":"conflict"}"#).is_err());
        assert!(serde_json::from_str::<AppError>(r#"{"kind":"unheard_of"}"#).is_err());
    }
}
