//! Server functions for signing in and out, the current viewer, and passwords.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::types::Viewer;
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::i18n::Text;
use crate::platform::{AppError, fields::Password, tenancy::types::TenantPublic};

#[cfg(feature = "ssr")]
const ENTER_EMAIL: Text = Text::new("Informe seu e-mail.", "Enter your e-mail.");
#[cfg(feature = "ssr")]
const ENTER_PASSWORD: Text = Text::new("Informe sua senha.", "Enter your password.");
#[cfg(feature = "ssr")]
const WRONG_CREDENTIALS: Text = Text::new("E-mail ou senha incorretos.", "Wrong e-mail or password.");
#[cfg(feature = "ssr")]
const WRONG_CURRENT_PASSWORD: Text = Text::new("A senha atual não confere.", "The current password is wrong.");
#[cfg(feature = "ssr")]
const LINK_INVALID: Text = Text::new(
    "Este link não vale mais: ele já foi usado ou expirou. Peça um novo.",
    "This link is no longer valid: it was used or has expired. Ask for a new one.",
);

/// The links that set a password.
#[cfg(feature = "ssr")]
const PASSWORD_LINKS: &[super::LinkPurpose] = &[super::LinkPurpose::Reset, super::LinkPurpose::Invite];

/// Public facts about a tenant, for its sign-in pages. `NotFound` for an unknown slug.
#[server(endpoint = "auth/tenant")]
pub async fn find_tenant(slug: String) -> Result<TenantPublic, AppError> {
    let context = crate::platform::context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, &slug).await?;
    tenant.map(|tenant| tenant.public()).ok_or(AppError::NotFound)
}

/// The signed-in person for the pages of tenant `slug` (`None`: nobody, or somebody of another tenant);
/// `NotFound` when no tenant has that slug.
#[server(endpoint = "auth/viewer")]
pub async fn current_viewer(slug: String) -> Result<Option<Viewer>, AppError> {
    let context = crate::platform::context::server_context()?;
    if context.directory.tenant_by_slug(&context.pool, &slug).await?.is_none() {
        return Err(AppError::NotFound);
    }
    super::current_viewer_for(&slug).await
}

/// The sign-in page's query parameter (and form field) naming the page that sent the person there.
pub const NEXT_PARAM: &str = "proximo";

/// Signs in and answers where the person goes now: back to the page that sent them to sign in (`proximo`) if it is
/// one of this tenant's, else their home (the session id changes, see `start_session`). A plain form post (the
/// sign-in page ships no wasm) is answered with a redirect there.
///
/// The stored hash is read in a short transaction and checked with no database connection held: a flood of
/// sign-ins waits for hashing slots, never on the pool that every other request needs.
#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(
    tenant: String,
    email: String,
    password: Password,
    #[server(default)] proximo: Option<String>,
) -> Result<String, AppError> {
    use super::{SessionUser, access};
    use crate::platform::{audit, context, tenancy};

    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, &tenant).await?.ok_or(AppError::NotFound)?;
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid("email", ENTER_EMAIL));
    }
    if password.is_empty() {
        return Err(AppError::invalid("password", ENTER_PASSWORD));
    }
    let client = super::current_client_addr();
    let attempt = context.limits.sign_in.begin(client, tenant.id, &email).map_err(|wait| {
        tracing::warn!(%client, tenant = %tenant.slug, "sign-in rate limited");
        AppError::limit(too_many(Door::SignIn, wait, context::request_locale()))
    })?;

    let mut tx = tenancy::TenantTx::begin(&context.pool, tenant.id).await?;
    let account = super::store::find_by_email(tx.conn(), &email).await?;
    tx.commit().await?;
    let stored = account.as_ref().filter(|account| account.active).and_then(|account| account.password_hash.clone());
    let matches = context.passwords.verify(password.expose().to_owned(), stored).await?;

    let mut tx = tenancy::TenantTx::begin(&context.pool, tenant.id).await?;
    let details = serde_json::json!({ "ip": client.to_string() });
    let Some(account) = account.filter(|_| matches) else {
        audit::record(&mut tx, None, "auth.sign_in_failed", &email, details).await?;
        tx.commit().await?;
        attempt.failed();
        return Err(AppError::invalid("form", WRONG_CREDENTIALS));
    };
    audit::record(&mut tx, Some(account.id), "auth.signed_in", &email, details).await?;
    tx.commit().await?;
    attempt.succeeded();

    access::start_session(SessionUser { user_id: account.id, tenant_id: tenant.id, version: account.session_version })
        .await?;
    let destination = proximo
        .filter(|next| next.starts_with(&format!("/{}/", tenant.slug)) && !next.contains("//"))
        .unwrap_or_else(|| account.role().home_path(&tenant.slug));
    // With wasm, the page follows the answer itself (a full load, so the new session's pages start clean).
    super::redirect_plain_post(&destination);
    Ok(destination)
}

