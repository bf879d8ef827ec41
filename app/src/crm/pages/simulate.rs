//! `/:tenant/simular`: the public lead form (no sign-in, phone-first). The visitor leaves name, phone, the
//! financing they want and optional values, agrees to be contacted, and the lead shows on the board at once (or
//! joins the open lead with that phone).
//!
//! The page ships no wasm (`routes::server_rendered_only`): a visitor from an ad on a phone gets HTML and CSS, and
//! the form is a plain post (a refusal comes back with what was typed, `platform::form_echo`).
//!
//! `/:tenant/simular/embed` is the same form without the site's chrome, for an `<iframe>` on the tenant's own
//! website (see `crm::embed`): it posts to the embed endpoint, the one that accepts the tenant's site as Origin, with
//! `fetch` (it hydrates: cookies, the echo's included, are not sent to a cross-site frame).

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::crm::{
    api::{SIMULATE_ECHO, SubmitPublicLead},
    embed::SubmitEmbeddedLead,
    types::PublicLeadForm,
};
use crate::i18n::{Text, t, t_now, ts};
use crate::platform::{AppError, form_echo, layout::PublicFrame};
use crate::ui::{Button, FOCUS_RING, FormAlert, SelectField, TextField, field_error, form_error};

const TITLE: Text = Text::new("Simule seu financiamento", "Simulate your financing");
const INTRO: Text = Text::new(
    "Deixe seus dados e um consultor fala com você pelo WhatsApp.",
    "Leave your details and a consultant will reach you on WhatsApp.",
);
const NAME: Text = Text::new("Nome completo", "Full name");
const PHONE: Text = Text::new("Celular com DDD", "Mobile phone with area code");
const EMAIL: Text = Text::new("E-mail (opcional)", "E-mail (optional)");
const PRODUCT: Text = Text::new("Financiamento", "Financing");
const REAL_ESTATE: Text = Text::new("Imóvel", "Property");
const VEHICLE: Text = Text::new("Veículo", "Vehicle");
const VALUE: Text = Text::new("Valor do bem (opcional)", "Value (optional)");
const DOWN: Text = Text::new("Entrada (opcional)", "Down payment (optional)");
const INCOME: Text = Text::new("Renda mensal (opcional)", "Monthly income (optional)");
const CONSENT: Text = Text::new(
    "Concordo em ser contatado por telefone, WhatsApp ou e-mail sobre esta simulação. Meus dados são usados só para isso.",
    "I agree to be contacted by phone, WhatsApp or e-mail about this simulation. My data is used only for that.",
);
const SUBMIT: Text = Text::new("Quero ser contatado", "Contact me");
const DONE: Text = Text::new(
    "Recebemos seus dados! Um consultor vai falar com você em breve.",
    "We got your details! A consultant will reach you soon.",
);
const AGAIN: Text = Text::new("Enviar outra simulação", "Send another simulation");
const FIELDS: &[&str] = &["name", "phone", "email", "product", "value", "down_payment", "monthly_income", "consent"];

#[component]
pub fn SimulatePage() -> impl IntoView {
    let embedded = leptos_router::hooks::use_location().pathname.get_untracked().ends_with("/embed");
    if embedded {
        view! { <Title text=t_now(TITLE) /><main class="p-3"><SimulateForm embedded /></main> }.into_any()
    } else {
        view! { <Title text=t_now(TITLE) /><PublicFrame><SimulateForm embedded /></PublicFrame> }.into_any()
    }
}

#[component]
fn SimulateForm(embedded: bool) -> impl IntoView {
    let slug = crate::platform::pages::tenant_slug();
    // After a refused plain post, what was typed comes back (read once, on the server).
    let typed = form_echo::take::<PublicLeadForm>(SIMULATE_ECHO).unwrap_or_default();
    let fields = Fields::new(typed);
    let public = ServerAction::<SubmitPublicLead>::new();
    let embed = ServerAction::<SubmitEmbeddedLead>::new();
    let result = Signal::derive(move || if embedded { embed.value().get() } else { public.value().get() });
    let pending = Signal::derive(move || if embedded { embed.pending().get() } else { public.pending().get() });
    let query = leptos_router::hooks::use_query_map();
    let done = move || matches!(result.get(), Some(Ok(()))) || query.read().get(form_echo::SENT_PARAM).is_some();
    view! {
            <div class="rounded-xl border border-slate-200 bg-white p-5 shadow-xs sm:p-6">
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(INTRO)}</p>
                <Show
                    when=done
                    fallback=move || if embedded {
                        // Inside the tenant's site (an iframe): sent with `fetch` to the embed endpoint, which
                        // checks the site; the page hydrates.
                        let submit = move |event: leptos::ev::SubmitEvent| {
                            event.prevent_default();
                            embed.dispatch(SubmitEmbeddedLead { tenant: slug(), form: fields.typed() });
                        };
                        view! {
                            <form class="mt-6 space-y-4" on:submit=submit novalidate data-testid="simulate-form">
                                <FormFields fields result pending />
                            </form>
                        }.into_any()
                    } else {
                        // The public page ships no wasm: a plain post, answered with this page saying it was received
                        // (`?enviado=1`), or again with the error and what was typed.
                        view! {
                            <ActionForm action=public attr:class="mt-6 space-y-4" attr:novalidate=true attr:data-testid="simulate-form">
                                <input type="hidden" name="tenant" value=slug() />
                                <FormFields fields result pending />
                            </ActionForm>
                        }.into_any()
                    }
                >
                    <div class="mt-6 rounded-lg bg-emerald-50 px-3 py-3 text-sm text-emerald-800" role="status" data-testid="simulate-done">
                        <p>{t(DONE)}</p>
                        {(!embedded).then(|| view! {
                            <a href=format!("/{}/simular", slug()) class=format!("mt-2 inline-block font-medium text-emerald-900 underline {FOCUS_RING}")>{t(AGAIN)}</a>
                        })}
                    </div>
                </Show>
            </div>
    }
}

