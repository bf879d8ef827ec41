//! `Messenger` over Z-API, on the outbound kit (dependency `zapi`). Sends are never retried: Z-API has no
//! idempotency key, and a retried send after a timeout could reach the student twice.

use app::platform::integrations::messenger::{
    Messenger, MessengerError, MessengerFuture, MessengerSession, SentMessage,
};
use serde::{Deserialize, Serialize};

use crate::integrations::outbound::{Idempotency, OutboundClient, OutboundError, OutboundSettings};

pub const DEPENDENCY: &str = "zapi";

#[derive(Clone)]
pub struct ZapiSettings {
    /// `ZapiSettings::PRODUCTION` or a fake's `base_url()`.
    pub base_url: String,
    /// The account's security token (`Client-Token` header), when the account has one enabled.
    pub client_token: Option<String>,
    pub outbound: OutboundSettings,
}

impl std::fmt::Debug for ZapiSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZapiSettings").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl ZapiSettings {
    pub const PRODUCTION: &str = "https://api.z-api.io";

    pub fn new(base_url: impl Into<String>, client_token: Option<String>) -> Self {
        Self { base_url: base_url.into(), client_token, outbound: OutboundSettings::default() }
    }
}

/// One client for every tenant and session (the session comes with each call). Clones share the breaker.
#[derive(Clone)]
pub struct ZapiClient {
    base_url: String,
    client_token: Option<String>,
    http: OutboundClient,
}

impl std::fmt::Debug for ZapiClient {
    // The client token is a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZapiClient").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct TextBody<'a> {
    phone: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DocumentBody<'a> {
    phone: &'a str,
    document: &'a str,
    file_name: &'a str,
}

#[derive(Serialize)]
struct ImageBody<'a> {
    phone: &'a str,
    image: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
}

/// Z-API's answer to a send: `{"zaapId": "…", "messageId": "…", "id": "…"}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendResponse {
    #[serde(default)]
    pub zaap_id: String,
    pub message_id: String,
    #[serde(default)]
    pub id: String,
}

impl ZapiClient {
    pub fn new(settings: ZapiSettings) -> Result<Self, OutboundError> {
        Ok(Self {
            base_url: settings.base_url.trim_end_matches('/').to_string(),
            client_token: settings.client_token,
            http: OutboundClient::new(DEPENDENCY, settings.outbound)?,
        })
    }

    pub fn outbound(&self) -> &OutboundClient {
        &self.http
    }

    async fn send(
        &self,
        session: &MessengerSession,
        action: &str,
        body: &impl Serialize,
    ) -> Result<SentMessage, MessengerError> {
        let url = format!(
            "{}/instances/{}/token/{}/{action}",
            self.base_url,
            path_segment(&session.instance_id)?,
            path_segment(&session.token)?
        );
        let mut request = self.http.post(&url).json(body);
        if let Some(token) = &self.client_token {
            request = request.header("Client-Token", token);
        }
        let response = self.http.send(request, Idempotency::Unsafe).await.map_err(messenger_error)?;
        let answer: SendResponse = response
            .json()
            .await
            .map_err(|error| MessengerError::Unexpected(format!("z-api answer: {}", error.without_url())))?;
        Ok(SentMessage { message_id: answer.message_id })
    }
}

impl Messenger for ZapiClient {
    fn send_text<'a>(&'a self, session: &'a MessengerSession, phone: &'a str, text: &'a str) -> MessengerFuture<'a> {
        Box::pin(async move { self.send(session, "send-text", &TextBody { phone, message: text }).await })
    }

    fn send_document<'a>(
        &'a self,
        session: &'a MessengerSession,
        phone: &'a str,
        url: &'a str,
        file_name: &'a str,
    ) -> MessengerFuture<'a> {
        Box::pin(async move {
            let extension = extension(file_name)?;
            let body = DocumentBody { phone, document: url, file_name };
            self.send(session, &format!("send-document/{extension}"), &body).await
        })
    }

    fn send_image<'a>(
        &'a self,
        session: &'a MessengerSession,
        phone: &'a str,
        url: &'a str,
        caption: Option<&'a str>,
    ) -> MessengerFuture<'a> {
        Box::pin(async move { self.send(session, "send-image", &ImageBody { phone, image: url, caption }).await })
    }
}

/// Instance ids and tokens go into the path: only Z-API's alphabet (letters and digits) may.
fn path_segment(value: &str) -> Result<&str, MessengerError> {
    if !value.is_empty() && value.len() <= 128 && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(value)
    } else {
        Err(MessengerError::Rejected { message: "invalid Z-API instance or token".into() })
    }
}

/// `Histórico.PDF` → `pdf`: Z-API wants the document's extension in the path.
fn extension(file_name: &str) -> Result<String, MessengerError> {
    file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .filter(|extension| {
            !extension.is_empty() && extension.len() <= 8 && extension.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        .ok_or_else(|| MessengerError::Rejected { message: format!("the file name needs an extension: {file_name}") })
}

/// Down, slow or overloaded ⇒ `Unavailable`; a 4xx ⇒ `Rejected` with Z-API's `error` / `message`.
pub fn messenger_error(error: OutboundError) -> MessengerError {
    #[derive(Deserialize)]
    struct ZapiErrorBody {
        error: Option<String>,
        message: Option<String>,
    }
    match &error {
        OutboundError::Status { status, body_excerpt, .. } if status.is_client_error() && !error.is_transient() => {
            let body = serde_json::from_str::<ZapiErrorBody>(body_excerpt).ok();
            let message = body
                .and_then(|b| b.error.or(b.message))
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| format!("HTTP {status}"));
            MessengerError::Rejected { message }
        }
        _ if error.is_transient() => MessengerError::Unavailable { dependency: DEPENDENCY },
        _ => MessengerError::Unexpected(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_extensions_come_from_the_file_name() {
        assert_eq!(extension("Histórico Escolar.PDF").ok().as_deref(), Some("pdf"));
        assert_eq!(extension("contrato.v2.docx").ok().as_deref(), Some("docx"));
        assert!(extension("sem-extensao").is_err());
        assert!(extension("x./etc").is_err());
    }

    #[test]
    fn path_segments_refuse_anything_but_letters_and_digits() {
        assert!(path_segment("3C0FFEE42").is_ok());
        assert!(path_segment("../admin").is_err());
        assert!(path_segment("").is_err());
    }
}
