//! Organization sign-up and the owner's module switches.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::types::Modules;
use crate::platform::{AppError, fields::Password};

#[cfg(feature = "ssr")]
const SLUG_TAKEN: crate::i18n::Text = crate::i18n::Text::new(
    "Este endereço já está em uso. Escolha outro.",
    "This address is already taken. Choose another.",
);

#[cfg(feature = "ssr")]
const TOO_MANY_SIGN_UPS: crate::i18n::Text = crate::i18n::Text::new(
    "Muitos cadastros a partir desta rede. Tente de novo mais tarde.",
    "Too many sign-ups from this network. Try again later.",
);

/// What the sign-up form sends. No plan: every organization starts on the starter plan (plans change through
/// billing, and until it exists only an operator changes one). `Debug` shows no password (`Password`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpForm {
    pub organization: String,
    pub slug: String,
    pub name: String,
    pub email: String,
    pub password: Password,
}

/// What a refused plain sign-up hands back to the page (`platform::form_echo`): everything but the password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationEcho {
    pub organization: String,
    pub slug: String,
    pub name: String,
    pub email: String,
}

impl From<&SignUpForm> for OrganizationEcho {
    fn from(form: &SignUpForm) -> Self {
        Self {
            organization: form.organization.clone(),
            slug: form.slug.clone(),
            name: form.name.clone(),
            email: form.email.clone(),
        }
    }
}

/// The name the organization sign-up's echo is kept under.
pub const SIGN_UP_ECHO: &str = "organization-sign-up";

/// Creates the organization and its owner in one transaction, signs the owner in, and answers their home path.
/// Every module starts on; the owner can switch them in Configurações. Limited per client address. An address left
/// blank is the one suggested for the organization's name. The page ships no wasm: a plain post that was taken goes
/// to the owner's home; a refused one back to the page with the error and what was typed (never the password).
#[server(endpoint = "tenancy/sign_up")]
pub async fn sign_up(form: SignUpForm) -> Result<String, AppError> {
    let result = create_organization(&form).await;
    crate::platform::form_echo::keep_on_refusal(&result, SIGN_UP_ECHO, &OrganizationEcho::from(&form));
    if let Ok(home) = &result {
        crate::platform::auth::redirect_plain_post(home);
    }
    result
}

#[cfg(feature = "ssr")]
async fn create_organization(form: &SignUpForm) -> Result<String, AppError> {
    use crate::platform::{
        audit,
        auth::{self, Role, SessionUser},
        context,
        fields::{Email, NewPassword, OrganizationName, PersonName, Slug},
        tenancy::{Plan, TenantTx, store},
    };

    let context = context::server_context()?;
    let organization =
        OrganizationName::parse(&form.organization).map_err(|message| AppError::invalid("organization", message))?;
    let slug = match form.slug.trim() {
        "" => suggest_slug(&form.organization),
        typed => typed.to_string(),
    };
    let slug = Slug::parse(&slug).map_err(|message| AppError::invalid("slug", message))?;
    let name = PersonName::parse(&form.name).map_err(|message| AppError::invalid("name", message))?;
    let email = Email::parse(&form.email).map_err(|message| AppError::invalid("email", message))?;
    let password = NewPassword::parse_for(form.password.expose(), Some(email.as_str()))
        .map_err(|message| AppError::invalid("password", message))?;
    // Cheap early answer for a taken slug (the unique constraint still decides under a race).
    if store::find_by_slug(&context.pool, slug.as_str()).await?.is_some() {
        return Err(AppError::invalid("slug", SLUG_TAKEN));
    }
    let client = auth::current_client_addr();
    if context.limits.sign_ups.check(client).is_err() {
        tracing::warn!(%client, "organization sign-up rate limited");
        return Err(AppError::limit(TOO_MANY_SIGN_UPS.get(context::request_locale())));
    }
    let hash = context.passwords.hash(password.expose().to_string()).await?;

    let tenant_id = uuid::Uuid::now_v7();
    let modules = Modules { enrollment: true, crm: true, finance: true };
    let mut tx = TenantTx::begin(&context.pool, tenant_id).await?;
    let new_tenant = store::NewTenant {
        id: tenant_id,
        slug: slug.as_str(),
        name: organization.as_str(),
        plan: Plan::Starter,
        modules,
    };
    store::insert(tx.conn(), &new_tenant).await?;
    let account = auth::store::NewAccount {
        name: name.as_str(),
        email: email.as_str(),
        role: Role::Owner,
        password_hash: Some(&hash),
    };
    let user_id = auth::store::insert(tx.conn(), tenant_id, &account).await?;
    let details = serde_json::json!({ "slug": slug.as_str(), "plan": Plan::Starter.code() });
    audit::record(&mut tx, Some(user_id), "tenant.signed_up", organization.as_str(), details).await?;
    tx.commit().await?;

    auth::start_session(SessionUser { user_id, tenant_id, version: 0 }).await?;
    Ok(Role::Owner.home_path(slug.as_str()))
}

/// The owner switches modules on or off for their tenant.
#[server(endpoint = "tenancy/modules")]
pub async fn set_modules(modules: Modules) -> Result<Modules, AppError> {
    use crate::platform::{
        audit,
        auth::{Role, require},
        tenancy::store,
    };
    let mut access = require(&[Role::Owner]).await?;
    let tenant_id = access.tx.tenant_id();
    if !store::set_modules(access.tx.conn(), tenant_id, modules).await? {
        return Err(AppError::NotFound);
    }
    let details = serde_json::json!({
        "enrollment": modules.enrollment, "crm": modules.crm, "finance": modules.finance
    });
    audit::record(
        &mut access.tx,
        Some(access.viewer.user_id),
        "tenant.modules_changed",
        &access.viewer.tenant.slug,
        details,
    )
    .await?;
    access.tx.commit().await?;
    crate::platform::context::server_context()?.directory.forget(crate::platform::directory::Change::Tenant(tenant_id));
    Ok(modules)
}

/// Suggests a slug for an organization name as it is typed (runs in the browser too: no server round trip).
pub fn suggest_slug(name: &str) -> String {
    crate::platform::fields::Slug::suggest(name).map(|slug| slug.to_string()).unwrap_or_default()
}
