//! `/:tenant/portal/inscricao/:id/pagamento`: the student pays the enrollment fee, on a phone. The page reads the
//! application's charge (`payment_page`), so a reload shows the charge already made rather than a new button; it
//! watches the application's live topic and reads again on every event (and after a reconnect or a gap), so the
//! confirmation appears without the student reloading when the webhook enrolls the application. Plain HTML
//! (`routes::server_rendered_only`): its small script (`shell/enhance.js`) copies the codes and reloads the page
//! on the topic's events; reached by client-side navigation, the wasm does both.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::{
    api::payment_page,
    choose::Choose,
    how_to_pay::HowToPay,
    types::{ChargeView, PaymentSummary},
};
use crate::enrollment::{
    components::status_tone,
    links::{certificate_path, status_path},
    types::ApplicationStatus,
};
use crate::i18n::{Text, format_brl, t, ts};
use crate::platform::{
    AppError,
    auth::Role,
    layout::Allowed,
    live::{Topic, use_live},
    tenancy::Module,
};
use crate::ui::{Badge, Card, ErrorAlert, FOCUS_RING, PageHeader, SkeletonRows};

pub const TITLE: Text = Text::new("Pagamento da matrícula", "Enrollment payment");
const AMOUNT: Text = Text::new("Taxa de matrícula", "Enrollment fee");
const PAYER: Text = Text::new("Responsável financeiro", "Payer");
const CPF: Text = Text::new("CPF", "CPF");
const CONFIRMED: Text = Text::new("Pagamento confirmado — matrícula realizada", "Payment confirmed — you are enrolled");
const CONFIRMED_TEXT: Text = Text::new(
    "Recebemos o pagamento. Seu comprovante de matrícula já pode ser aberto e impresso.",
    "We received the payment. Your enrollment certificate can be opened and printed.",
);
const OPEN_CERTIFICATE: Text = Text::new("Abrir comprovante de matrícula", "Open the enrollment certificate");
const WAITING: Text = Text::new("Aguardando confirmação do pagamento…", "Waiting for the payment to be confirmed…");
const WAITING_TEXT: Text = Text::new(
    "Pode deixar esta página aberta: ela muda sozinha quando o pagamento for confirmado. Se sair, volte por aqui.",
    "You may leave this page open: it changes by itself once the payment is confirmed. If you leave, come back here.",
);
const NOT_PAYABLE: Text = Text::new(
    "Esta inscrição não está aguardando pagamento. Veja o andamento dela.",
    "This application is not awaiting payment. See where it stands.",
);
const SEE_STATUS: Text = Text::new("Ver andamento da inscrição", "See the application");

#[component]
pub fn PaymentPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Student] module=Module::Enrollment>
            <Payment />
        </Allowed>
    }
}

