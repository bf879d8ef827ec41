//! Server functions of a student's account: sign-up, e-mail verification and its "reenviar".

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::platform::{AppError, fields::Password};

/// What the student sign-up form sends. `Debug` shows no password (`Password`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentSignUpForm {
    pub name: String,
    pub cpf: String,
    pub email: String,
    pub phone: String,
    pub password: Password,
    /// The class chosen in the catalog, if the student came from there: the wizard starts with it.
    #[serde(default)]
    pub class_id: Option<Uuid>,
}

/// What a refused plain sign-up post keeps for the page (`platform::form_echo`): everything but the password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpEcho {
    pub name: String,
    pub cpf: String,
    pub email: String,
    pub phone: String,
}

impl From<&StudentSignUpForm> for SignUpEcho {
    fn from(form: &StudentSignUpForm) -> Self {
        Self { name: form.name.clone(), cpf: form.cpf.clone(), email: form.email.clone(), phone: form.phone.clone() }
    }
}

/// The name the sign-up's echo is kept under.
pub const SIGN_UP_ECHO: &str = "student-sign-up";

/// Whether the signed-in student's e-mail is verified (the portal's banner asks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailStatus {
    pub email: String,
    pub verified: bool,
}

#[cfg(feature = "ssr")]
const TOO_MANY_SIGN_UPS: crate::i18n::Text = crate::i18n::Text::new(
    "Muitos cadastros a partir desta rede. Tente de novo daqui a pouco.",
    "Too many sign-ups from this network. Try again in a while.",
);
#[cfg(feature = "ssr")]
const TOO_MANY_MAILS: crate::i18n::Text = crate::i18n::Text::new(
    "Já enviamos alguns e-mails de confirmação. Confira sua caixa de entrada e o spam, e tente de novo mais tarde.",
    "We already sent a few confirmation e-mails. Check your inbox and spam folder, and try again later.",
);

/// Creates a student account in tenant `tenant` (enrollment on), signs the student in and answers where to go:
/// the wizard with the chosen class, or the portal. The verification e-mail is a job. Limited per address.
#[server(endpoint = "enrollment/students/sign_up")]
pub async fn student_sign_up(tenant: String, form: StudentSignUpForm) -> Result<String, AppError> {
    use crate::platform::{auth, form_echo};
    let next = sign_up(&tenant, &form).await;
    form_echo::keep_on_refusal(&next, SIGN_UP_ECHO, &SignUpEcho::from(&form));
    if let Ok(next) = &next {
        auth::redirect_plain_post(next);
    }
    next
}

#[cfg(feature = "ssr")]
async fn sign_up(tenant: &str, form: &StudentSignUpForm) -> Result<String, AppError> {
    use crate::enrollment::students::{self, NewStudent};
    use crate::platform::{
        auth::{self, SessionUser},
        context,
        fields::{Cpf, Email, NewPassword, PersonName, Phone},
        tenancy::TenantTx,
    };

    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, tenant).await?.ok_or(AppError::NotFound)?;
    if !tenant.enrollment_enabled {
        return Err(AppError::NotFound);
    }
    let name = PersonName::parse(&form.name).map_err(|message| AppError::invalid("name", message))?;
    let cpf = Cpf::parse(&form.cpf).map_err(|message| AppError::invalid("cpf", message))?;
    let email = Email::parse(&form.email).map_err(|message| AppError::invalid("email", message))?;
    let phone = Phone::parse(&form.phone).map_err(|message| AppError::invalid("phone", message))?;
    let password = NewPassword::parse_for(form.password.expose(), Some(email.as_str()))
        .map_err(|message| AppError::invalid("password", message))?;
    let client = auth::current_client_addr();
    if context.limits.student_sign_ups.check(client).is_err() {
        tracing::warn!(%client, tenant = %tenant.slug, "student sign-up rate limited");
        return Err(AppError::limit(TOO_MANY_SIGN_UPS.get(context::request_locale())));
    }
    let hash = context.passwords.hash(password.expose().to_string()).await?;

    let mut tx = TenantTx::begin(&context.pool, tenant.id).await?;
    let student = NewStudent { name: &name, cpf: &cpf, email: &email, phone: &phone, password_hash: &hash };
    let user_id = students::sign_up(&mut tx, &student).await?;
    tx.commit().await?;

    auth::start_session(SessionUser { user_id, tenant_id: tenant.id, version: 0 }).await?;
    Ok(match form.class_id {
        Some(class_id) => crate::enrollment::links::apply_path(&tenant.slug, class_id, true),
        None => auth::Role::Student.home_path(&tenant.slug),
    })
}

/// Follows the verification link `token` of tenant `tenant`. No sign-in needed: the link may be opened on another
/// device than the one that signed up.
#[server(endpoint = "enrollment/students/verify_email")]
pub async fn verify_email(tenant: String, token: String) -> Result<(), AppError> {
    use crate::platform::{context, tenancy::TenantTx};
    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, &tenant).await?.ok_or(AppError::NotFound)?;
    let mut tx = TenantTx::begin(&context.pool, tenant.id).await?;
    crate::enrollment::students::verify_email(&mut tx, &token).await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in student's e-mail and whether it is verified.
#[server(endpoint = "enrollment/students/email_status")]
pub async fn my_email_status() -> Result<EmailStatus, AppError> {
    use crate::platform::auth::{self, Role};
    let mut access = auth::require(&[Role::Student]).await?;
    let verified = crate::enrollment::students::email_verified(&mut access.tx, access.viewer.user_id).await?;
    access.tx.commit().await?;
    Ok(EmailStatus { email: access.viewer.email, verified })
}

/// The portal's query parameter saying a new verification link went out (the answer to a plain form post).
pub const LINK_SENT_PARAM: &str = "link-enviado";

/// "Reenviar": a new verification link for the signed-in student, limited like password-reset requests. A plain
/// form post (the portal home ships no wasm) is answered with the portal again, saying the link went out.
#[server(endpoint = "enrollment/students/resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::platform::{
        auth::{self, Role},
        context,
    };
    let context = context::server_context()?;
    let mut access = auth::require(&[Role::Student]).await?;
    let client = auth::current_client_addr();
    let viewer = &access.viewer;
    if context.limits.verification_mails.check(client, viewer.tenant.id, &viewer.email).is_err() {
        return Err(AppError::limit(TOO_MANY_MAILS.get(context::request_locale())));
    }
    if !crate::enrollment::students::email_verified(&mut access.tx, viewer.user_id).await? {
        crate::enrollment::students::send_verification(&mut access.tx, viewer.user_id).await?;
    }
    let portal = format!("/{}/portal?{LINK_SENT_PARAM}=1", viewer.tenant.slug);
    access.tx.commit().await?;
    auth::redirect_plain_post(&portal);
    Ok(())
}
