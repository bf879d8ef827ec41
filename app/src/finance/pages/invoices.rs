//! `/:tenant/financeiro/faturas`: a credit card's invoices (open, closed, paid), each with its total, due date and
//! purchases, and "Pagar fatura": a transfer from a bank account for what is left (never a second expense).

use chrono::Datelike;
use leptos::prelude::*;
use uuid::Uuid;

use super::shared::{FinanceTabs, account_options};
use crate::finance::{
    api::{PayInvoice, card_invoices},
    types::{Account, CardInvoices, Invoice, InvoiceStatus},
};
use crate::i18n::{Text, format_brl, format_date, t, t_now, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, Card, Cell, Column, DataTable, EmptyState, ErrorAlert, FormAlert, PageHeader, SelectField,
    SkeletonRows, TextField, Tone, field_error, form_error, use_toaster,
};

const TITLE: Text = Text::new("Faturas do cartão", "Card invoices");
const SUBTITLE: Text = Text::new(
    "Cada compra entra na fatura que fecha no dia dela ou depois. Pagar a fatura é uma transferência do banco, não uma nova despesa.",
    "Each purchase goes into the invoice closing on its day or later. Paying the invoice is a transfer from the bank, not another expense.",
);
const CARD: Text = Text::new("Cartão", "Card");
const NO_CARD: Text = Text::new("Nenhum cartão de crédito", "No credit card");
const NO_CARD_TEXT: Text =
    Text::new("Crie um cartão em Contas para ver as faturas.", "Create a card under Accounts to see its invoices.");
const NO_INVOICES: Text = Text::new("Nenhuma compra neste cartão ainda", "No purchases on this card yet");
const NO_INVOICES_TEXT: Text = Text::new(
    "Lance despesas na conta do cartão e elas aparecem aqui.",
    "Book expenses on the card and they show here.",
);
const INVOICE: Text = Text::new("Fatura", "Invoice");
const CLOSES: Text = Text::new("Fecha em", "Closes on");
const DUE: Text = Text::new("Vence em", "Due on");
const TOTAL: Text = Text::new("Total", "Total");
const PAID: Text = Text::new("Pago", "Paid");
const DATE: Text = Text::new("Data", "Date");
const DESCRIPTION: Text = Text::new("Descrição", "Description");
const CATEGORY: Text = Text::new("Categoria", "Category");
const AMOUNT: Text = Text::new("Valor", "Amount");
const PAY_FROM: Text = Text::new("Pagar com", "Pay from");
const PAY_DATE: Text = Text::new("Data do pagamento (vazio: hoje)", "Payment date (empty: today)");
const PAY: Text = Text::new("Pagar fatura", "Pay invoice");
const PAYED: Text = Text::new("Fatura paga por transferência.", "Invoice paid by transfer.");

#[component]
pub fn InvoicesPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <Invoices />
        </Allowed>
    }
}

