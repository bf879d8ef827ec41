//! `/:tenant/configuracoes/pagamentos-teste` (development): create test charges at the fake Asaas and mark them
//! paid, overdue or refunded; watch our side follow through the webhook. With the real Asaas configured the page
//! does not exist (404, like its server functions).

use leptos::prelude::*;

use super::{
    api::{CreateTestCharge, SimulateTestPayment, list_test_payments},
    types::{TestCharge, TestPayments, status_label},
};
use crate::i18n::{Text, format_brl, format_date, t, ts, use_locale};
use crate::platform::{AppError, auth::Role, layout::Allowed, pages::NotFoundPage};
use crate::ui::{
    Badge, Button, ButtonKind, Card, EmptyState, ErrorAlert, FOCUS_RING, PageHeader, SkeletonRows, TableScroll, Tone,
    toast_outcome,
};

const TITLE: Text = Text::new("Pagamentos de teste", "Test payments");
const SUBTITLE: Text = Text::new(
    "Ambiente de desenvolvimento: o Asaas aqui é simulado. Crie uma cobrança e marque-a como paga, vencida ou \
     estornada — o simulador envia o webhook como o Asaas real e o Atrium atualiza o pagamento.",
    "Development environment: Asaas is simulated here. Create a charge and mark it paid, overdue or refunded — the \
     simulator sends the webhook like the real Asaas and Atrium updates the payment.",
);
const NEW_PIX: Text = Text::new("Nova cobrança PIX (R$ 150,00)", "New PIX charge (R$ 150.00)");
const NEW_BOLETO: Text = Text::new("Novo boleto (R$ 890,00)", "New boleto (R$ 890.00)");
const REFRESH: Text = Text::new("Atualizar", "Refresh");
const EMPTY: Text = Text::new("Nenhuma cobrança de teste", "No test charges");
const EMPTY_TEXT: Text =
    Text::new("Crie uma cobrança acima para experimentar.", "Create a charge above to try it out.");
const CHARGE: Text = Text::new("Cobrança", "Charge");
const VALUE: Text = Text::new("Valor", "Amount");
const DUE: Text = Text::new("Vencimento", "Due");
const AT_PROVIDER: Text = Text::new("No Asaas", "At Asaas");
const HERE: Text = Text::new("No Atrium", "In Atrium");
const WAITING_EVENT: Text = Text::new("aguardando evento", "awaiting event");
const MARK_PAID: Text = Text::new("Pago", "Paid");
const MARK_OVERDUE: Text = Text::new("Vencido", "Overdue");
const MARK_REFUNDED: Text = Text::new("Estornado", "Refunded");
const CREATED: Text = Text::new("Cobrança criada.", "Charge created.");
const SENT: Text =
    Text::new("Webhook enviado; o Atrium processa em instantes.", "Webhook sent; Atrium processes it shortly.");

crate::lazy_page!(
    /// The fake Asaas's console, in its own chunk.
    pub TestPaymentsRoute => TestPaymentsPage
);

#[component]
pub fn TestPaymentsPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE>
            <TestPaymentsView />
        </Allowed>
    }
}

