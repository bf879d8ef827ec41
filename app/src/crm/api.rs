//! CRM server functions. Every one starts with `require_crm()` (owner, staff and consultants of a tenant with the
//! CRM on; anyone else 403) and leaves the rules to the `leads` service. What a consultant reads of someone else's
//! lead is the card only: the private fields come back as `details: None`.

use leptos::prelude::*;
use uuid::Uuid;

use super::types::{Board, BoardFilter, LeadCard, LeadForm, LeadView, PublicLeadForm};
use crate::platform::AppError;

#[cfg(feature = "ssr")]
use crate::platform::auth::Access;

/// The signed-in person who may work the CRM, and a transaction for their tenant.
#[cfg(feature = "ssr")]
pub async fn require_crm() -> Result<Access, AppError> {
    use crate::platform::{auth::Role, tenancy::Module};
    crate::platform::auth::require(&[Role::Owner, Role::Staff, Role::Consultant]).await?.module(Module::Crm)
}

/// One pipeline's board (the filter's, or the first), with the cards the filter keeps.
#[server(endpoint = "crm/board")]
pub async fn load_board(#[server(default)] filter: BoardFilter) -> Result<Board, AppError> {
    use super::{leads::Actor, store};
    let mut access = require_crm().await?;
    let pipelines = store::pipelines(access.tx.conn()).await?;
    let pipeline = filter.pick(&pipelines).ok_or(AppError::NotFound)?;
    let stages = store::stages(access.tx.conn(), pipeline.id).await?;
    let cards = store::cards(access.tx.conn(), pipeline.id, &filter, access.viewer.user_id).await?;
    let consultants = store::people(access.tx.conn()).await?;
    access.tx.commit().await?;
    let manages = Actor::of(&access.viewer).manages();
    Ok(Board { pipelines, pipeline, stages, cards, consultants, viewer_id: access.viewer.user_id, manages })
}

/// A lead for the drawer: its card for anyone on the board; its private fields, notes and timeline only for its
/// consultant, staff and owner.
#[server(endpoint = "crm/leads/get")]
pub async fn lead(id: Uuid) -> Result<LeadView, AppError> {
    let mut access = require_crm().await?;
    let view = view(&mut access, id).await?;
    access.tx.commit().await?;
    Ok(view)
}

/// Moves a card to `stage_id`, just below `after` (the top when absent), based on the card at `version`.
#[server(endpoint = "crm/leads/move")]
pub async fn move_lead(
    id: Uuid,
    stage_id: Uuid,
    #[server(default)] after: Option<Uuid>,
    version: i64,
) -> Result<LeadCard, AppError> {
    use super::leads::{self, Actor, Move};
    let mut access = require_crm().await?;
    leads::move_lead(&mut access.tx, Actor::of(&access.viewer), id, Move { stage_id, after, version }).await?;
    let card = super::store::card(access.tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    access.tx.commit().await?;
    Ok(card)
}

/// Saves the drawer's fields (validated: name, phone, e-mail, CPF, amounts), based on the lead at `version`.
#[server(endpoint = "crm/leads/update")]
pub async fn update_lead(id: Uuid, version: i64, form: LeadForm) -> Result<LeadView, AppError> {
    use super::leads::{self, Actor};
    let mut access = require_crm().await?;
    let edit = parse_edit(&form)?;
    leads::edit(&mut access.tx, Actor::of(&access.viewer), id, version, &edit).await?;
    let view = view(&mut access, id).await?;
    access.tx.commit().await?;
    Ok(view)
}

#[server(endpoint = "crm/leads/note")]
pub async fn add_note(id: Uuid, body: String) -> Result<LeadView, AppError> {
    use super::leads::{self, Actor};
    let mut access = require_crm().await?;
    leads::add_note(&mut access.tx, Actor::of(&access.viewer), id, &body).await?;
    let view = view(&mut access, id).await?;
    access.tx.commit().await?;
    Ok(view)
}

/// Assigns the lead to `owner_id` (none: unassigned). Staff and owner assign; a consultant only takes an
/// unassigned lead.
#[server(endpoint = "crm/leads/assign")]
pub async fn assign(id: Uuid, #[server(default)] owner_id: Option<Uuid>) -> Result<LeadView, AppError> {
    use super::leads::{self, Actor};
    let mut access = require_crm().await?;
    leads::assign(&mut access.tx, Actor::of(&access.viewer), id, owner_id).await?;
    let view = view(&mut access, id).await?;
    access.tx.commit().await?;
    Ok(view)
}

/// The public form of tenant `tenant` (CRM on; no sign-in): creates a lead from the web form, or attaches to the
/// open lead with that phone; it shows on the board at once. Limited per client address.
#[server(endpoint = "crm/public/lead")]
pub async fn submit_public_lead(tenant: String, form: PublicLeadForm) -> Result<(), AppError> {
    let result = public_lead(&tenant, &form).await;
    // The page ships no wasm: a refused plain post keeps what was typed, a taken one goes back saying so (the slug
    // named a tenant with the CRM on, or the lead would have been refused).
    crate::platform::form_echo::keep_on_refusal(&result, SIMULATE_ECHO, &form);
    if result.is_ok() {
        let sent = crate::platform::form_echo::SENT_PARAM;
        crate::platform::auth::redirect_plain_post(&format!("/{tenant}/simular?{sent}=1"));
    }
    result
}

/// The name under which a refused plain post of the public form keeps what was typed (`platform::form_echo`).
pub const SIMULATE_ECHO: &str = "simulate";

/// The public form's rules, shared by the page's form and the one embedded in the tenant's site (`embed`).
#[cfg(feature = "ssr")]
pub(crate) async fn public_lead(tenant: &str, form: &PublicLeadForm) -> Result<(), AppError> {
    use super::{
        leads::{self, NewLead},
        types::{Product, Source},
    };
    use crate::platform::{
        auth, context,
        fields::{Email, PersonName, Phone},
        tenancy::TenantTx,
    };
    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, tenant).await?.ok_or(AppError::NotFound)?;
    if !tenant.crm_enabled {
        return Err(AppError::NotFound);
    }
    let name = PersonName::parse(&form.name).map_err(|message| AppError::invalid("name", message))?;
    let phone = Phone::parse(&form.phone).map_err(|message| AppError::invalid("phone", message))?;
    let email = optional(&form.email, |text| Email::parse(text).map(|email| email.as_str().to_string()), "email")?;
    let product = Product::from_code(&form.product).ok_or_else(|| AppError::invalid("product", PRODUCT_REQUIRED))?;
    if !form.consent {
        return Err(AppError::invalid("consent", CONSENT_REQUIRED));
    }
    let lead = NewLead {
        name: name.as_str().to_string(),
        phone,
        email,
        product,
        value_cents: amount(&form.value, "value")?,
        down_payment_cents: amount(&form.down_payment, "down_payment")?,
        monthly_income_cents: amount(&form.monthly_income, "monthly_income")?,
        source: Source::WebForm,
        owner_id: None,
    };
    let client = auth::current_client_addr();
    if context.limits.public_leads.check(client).is_err() {
        tracing::warn!(%client, tenant = %tenant.slug, "public lead form rate limited");
        return Err(AppError::limit(TOO_MANY_LEADS.get(context::request_locale())));
    }
    let mut tx = TenantTx::begin(&context.pool, tenant.id).await?;
    leads::create(&mut tx, None, &lead).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(feature = "ssr")]
