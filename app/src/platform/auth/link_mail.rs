//! The e-mails that carry a password link (reset, invitation). They are never sent inside a request: the request
//! enqueues a `PasswordLinkMail` job in its own transaction, and the job creates the link and sends the e-mail
//! (retried with backoff, visible on the jobs page). So a reset request answers the same, just as fast, whether
//! the e-mail exists or not, and an SMTP outage never shows to whoever asked.
//!
//! The link's token is made when the job runs, not when it is enqueued: the payload (shown on the jobs page) only
//! names the person, never a secret.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Mail, hash_token, new_token, store};
use crate::platform::{jobs::Job, tenancy::TenantTx};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    Reset,
    Invite,
    /// A student's e-mail address: following the link marks it verified (enrollment's sign-up).
    VerifyEmail,
}

impl LinkPurpose {
    /// The code stored in `password_tokens.purpose`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::Invite => "invite",
            Self::VerifyEmail => "verify_email",
        }
    }

    fn valid_for_hours(self) -> i32 {
        match self {
            Self::Reset => 1,
            Self::Invite => 24 * 7,
            Self::VerifyEmail => 48,
        }
    }
}

/// Job: e-mail `user_id` a fresh password link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLinkMail {
    pub user_id: Uuid,
    pub purpose: LinkPurpose,
    /// For invitations: who invited (named in the e-mail).
    #[serde(default)]
    pub invited_by: Option<String>,
}

impl Job for PasswordLinkMail {
    const KIND: &'static str = "auth.password_link_mail";
}

/// The link that lets a person choose a password: `<public_url>/<tenant>/redefinir-senha?token=…`.
pub fn password_link_url(public_url: &str, tenant_slug: &str, token: &str) -> String {
    format!("{}/{tenant_slug}/redefinir-senha?token={token}", public_url.trim_end_matches('/'))
}

/// The link that verifies a student's e-mail: `<public_url>/<tenant>/verificar-email?token=…`.
pub fn verify_email_url(public_url: &str, tenant_slug: &str, token: &str) -> String {
    format!("{}/{tenant_slug}/verificar-email?token={token}", public_url.trim_end_matches('/'))
}

/// Creates the link in `tx` (the caller commits it before sending) and writes the e-mail; `None` when there is nothing to send any more
/// (the person was deactivated, or already accepted the invitation, since the job was enqueued).
pub async fn compose(tx: &mut TenantTx, job: &PasswordLinkMail, public_url: &str) -> Result<Option<Mail>, sqlx::Error> {
    let Some(account) = store::find_by_id(tx.conn(), job.user_id).await? else { return Ok(None) };
    let accepted = account.password_hash.is_some();
    let verified = job.purpose == LinkPurpose::VerifyEmail
        && crate::enrollment::store::students::email_verified(tx, account.id).await?;
    if !account.active || (job.purpose == LinkPurpose::Invite && accepted) || verified {
        return Ok(None);
    }
    let tenant = crate::platform::tenancy::store::find_by_id(tx.conn(), account.tenant_id).await?;
    let token = new_token();
    let purpose = job.purpose;
    store::insert_token(
        tx.conn(),
        tenant.id,
        account.id,
        purpose.code(),
        &hash_token(&token),
        purpose.valid_for_hours(),
    )
    .await?;
    let link = match purpose {
        LinkPurpose::VerifyEmail => verify_email_url(public_url, &tenant.slug, &token),
        LinkPurpose::Reset | LinkPurpose::Invite => password_link_url(public_url, &tenant.slug, &token),
    };
    let mail = match purpose {
        LinkPurpose::Reset => Mail {
            to: account.email.clone(),
            subject: format!("Redefinir sua senha no Atrium · {}", tenant.name),
            body: format!(
                "Olá, {}.\n\nPara criar uma nova senha, abra este link (vale por 1 hora):\n{link}\n\n\
                 Se não foi você quem pediu, ignore este e-mail: sua senha continua a mesma.",
                account.name
            ),
        },
        LinkPurpose::Invite => Mail {
            to: account.email.clone(),
            subject: format!("Convite para o Atrium · {}", tenant.name),
            body: format!(
                "Olá, {}.\n\n{} convidou você para o Atrium de {}.\nPara criar sua senha, abra este link (vale por 7 \
                 dias):\n{link}",
                account.name,
                job.invited_by.as_deref().unwrap_or("A equipe"),
                tenant.name
            ),
        },
        LinkPurpose::VerifyEmail => Mail {
            to: account.email.clone(),
            subject: format!("Confirme seu e-mail · {}", tenant.name),
            body: format!(
                "Olá, {}.\n\nPara confirmar seu e-mail e poder enviar sua inscrição em {}, abra este link (vale por \
                 48 horas):\n{link}\n\nSe não foi você quem se cadastrou, ignore este e-mail.",
                account.name, tenant.name
            ),
        },
    };
    Ok(Some(mail))
}