#[component]
fn TestPaymentsView() -> impl IntoView {
    let payments = Resource::new(|| (), |()| list_test_payments());
    let reload = Callback::new(move |()| payments.refetch());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <Button kind=ButtonKind::Secondary test_id="test-payments-refresh" on_click=reload>{t(REFRESH)}</Button>
        </PageHeader>
        <Suspense fallback=|| view! { <SkeletonRows rows=3 columns=6 /> }>
            {move || Suspend::new(async move {
                match payments.await {
                    Ok(payments) => view! { <Charges payments reload /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Charges(payments: TestPayments, reload: Callback<()>) -> impl IntoView {
    let create = ServerAction::<CreateTestCharge>::new();
    Effect::new(move || toast_outcome(create.value().get().map(|result| result.map(|()| CREATED)), || reload.run(())));
    let busy = create.pending();
    view! {
        <div class="space-y-4">
            <div class="flex flex-wrap gap-2">
                <Button busy test_id="new-pix-charge" on_click=Callback::new(move |()| { create.dispatch(CreateTestCharge { billing: "PIX".into() }); })>{t(NEW_PIX)}</Button>
                <Button kind=ButtonKind::Secondary busy test_id="new-boleto-charge" on_click=Callback::new(move |()| { create.dispatch(CreateTestCharge { billing: "BOLETO".into() }); })>{t(NEW_BOLETO)}</Button>
            </div>
            {if payments.charges.is_empty() {
                view! { <EmptyState title=ts(EMPTY) description=ts(EMPTY_TEXT) /> }.into_any()
            } else {
                view! {
                    <Card flush=true>
                        <TableScroll>
                        <table class="min-w-full text-sm" data-testid="test-charges">
                            <thead class="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                                <tr>
                                    <th scope="col" class="px-5 py-2 font-medium">{t(CHARGE)}</th>
                                    <th scope="col" class="px-3 py-2 text-right font-medium">{t(VALUE)}</th>
                                    <th scope="col" class="px-3 py-2 font-medium">{t(DUE)}</th>
                                    <th scope="col" class="px-3 py-2 font-medium">{t(AT_PROVIDER)}</th>
                                    <th scope="col" class="px-3 py-2 font-medium">{t(HERE)}</th>
                                    <th scope="col" class="px-3 py-2"><span class="sr-only">"Ações"</span></th>
                                </tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {payments.charges.into_iter().map(|charge| view! { <ChargeRow charge reload /> }).collect_view()}
                            </tbody>
                        </table>
                        </TableScroll>
                    </Card>
                }
                .into_any()
            }}
        </div>
    }
    .into_any()
}

fn status_badge(code: Option<String>) -> impl IntoView {
    let locale = use_locale();
    match code {
        None => {
            view! { <span class="whitespace-nowrap text-xs italic text-slate-400">{t(WAITING_EVENT)}</span> }.into_any()
        }
        Some(code) => {
            let tone = match code.as_str() {
                "RECEIVED" | "RECEIVED_IN_CASH" | "CONFIRMED" => Tone::Success,
                "OVERDUE" => Tone::Danger,
                "REFUNDED" | "REFUND_REQUESTED" | "REFUND_IN_PROGRESS" => Tone::Warning,
                _ => Tone::Neutral,
            };
            let label =
                status_label(&code).map_or_else(|| code.clone(), |label| label.get(locale.get_untracked()).to_string());
            view! { <span title=code.clone() data-status=code><Badge tone>{label}</Badge></span> }.into_any()
        }
    }
}

#[component]
fn ChargeRow(charge: TestCharge, reload: Callback<()>) -> impl IntoView {
    let simulate = ServerAction::<SimulateTestPayment>::new();
    Effect::new(move || toast_outcome(simulate.value().get().map(|result| result.map(|()| SENT)), || reload.run(())));
    let id = charge.id.clone();
    let action = move |outcome: &'static str| {
        let id = id.clone();
        Callback::new(move |()| {
            simulate.dispatch(SimulateTestPayment { charge_id: id.clone(), outcome: outcome.into() });
        })
    };
    let busy: Signal<bool> = simulate.pending().into();
    view! {
        <tr data-testid="test-charge" data-charge-id=charge.id.clone()>
            <td class="px-5 py-2">
                <span class="font-medium text-slate-900">{charge.billing.clone()}</span>
                <span class="block font-mono text-xs text-slate-500">{charge.id.clone()}</span>
            </td>
            <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-900">{format_brl(charge.value_cents)}</td>
            <td class="px-3 py-2 tabular-nums text-slate-700">{format_date(charge.due_date)}</td>
            <td class="px-3 py-2" data-testid="provider-status">{status_badge(Some(charge.provider_status.clone()))}</td>
            <td class="px-3 py-2" data-testid="our-status">{status_badge(charge.our_status.clone())}</td>
            <td class="px-3 py-2">
                <div class="flex justify-end gap-1">
                    <SmallButton test_id="mark-paid" busy on_click=action("paid") label=MARK_PAID />
                    <SmallButton test_id="mark-overdue" busy on_click=action("overdue") label=MARK_OVERDUE />
                    <SmallButton test_id="mark-refunded" busy on_click=action("refunded") label=MARK_REFUNDED />
                </div>
            </td>
        </tr>
    }
}

/// A compact row action, so the three of them fit beside the statuses on a laptop screen.
#[component]
fn SmallButton(test_id: &'static str, busy: Signal<bool>, on_click: Callback<()>, label: Text) -> impl IntoView {
    view! {
        <button
            type="button"
            data-testid=test_id
            class=format!("whitespace-nowrap rounded-md px-2 py-1 text-xs font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:opacity-60 {FOCUS_RING}")
            disabled=move || busy.get()
            on:click=move |_| on_click.run(())
        >
            {t(label)}
        </button>
    }
}