/// Which limit a person met, for the message.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
enum Door {
    SignIn,
    Reset,
}

#[cfg(feature = "ssr")]
fn too_many(door: Door, wait: std::time::Duration, locale: Locale) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    match (locale, door) {
        (Locale::PtBr, door) => format!(
            "{} Por segurança, aguarde {minutes} {} e tente de novo.",
            match door {
                Door::SignIn => "Muitas tentativas de entrar.",
                Door::Reset => "Muitos pedidos de redefinição de senha.",
            },
            if minutes == 1 { "minuto" } else { "minutos" }
        ),
        (Locale::En, door) => format!(
            "{} For your safety, wait {minutes} {} and try again.",
            match door {
                Door::SignIn => "Too many sign-in attempts.",
                Door::Reset => "Too many password reset requests.",
            },
            if minutes == 1 { "minute" } else { "minutes" }
        ),
    }
}

/// Signs out and answers where to go (the tenant's sign-in page); a plain form post (a page without wasm) is
/// answered with a redirect there.
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<String, AppError> {
    use super::access;
    let destination = match access::signed_in().await? {
        Some(access) => format!("/{}/entrar", access.viewer.tenant.slug),
        None => "/".to_string(),
    };
    let session = access::session().await?;
    let ended = session.id().map(|id| crate::platform::live::publish::session_tag(&id));
    session.flush().await.map_err(access::session_error)?;
    // Its open sockets (`/ws`, in any process) close too; they would otherwise outlive the sign-out.
    if let Some(tag) = ended {
        let pool = crate::platform::context::server_context()?.pool;
        if let Err(error) = crate::platform::live::publish::session_ended(&pool, &tag).await {
            tracing::warn!(%error, "could not tell the live channel a session ended");
        }
    }
    super::redirect_plain_post(&destination);
    Ok(destination)
}

/// Changes the signed-in person's password. Their other sessions end and their open password links stop working;
/// this session goes on. No transaction is open while the passwords are hashed.
#[server(endpoint = "auth/change_password")]
pub async fn change_password(current: Password, new_password: Password) -> Result<(), AppError> {
    use super::{SessionUser, access};
    use crate::platform::{audit, context, directory::Change, fields::NewPassword, tenancy::TenantTx};

    let context = context::server_context()?;
    let mut access = access::require_signed_in().await?;
    let account = super::store::find_by_id(access.tx.conn(), access.viewer.user_id).await?.ok_or(AppError::NotFound)?;
    access.tx.commit().await?;
    let new_password = NewPassword::parse_for(new_password.expose(), Some(&account.email))
        .map_err(|message| AppError::invalid("new_password", message))?;
    if !context.passwords.verify(current.expose().to_owned(), account.password_hash.clone()).await? {
        return Err(AppError::invalid("current", WRONG_CURRENT_PASSWORD));
    }
    let hash = context.passwords.hash(new_password.expose().to_string()).await?;

    let mut tx = TenantTx::begin(&context.pool, account.tenant_id).await?;
    // Only if nothing changed the account meanwhile (another password change, a deactivation): that ended this
    // session, and the change must not undo it.
    let version = super::store::set_password(tx.conn(), account.id, &hash, Some(account.session_version))
        .await?
        .ok_or(AppError::Forbidden)?;
    audit::record(&mut tx, Some(account.id), "auth.password_changed", &account.email, serde_json::json!({})).await?;
    tx.commit().await?;
    context.directory.forget(Change::Person(account.id));

    access::start_session(SessionUser { user_id: account.id, tenant_id: account.tenant_id, version }).await
}

