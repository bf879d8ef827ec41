//! `/:tenant/simular`: the public lead form (no sign-in, phone-first). The visitor leaves name, phone, the
//! financing they want and optional values, agrees to be contacted, and the lead shows on the board at once (or
//! joins the open lead with that phone).
//!
//! `/:tenant/simular/embed` is the same form without the site's chrome, for an `<iframe>` on the tenant's own
//! website (see `crm::embed`): it posts to the embed endpoint, the one that accepts the tenant's site as Origin.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::crm::{api::SubmitPublicLead, embed::SubmitEmbeddedLead, types::PublicLeadForm};
use crate::i18n::{Text, t, t_now, ts};
use crate::platform::layout::PublicFrame;
use crate::ui::{Button, FormAlert, SelectField, TextField, field_error, form_error};

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
    let [name, phone, email, value, down_payment, monthly_income] = [(); 6].map(|()| RwSignal::new(String::new()));
    let product = RwSignal::new("real_estate".to_string());
    let consent = RwSignal::new(false);
    let public = ServerAction::<SubmitPublicLead>::new();
    let embed = ServerAction::<SubmitEmbeddedLead>::new();
    let result = Signal::derive(move || if embedded { embed.value().get() } else { public.value().get() });
    let pending = Signal::derive(move || if embedded { embed.pending().get() } else { public.pending().get() });
    let done = move || matches!(result.get(), Some(Ok(())));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let form = PublicLeadForm {
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            product: product.get_untracked(),
            value: value.get_untracked(),
            down_payment: down_payment.get_untracked(),
            monthly_income: monthly_income.get_untracked(),
            consent: consent.get_untracked(),
        };
        let tenant = slug();
        if embedded {
            embed.dispatch(SubmitEmbeddedLead { tenant, form });
        } else {
            public.dispatch(SubmitPublicLead { tenant, form });
        }
    };
    let products = vec![
        ("real_estate".to_string(), t_now(REAL_ESTATE).to_string()),
        ("vehicle".to_string(), t_now(VEHICLE).to_string()),
    ];
    view! {
            <div class="rounded-xl border border-slate-200 bg-white p-5 shadow-xs sm:p-6">
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(INTRO)}</p>
                <Show
                    when=done
                    fallback=move || view! {
                        <form class="mt-6 space-y-4" on:submit=submit novalidate data-testid="simulate-form">
                            <TextField label=ts(NAME) name="name" value=name required=true autocomplete="name" error=field_error(result, "name") test_id="name" />
                            <TextField label=ts(PHONE) name="phone" input_type="tel" value=phone required=true autocomplete="tel" placeholder=Signal::stored("(83) 99999-1234".to_string()) error=field_error(result, "phone") test_id="phone" />
                            <TextField label=ts(EMAIL) name="email" input_type="email" value=email autocomplete="email" error=field_error(result, "email") test_id="email" />
                            <SelectField label=ts(PRODUCT) name="product" options=products.clone() value=product error=field_error(result, "product") test_id="product" />
                            <TextField label=ts(VALUE) name="value" value=value placeholder=Signal::stored("250.000,00".to_string()) error=field_error(result, "value") test_id="value" />
                            <TextField label=ts(DOWN) name="down_payment" value=down_payment error=field_error(result, "down_payment") test_id="down-payment" />
                            <TextField label=ts(INCOME) name="monthly_income" value=monthly_income error=field_error(result, "monthly_income") test_id="monthly-income" />
                            <label class="flex items-start gap-2 text-sm text-slate-700">
                                <input type="checkbox" class="mt-1" data-testid="consent" prop:checked=consent on:change=move |ev| consent.set(event_target_checked(&ev)) />
                                <span>{t(CONSENT)}</span>
                            </label>
                            <p class="text-sm text-rose-700">{move || field_error(result, "consent").get()}</p>
                            <FormAlert message=form_error(result, FIELDS) />
                            <Button button_type="submit" busy=pending test_id="simulate-submit">{t(SUBMIT)}</Button>
                        </form>
                    }
                >
                    <p class="mt-6 rounded-lg bg-emerald-50 px-3 py-3 text-sm text-emerald-800" role="status" data-testid="simulate-done">{t(DONE)}</p>
                </Show>
            </div>
    }
}
