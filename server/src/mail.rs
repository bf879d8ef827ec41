//! The SMTP sender, used when `ATRIUM_SMTP_URL` is set (otherwise e-mails are written to the log, see
//! `app::platform::auth::LogMailer`). lettre does the protocol, STARTTLS / implicit TLS (rustls with the
//! Mozilla root store) and authentication; the URL says which: `smtps://user:pass@host:465`,
//! `smtp://user:pass@host:587?tls=required`, or plain `smtp://relay:25` for a local relay.

use app::platform::auth::{Mail, Mailer, MailerError, SendFuture};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpMailer {
    // Never print the transport: its URL carries the SMTP password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SmtpConfigError {
    #[error("ATRIUM_SMTP_URL is not a valid smtp:// or smtps:// URL")]
    Url,
    #[error("ATRIUM_MAIL_FROM is not a valid address (e.g. `Atrium <no-reply@example.com>`)")]
    From,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str) -> Result<Self, SmtpConfigError> {
        // The error text of a bad URL may echo it (password included), so it is dropped here.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|_| SmtpConfigError::Url)?.build();
        let from = from.parse().map_err(|_| SmtpConfigError::From)?;
        Ok(Self { transport, from })
    }
}

impl Mailer for SmtpMailer {
    fn send(&self, mail: Mail) -> SendFuture<'_> {
        Box::pin(async move {
            let to: Mailbox = mail.to.parse().map_err(|error| MailerError(format!("recipient: {error}")))?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(mail.subject)
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body)
                .map_err(|error| MailerError(format!("message: {error}")))?;
            self.transport.send(message).await.map(|_| ()).map_err(|error| MailerError(error.to_string()))
        })
    }
}