#[component]
fn Invoices() -> impl IntoView {
    // The card shown: empty means the first one (the server picks it).
    let card = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let data =
        Resource::new(move || (card.get(), version.get()), |(card, _)| card_invoices(Uuid::parse_str(&card).ok()));
    let reload = Callback::new(move |()| version.update(|version| *version += 1));
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <FinanceTabs current="/faturas" />
        <Transition fallback=|| view! { <SkeletonRows rows=4 columns=4 /> }>
            {move || data.get().map(|answer| match answer {
                Ok(data) => view! { <CardInvoicesView data card reload /> }.into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CardInvoicesView(data: CardInvoices, card: RwSignal<String>, reload: Callback<()>) -> impl IntoView {
    let Some(shown) = data.card else {
        return view! { <EmptyState title=ts(NO_CARD) description=ts(NO_CARD_TEXT) /> }.into_any();
    };
    let choices = Signal::stored(account_options(&data.cards));
    let chosen = RwSignal::new(shown.id.to_string());
    Effect::new(move || {
        let picked = chosen.get();
        if picked != card.get_untracked() && picked != shown.id.to_string() {
            card.set(picked);
        }
    });
    let days = shown.closing_day.zip(shown.due_day).map(|(closing, due)| {
        format!("Fecha dia {closing}, vence dia {due} · saldo {}", format_brl(shown.balance_cents))
    });
    let payers = data.payers;
    let invoices = data.invoices;
    view! {
        <div class="mb-4 flex flex-wrap items-end gap-4">
            <div class="w-64"><SelectField label=ts(CARD) name="card" options=choices value=chosen test_id="invoice-card" /></div>
            <p class="pb-2 text-sm text-slate-600" data-testid="card-summary">{days}</p>
        </div>
        {if invoices.is_empty() {
            view! { <EmptyState title=ts(NO_INVOICES) description=ts(NO_INVOICES_TEXT) /> }.into_any()
        } else {
            view! {
                <div class="space-y-4" data-testid="invoices">
                    {invoices
                        .into_iter()
                        .enumerate()
                        .map(|(index, invoice)| {
                            view! { <InvoiceView invoice card=shown.id payers=payers.clone() expanded=index < 2 reload /> }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }}
    }
    .into_any()
}

fn status_tone(status: InvoiceStatus) -> Tone {
    match status {
        InvoiceStatus::Open => Tone::Info,
        InvoiceStatus::Closed => Tone::Warning,
        InvoiceStatus::Paid => Tone::Success,
    }
}

#[component]
fn InvoiceView(
    invoice: Invoice,
    card: Uuid,
    payers: Vec<Account>,
    expanded: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let month = format!("{:02}/{}", invoice.closing_date.month(), invoice.closing_date.year());
    let columns = vec![
        Column::number("date", DATE),
        Column::text("description", DESCRIPTION),
        Column::text("category", CATEGORY),
        Column::number("amount", AMOUNT),
    ];
    let rows: Vec<Vec<Cell>> = invoice
        .items
        .iter()
        .map(|item| {
            vec![
                Cell::number(format_date(item.date), i64::from(item.date.num_days_from_ce())),
                Cell::text(item.description.clone()),
                Cell::text(item.category.clone()),
                Cell::brl(item.amount_cents),
            ]
        })
        .collect();
    let payable = invoice.status != InvoiceStatus::Paid && invoice.remaining_cents() > 0;
    let closing = invoice.closing_date;
    view! {
        <Card>
            <details open=expanded data-testid="invoice" data-closing=closing.to_string() data-status=format!("{:?}", invoice.status)>
                <summary class="flex cursor-pointer flex-wrap items-center gap-x-6 gap-y-1">
                    <span class="font-semibold text-slate-900"><span>{t(INVOICE)}</span>" "<span>{month}</span></span>
                    <Badge tone=status_tone(invoice.status)>{t(invoice.status.label())}</Badge>
                    <Figure label=CLOSES value=format_date(closing) />
                    <Figure label=DUE value=format_date(invoice.due_date) />
                    <span class="ml-auto text-sm text-slate-600" data-testid="invoice-total">
                        <Figure label=TOTAL value=format_brl(invoice.total_cents) />
                    </span>
                    {(invoice.paid_cents > 0).then(|| view! { <Figure label=PAID value=format_brl(invoice.paid_cents) /> })}
                </summary>
                <div class="mt-3 space-y-3">
                    <DataTable columns rows=rows page_size=10 />
                    {payable.then(|| view! { <PayForm card closing payers=payers.clone() reload /> })}
                </div>
            </details>
        </Card>
    }
}

/// "Label value" in the invoice's header line.
#[component]
fn Figure(label: Text, value: String) -> impl IntoView {
    view! {
        <span class="text-sm text-slate-600">
            <span>{t(label)}</span>
            " "
            <strong class="tabular-nums font-semibold text-slate-900">{value}</strong>
        </span>
    }
}

#[component]
fn PayForm(card: Uuid, closing: chrono::NaiveDate, payers: Vec<Account>, reload: Callback<()>) -> impl IntoView {
    let from = RwSignal::new(payers.first().map(|payer| payer.id.to_string()).unwrap_or_default());
    let date = RwSignal::new(String::new());
    let choices = Signal::stored(account_options(&payers));
    let action = ServerAction::<PayInvoice>::new();
    let result = action.value();
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(t_now(PAYED));
            }
            reload.run(());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(PayInvoice {
            account_id: card,
            closing,
            from_account_id: from.get_untracked(),
            date: date.get_untracked(),
        });
    };
    let names = format!("pay-{closing}");
    view! {
        <form class="flex flex-wrap items-start gap-3 border-t border-slate-100 pt-3" on:submit=submit novalidate data-testid="pay-form">
            <div class="w-56">
                <SelectField label=ts(PAY_FROM) name=format!("{names}-from") options=choices value=from error=field_error(result, "from_account_id") test_id="pay-from" />
            </div>
            <div class="w-56">
                <TextField label=ts(PAY_DATE) name=format!("{names}-date") input_type="date" value=date error=field_error(result, "date") test_id="pay-date" />
            </div>
            <div class="pt-7"><Button button_type="submit" busy=action.pending() test_id="pay-invoice">{t(PAY)}</Button></div>
            <div class="basis-full"><FormAlert message=form_error(result, &["from_account_id", "date"]) /></div>
        </form>
    }
}