/// The form's values: typed into signals (the embedded form sends them; the plain form sends its inputs, named as
/// the server function's `form` argument).
#[derive(Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    product: RwSignal<String>,
    value: RwSignal<String>,
    down_payment: RwSignal<String>,
    monthly_income: RwSignal<String>,
    consent: RwSignal<bool>,
}

impl Fields {
    fn new(typed: PublicLeadForm) -> Self {
        let product = if typed.product.is_empty() { "real_estate".to_string() } else { typed.product };
        Self {
            name: RwSignal::new(typed.name),
            phone: RwSignal::new(typed.phone),
            email: RwSignal::new(typed.email),
            product: RwSignal::new(product),
            value: RwSignal::new(typed.value),
            down_payment: RwSignal::new(typed.down_payment),
            monthly_income: RwSignal::new(typed.monthly_income),
            consent: RwSignal::new(typed.consent),
        }
    }

    fn typed(self) -> PublicLeadForm {
        PublicLeadForm {
            name: self.name.get_untracked(),
            phone: self.phone.get_untracked(),
            email: self.email.get_untracked(),
            product: self.product.get_untracked(),
            value: self.value.get_untracked(),
            down_payment: self.down_payment.get_untracked(),
            monthly_income: self.monthly_income.get_untracked(),
            consent: self.consent.get_untracked(),
        }
    }
}

#[component]
fn FormFields(fields: Fields, result: Signal<Option<Result<(), AppError>>>, pending: Signal<bool>) -> impl IntoView {
    let products = vec![
        ("real_estate".to_string(), t_now(REAL_ESTATE).to_string()),
        ("vehicle".to_string(), t_now(VEHICLE).to_string()),
    ];
    let consent = fields.consent;
    view! {
        <TextField label=ts(NAME) name="form[name]" id="field-name" value=fields.name required=true autocomplete="name" error=field_error(result, "name") test_id="name" />
        <TextField label=ts(PHONE) name="form[phone]" id="field-phone" input_type="tel" value=fields.phone required=true autocomplete="tel" placeholder=Signal::stored("(83) 99999-1234".to_string()) error=field_error(result, "phone") test_id="phone" />
        <TextField label=ts(EMAIL) name="form[email]" id="field-email" input_type="email" value=fields.email autocomplete="email" error=field_error(result, "email") test_id="email" />
        <SelectField label=ts(PRODUCT) name="form[product]" id="field-product" options=products value=fields.product error=field_error(result, "product") test_id="product" />
        <TextField label=ts(VALUE) name="form[value]" id="field-value" value=fields.value placeholder=Signal::stored("250.000,00".to_string()) error=field_error(result, "value") test_id="value" />
        <TextField label=ts(DOWN) name="form[down_payment]" id="field-down_payment" value=fields.down_payment error=field_error(result, "down_payment") test_id="down-payment" />
        <TextField label=ts(INCOME) name="form[monthly_income]" id="field-monthly_income" value=fields.monthly_income error=field_error(result, "monthly_income") test_id="monthly-income" />
        <label class="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" name="form[consent]" value="true" class="mt-1" data-testid="consent"
                checked=consent.get_untracked() aria-invalid=move || field_error(result, "consent").get().map(|_| "true")
                on:change=move |ev| consent.set(event_target_checked(&ev)) />
            <span>{t(CONSENT)}</span>
        </label>
        <p class="text-sm text-rose-700">{move || field_error(result, "consent").get()}</p>
        <FormAlert message=form_error(result, FIELDS) />
        <Button button_type="submit" busy=pending test_id="simulate-submit">{t(SUBMIT)}</Button>
    }
}