async fn view(access: &mut Access, id: Uuid) -> Result<LeadView, AppError> {
    use super::{leads::Actor, store};
    let card = store::card(access.tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    let (product, source) = store::product_and_source(access.tx.conn(), id).await?.ok_or(AppError::NotFound)?;
    let details = match Actor::of(&access.viewer).works(card.owner_id) {
        true => store::details(access.tx.conn(), id).await?,
        false => None,
    };
    Ok(LeadView { card, product, source, details })
}

#[cfg(feature = "ssr")]
fn parse_edit(form: &LeadForm) -> Result<super::leads::Edit, AppError> {
    use crate::platform::fields::{Cpf, Email, Phone};
    let name = form.name.trim();
    if name.chars().count() < 2 || name.chars().count() > 120 {
        return Err(AppError::invalid("name", NAME_REQUIRED));
    }
    let phone = Phone::parse(&form.phone).map_err(|message| AppError::invalid("phone", message))?;
    let email = optional(&form.email, |text| Email::parse(text).map(|email| email.as_str().to_string()), "email")?;
    let cpf = optional(&form.cpf, |text| Cpf::parse(text).map(|cpf| cpf.digits().to_string()), "cpf")?;
    Ok(super::leads::Edit {
        name: name.to_string(),
        phone,
        email,
        cpf,
        value_cents: amount(&form.value, "value")?,
        down_payment_cents: amount(&form.down_payment, "down_payment")?,
        monthly_income_cents: amount(&form.monthly_income, "monthly_income")?,
    })
}

/// An optional field: empty is none, anything else must parse.
#[cfg(feature = "ssr")]
fn optional<T>(
    input: &str,
    parse: impl Fn(&str) -> Result<T, crate::i18n::Text>,
    field: &str,
) -> Result<Option<T>, AppError> {
    match input.trim() {
        "" => Ok(None),
        text => parse(text).map(Some).map_err(|message| AppError::invalid(field, message)),
    }
}

/// An optional amount in reais (`1.234,56`), never negative.
#[cfg(feature = "ssr")]
pub(crate) fn amount(input: &str, field: &str) -> Result<Option<i64>, AppError> {
    let cents = optional(input, crate::finance::fields::parse_cents, field)?;
    match cents {
        Some(cents) if cents < 0 => Err(AppError::invalid(field, NOT_NEGATIVE)),
        cents => Ok(cents),
    }
}

#[cfg(feature = "ssr")]
const NAME_REQUIRED: crate::i18n::Text =
    crate::i18n::Text::new("Informe o nome (de 2 a 120 caracteres).", "Enter the name (2 to 120 characters).");
#[cfg(feature = "ssr")]
const NOT_NEGATIVE: crate::i18n::Text =
    crate::i18n::Text::new("O valor não pode ser negativo.", "The amount cannot be negative.");
#[cfg(feature = "ssr")]
const PRODUCT_REQUIRED: crate::i18n::Text = crate::i18n::Text::new("Escolha o financiamento.", "Choose the financing.");
#[cfg(feature = "ssr")]
const CONSENT_REQUIRED: crate::i18n::Text = crate::i18n::Text::new(
    "Para falarmos com você, marque que concorda em ser contatado.",
    "To reach you, tick that you agree to be contacted.",
);
#[cfg(feature = "ssr")]
const TOO_MANY_LEADS: crate::i18n::Text = crate::i18n::Text::new(
    "Recebemos muitos pedidos deste endereço. Tente de novo mais tarde.",
    "We received too many requests from this address. Try again later.",
);