#[component]
fn Payment() -> impl IntoView {
    let params = use_params_map();
    let tenant = move || params.read().get("tenant").unwrap_or_default();
    let application = move || params.read().get("id").and_then(|id| id.parse::<Uuid>().ok());
    let summary = Resource::new(application, |id| async move {
        match id {
            Some(id) => payment_page(id).await,
            None => Err(AppError::NotFound),
        }
    });
    // The webhook's job publishes on the application's topic when its charge changes; a reconnect or a gap in the
    // events runs this too, so a confirmation missed while the phone slept still shows.
    if let Some(id) = params.with_untracked(|params| params.get("id")).and_then(|id| id.parse::<Uuid>().ok()) {
        use_live(Topic::Application(id)).on_change(move || summary.refetch());
    }
    let reload = Callback::new(move |()| summary.refetch());
    view! {
        <div class="mx-auto max-w-xl">
            <PageHeader title=ts(TITLE) />
            // A transition, not a suspense: reading again after an event keeps the page as it is until the answer.
            <Transition fallback=|| view! { <SkeletonRows rows=5 columns=1 test_id="payment-loading" /> }>
                {move || Suspend::new(async move {
                    match (summary.await, application()) {
                        (Ok(summary), Some(id)) => view! { <Loaded tenant=tenant() id summary reload /> }.into_any(),
                        (Err(error), _) => view! { <ErrorAlert error /> }.into_any(),
                        (Ok(_), None) => view! { <ErrorAlert error=AppError::NotFound /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Loaded(tenant: String, id: Uuid, summary: PaymentSummary, reload: Callback<()>) -> impl IntoView {
    let paid = summary.is_paid();
    let can_choose = summary.can_choose();
    let body = if paid {
        view! { <Confirmed href=certificate_path(&tenant, id) /> }.into_any()
    } else if let Some(charge) = summary.charge.clone() {
        view! { <Waiting id charge /> }.into_any()
    } else if can_choose {
        view! { <Choose id fee_cents=summary.fee_cents max_installments=summary.max_installments done=reload /> }
            .into_any()
    } else {
        view! {
            <div class="mt-4 text-sm text-slate-700" data-testid="payment-not-payable">
                <p>{t(NOT_PAYABLE)}</p>
                <a href=status_path(&tenant, id) class=format!("mt-2 inline-block font-semibold text-indigo-700 hover:text-indigo-600 {FOCUS_RING}")>
                    {t(SEE_STATUS)}
                </a>
            </div>
        }
        .into_any()
    };
    // Once paid the status reads "Matriculado" even if the page read the charge a moment before the enrollment.
    let status = if paid { ApplicationStatus::Enrolled } else { summary.status };
    view! {
        <Card>
            <div class="flex items-start justify-between gap-3">
                <div class="min-w-0">
                    <p class="text-lg font-semibold text-slate-900">{summary.course_name.clone()}</p>
                    <p class="text-sm text-slate-600">{summary.term.clone()}</p>
                </div>
                <span data-testid="payment-status" data-status=status.code()>
                    <Badge tone=status_tone(status)>{t(status.label())}</Badge>
                </span>
            </div>
            <dl class="mt-4 grid grid-cols-1 gap-3 border-t border-slate-100 pt-4 text-sm sm:grid-cols-2">
                <div>
                    <dt class="text-slate-500">{t(AMOUNT)}</dt>
                    <dd class="text-xl font-semibold tabular-nums text-slate-900" data-testid="payment-amount">{format_brl(summary.fee_cents)}</dd>
                </div>
                <div data-testid="payment-payer">
                    <dt class="text-slate-500">{t(PAYER)}</dt>
                    <dd class="font-medium text-slate-900">{summary.payer_name.clone()}</dd>
                    <dd class="text-slate-600 tabular-nums">{t(CPF)}" "{summary.payer_cpf.clone()}</dd>
                </div>
            </dl>
            {body}
        </Card>
    }
}

#[component]
fn Confirmed(href: String) -> impl IntoView {
    view! {
        <div class="mt-4 rounded-lg bg-emerald-50 p-4 text-emerald-900" role="status" data-testid="payment-confirmed">
            <p class="font-semibold">{t(CONFIRMED)}</p>
            <p class="mt-1 text-sm">{t(CONFIRMED_TEXT)}</p>
            <a href=href data-testid="payment-certificate" class=format!("mt-3 inline-flex w-full items-center justify-center rounded-md bg-emerald-700 px-3.5 py-2.5 text-sm font-semibold text-white hover:bg-emerald-600 sm:w-auto {FOCUS_RING}")>
                {t(OPEN_CERTIFICATE)}
            </a>
        </div>
    }
}

/// The charge made, how to pay it, and a quiet word that the page is waiting for the confirmation. The plain page
/// (no wasm) watches the application's topic through `shell/enhance.js` (`data-live-topic`), which reloads it
/// when the charge changes.
#[component]
fn Waiting(id: Uuid, charge: ChargeView) -> impl IntoView {
    view! {
        <HowToPay charge />
        <div class="mt-4 flex items-start gap-2 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600" role="status" aria-live="polite" data-testid="payment-waiting"
            data-live-topic=Topic::Application(id).to_string()>
            <span aria-hidden="true" class="mt-1 size-3 shrink-0 animate-spin rounded-full border-2 border-slate-400 border-r-transparent motion-reduce:animate-none"></span>
            <div>
                <p class="font-medium text-slate-700">{t(WAITING)}</p>
                <p class="text-xs">{t(WAITING_TEXT)}</p>
            </div>
        </div>
    }
}
