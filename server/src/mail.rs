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

/// Runs `auth.password_link_mail` jobs: makes the link in the job's transaction and sends the e-mail. A mail
/// server that is down or refuses is a retry (with backoff; after the last attempt the job waits on the jobs page),
/// never an error shown to whoever asked for the link.
#[derive(Clone)]
pub struct PasswordLinkMailHandler {
    mailer: std::sync::Arc<dyn Mailer>,
    /// `ATRIUM_PUBLIC_URL` (or the listening address): links point here, never at a request's `Host`.
    public_url: String,
}

impl std::fmt::Debug for PasswordLinkMailHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordLinkMailHandler").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}

impl PasswordLinkMailHandler {
    pub fn new(mailer: std::sync::Arc<dyn Mailer>, public_url: impl Into<String>) -> Self {
        Self { mailer, public_url: public_url.into() }
    }
}

impl crate::jobs::JobHandler for PasswordLinkMailHandler {
    type Job = app::platform::auth::PasswordLinkMail;

    fn settings(&self) -> crate::jobs::JobSettings {
        // One e-mail per attempt (never batched: a batch-mate's failure would send it twice); SMTP gets a minute.
        crate::jobs::JobSettings {
            timeout: std::time::Duration::from_secs(60),
            max_attempts: 10,
            ..crate::jobs::JobSettings::default()
        }
    }

    async fn run(&self, job: Self::Job, context: &mut crate::jobs::JobContext) -> Result<(), crate::jobs::JobError> {
        // The link is made and committed in a short transaction of its own, then the e-mail goes out with no
        // transaction open (SMTP may be slow). A failed send leaves an unused link that expires; the retry makes
        // a fresh one.
        let mut tx = app::platform::tenancy::TenantTx::begin(context.pool(), context.tenant_id).await?;
        let Some(mail) = app::platform::auth::link_mail::compose(&mut tx, &job, &self.public_url).await? else {
            return Ok(());
        };
        tx.commit().await?;
        self.mailer.send(mail).await.map_err(crate::jobs::JobError::retry)
    }
}

/// Runs `enrollment.application_mail` jobs: tells a student their application moved (submitted, changes
/// requested with the reasons, approved, rejected). Like the link e-mails: read in a short transaction, sent with
/// none open, a refusing mail server is a retry.
#[derive(Clone)]
pub struct ApplicationMailHandler {
    mailer: std::sync::Arc<dyn Mailer>,
    /// The status page the e-mail links to lives here.
    public_url: String,
}

impl std::fmt::Debug for ApplicationMailHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplicationMailHandler").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}

impl ApplicationMailHandler {
    pub fn new(mailer: std::sync::Arc<dyn Mailer>, public_url: impl Into<String>) -> Self {
        Self { mailer, public_url: public_url.into() }
    }
}

impl crate::jobs::JobHandler for ApplicationMailHandler {
    type Job = app::enrollment::mail::ApplicationMail;

    fn settings(&self) -> crate::jobs::JobSettings {
        // One e-mail per attempt, never batched (a batch-mate's failure would send it twice).
        crate::jobs::JobSettings { timeout: std::time::Duration::from_secs(60), ..crate::jobs::JobSettings::default() }
    }

    async fn run(&self, job: Self::Job, context: &mut crate::jobs::JobContext) -> Result<(), crate::jobs::JobError> {
        let mail = {
            let mut tx = app::platform::tenancy::TenantTx::begin(context.pool(), context.tenant_id).await?;
            app::enrollment::mail::compose(&mut tx, &job, &self.public_url).await?
        };
        match mail {
            Some(mail) => self.mailer.send(mail).await.map_err(crate::jobs::JobError::retry),
            None => Ok(()),
        }
    }
}