/// Sends a reset link if an active account has this e-mail. Answers the same either way, in the same short time:
/// the e-mail is sent by a job enqueued here (see `link_mail`), never while the request waits.
/// The forgot-password page ships no wasm (`routes::server_rendered_only`): a plain form post is answered with that
/// page again, saying the link went out (`form_echo::SENT_PARAM`), or with the error and the e-mail as typed.
#[server(endpoint = "auth/request_reset")]
pub async fn request_password_reset(tenant: String, email: String) -> Result<(), AppError> {
    let sent = send_reset_link(&tenant, &email).await;
    crate::platform::form_echo::keep_on_refusal(&sent, RESET_ECHO, &email);
    let slug = sent?;
    super::redirect_plain_post(&format!("/{slug}/esqueci-senha?{}=1", crate::platform::form_echo::SENT_PARAM));
    Ok(())
}

/// The name the forgot-password page's e-mail is kept under after a refusal.
pub const RESET_ECHO: &str = "password-reset";

/// `request_password_reset`'s work; answers the tenant's slug as stored (never the one typed) for the redirect.
#[cfg(feature = "ssr")]
async fn send_reset_link(tenant: &str, email: &str) -> Result<String, AppError> {
    use super::link_mail::{LinkPurpose, PasswordLinkMail};
    use crate::platform::{audit, context, fields::Email, jobs, tenancy};

    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, tenant).await?.ok_or(AppError::NotFound)?;
    let email = Email::parse(email).map_err(|message| AppError::invalid("email", message))?;
    let client = super::current_client_addr();
    if let Err(wait) = context.limits.resets.check(client, tenant.id, email.as_str()) {
        tracing::warn!(%client, tenant = %tenant.slug, "password reset requests rate limited");
        return Err(AppError::limit(too_many(Door::Reset, wait, context::request_locale())));
    }
    let mut tx = tenancy::TenantTx::begin(&context.pool, tenant.id).await?;
    let account = super::store::find_by_email(tx.conn(), email.as_str()).await?.filter(|account| account.active);
    if let Some(account) = account {
        let job = PasswordLinkMail { user_id: account.id, purpose: LinkPurpose::Reset, invited_by: None };
        jobs::enqueue(&mut tx, &job, jobs::EnqueueOptions::default()).await?;
        let details = serde_json::json!({ "ip": client.to_string() });
        audit::record(&mut tx, None, "auth.reset_requested", email.as_str(), details).await?;
    }
    tx.commit().await?;
    Ok(tenant.slug.clone())
}

/// What a password link is for, shown before the person types a new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLink {
    /// `true` for an invitation (first password), `false` for a reset.
    pub invitation: bool,
    pub name: String,
    pub email: String,
}

#[server(endpoint = "auth/password_link")]
pub async fn open_password_link(tenant: String, token: String) -> Result<PasswordLink, AppError> {
    use crate::platform::{context, tenancy};
    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, &tenant).await?.ok_or(AppError::NotFound)?;
    let mut tx = tenancy::TenantTx::begin(&context.pool, tenant.id).await?;
    let row = super::store::find_usable_token(tx.conn(), &super::hash_token(&token), PASSWORD_LINKS).await?;
    tx.commit().await?;
    let row = row.ok_or_else(|| AppError::conflict(LINK_INVALID))?;
    Ok(PasswordLink { invitation: row.purpose == "invite", name: row.name, email: row.email })
}

