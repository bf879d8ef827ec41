//! Outgoing e-mail (password reset and invitation links). In development the message is written to the log,
//! so a person running `make run` can follow the link; with SMTP configured the server hands in its sender.

use std::{future::Future, pin::Pin};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
#[error("could not send e-mail: {0}")]
pub struct MailerError(pub String);

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), MailerError>> + Send + 'a>>;

pub trait Mailer: Send + Sync {
    fn send(&self, mail: Mail) -> SendFuture<'_>;
}

/// Development sender: logs the whole message (links included). Never used when SMTP is configured.
#[derive(Debug, Default)]
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send(&self, mail: Mail) -> SendFuture<'_> {
        Box::pin(async move {
            tracing::info!(to = %mail.to, subject = %mail.subject, body = %mail.body, "e-mail (development: logged, not sent)");
            Ok(())
        })
    }
}