/// Sets a password from a link (reset or invitation), uses the link up, and signs the person in. The new password
/// is hashed between two short transactions; the second one checks the link again, so two submits of one link
/// cannot both use it.
#[server(endpoint = "auth/set_password")]
pub async fn set_password_from_link(tenant: String, token: String, new_password: Password) -> Result<String, AppError> {
    use super::{SessionUser, access};
    use crate::platform::{audit, context, directory::Change, fields::NewPassword, tenancy};

    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, &tenant).await?.ok_or(AppError::NotFound)?;
    let token_hash = super::hash_token(&token);
    let mut tx = tenancy::TenantTx::begin(&context.pool, tenant.id).await?;
    let link = super::store::find_usable_token(tx.conn(), &token_hash, PASSWORD_LINKS).await?;
    tx.commit().await?;
    let link = link.ok_or_else(|| AppError::conflict(LINK_INVALID))?;
    let new_password = NewPassword::parse_for(new_password.expose(), Some(&link.email))
        .map_err(|message| AppError::invalid("new_password", message))?;
    let hash = context.passwords.hash(new_password.expose().to_string()).await?;

    let mut tx = tenancy::TenantTx::begin(&context.pool, tenant.id).await?;
    let link = super::store::find_usable_token(tx.conn(), &token_hash, PASSWORD_LINKS)
        .await?
        .filter(|again| again.id == link.id)
        .ok_or_else(|| AppError::conflict(LINK_INVALID))?;
    let version = super::store::set_password(tx.conn(), link.user_id, &hash, None).await?.ok_or(AppError::NotFound)?;
    let action = if link.purpose == "invite" { "user.invitation_accepted" } else { "auth.password_reset" };
    audit::record(&mut tx, Some(link.user_id), action, &link.email, serde_json::json!({ "link": link.id })).await?;
    let account = super::store::find_by_id(tx.conn(), link.user_id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    context.directory.forget(Change::Person(link.user_id));

    access::start_session(SessionUser { user_id: link.user_id, tenant_id: tenant.id, version }).await?;
    let home = account.role().home_path(&tenant.slug);
    super::redirect_plain_post(&home);
    Ok(home)
}

/// Remembers the chosen language for a year in a cookie (also before signing in).
#[server(endpoint = "i18n/locale")]
pub async fn set_locale(locale: Locale) -> Result<(), AppError> {
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", crate::i18n::LOCALE_COOKIE, locale.tag());
    let value = http::HeaderValue::from_str(&cookie).map_err(|error| AppError::unexpected("locale cookie", error))?;
    response.append_header(http::header::SET_COOKIE, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::tenancy::api::{SignUp, SignUpForm};

    /// Server functions' argument structs derive `Debug` (leptos does it), and any of them may reach a log line.
    #[test]
    fn no_form_or_server_function_argument_shows_a_password_in_debug() {
        let secret = || Password::from("segredo muito bom".to_owned());
        let debugs = [
            format!(
                "{:?}",
                SignIn {
                    tenant: "famath".into(),
                    email: "ana@famath.example".into(),
                    password: secret(),
                    proximo: None
                }
            ),
            format!("{:?}", ChangePassword { current: secret(), new_password: secret() }),
            format!("{:?}", SetPasswordFromLink { tenant: "famath".into(), token: "t".into(), new_password: secret() }),
            format!(
                "{:?}",
                SignUp {
                    form: SignUpForm {
                        organization: "Colégio".into(),
                        slug: "colegio".into(),
                        name: "Helena".into(),
                        email: "helena@colegio.example".into(),
                        password: secret(),
                    },
                }
            ),
        ];
        for debug in debugs {
            assert!(!debug.contains("segredo"), "{debug}");
            assert!(debug.contains("redacted"), "{debug}");
        }
    }
}
