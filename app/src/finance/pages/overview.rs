//! `/:tenant/financeiro`: what is in the accounts, this month's result, what is to be received and paid, and the
//! last twelve months with the owner's close / reopen button (a closed month refuses every change in it).

use chrono::Datelike;
use leptos::prelude::*;

use crate::finance::{
    api::SetMonthClosed,
    summary::finance_home,
    types::{FinanceSummary, MonthSummary},
};
use crate::i18n::{Text, format_brl, t, t_now, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{Badge, ErrorAlert, FOCUS_RING, PageHeader, SkeletonRows, StatCard, TableScroll, Tone, use_toaster};

const TITLE: Text = Text::new("Financeiro", "Finance");
const SUBTITLE: Text = Text::new(
    "Saldos, resultado do mês e o que está a receber e a pagar.",
    "Balances, the month's result and what is to be received and paid.",
);
const CASH: Text = Text::new("Saldo em bancos e caixa", "Banks and cash");
const RESULT: Text = Text::new("Resultado do mês", "This month's result");
const RECEIVABLE: Text = Text::new("A receber", "To receive");
const PAYABLE: Text = Text::new("A pagar (inclui faturas)", "To pay (card invoices too)");
const MONTHS: Text = Text::new("Meses", "Months");
const MONTHS_HINT: Text = Text::new(
    "Feche o mês quando o contador o tiver: nada mais é lançado, alterado ou excluído nele até ser reaberto.",
    "Close a month once the accountant has it: nothing is added, changed or deleted in it until it is reopened.",
);
const MONTH: Text = Text::new("Mês", "Month");
const INCOME: Text = Text::new("Receitas", "Income");
const EXPENSES: Text = Text::new("Despesas", "Expenses");
const MONTH_RESULT: Text = Text::new("Resultado", "Result");
const STATUS: Text = Text::new("Situação", "Status");
const CLOSED: Text = Text::new("Fechado", "Closed");
const OPEN: Text = Text::new("Aberto", "Open");
const CLOSE: Text = Text::new("Fechar mês", "Close month");
const REOPEN: Text = Text::new("Reabrir", "Reopen");
const ACTIONS: Text = Text::new("Ações", "Actions");
const CLOSED_DONE: Text = Text::new("Mês fechado.", "Month closed.");
const REOPENED: Text = Text::new("Mês reaberto.", "Month reopened.");

#[component]
pub fn FinanceOverviewPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <FinanceOverview />
        </Allowed>
    }
}

#[component]
fn FinanceOverview() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let summary = Resource::new(move || version.get(), |_| finance_home());
    let reload = Callback::new(move |()| version.update(|version| *version += 1));
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <super::shared::FinanceTabs current="" />
        <Transition fallback=|| view! { <SkeletonRows rows=4 columns=4 /> }>
            {move || summary.get().map(|answer| match answer {
                Ok(summary) => view! { <SummaryView summary reload /> }.into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn SummaryView(summary: FinanceSummary, reload: Callback<()>) -> impl IntoView {
    let this_month = summary.months.first().map_or(0, |month| month.income_cents - month.expense_cents);
    let stats = [
        ("stat-cash", CASH, summary.cash_cents),
        ("stat-result", RESULT, this_month),
        ("stat-receivable", RECEIVABLE, summary.receivable_cents),
        ("stat-payable", PAYABLE, summary.payable_cents),
    ];
    let can_close = summary.can_close;
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
    view! {
        <div class="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {stats
                .into_iter()
                .map(|(id, label, cents)| view! { <div data-testid=id><StatCard label=ts(label) value=format_brl(cents) /></div> })
                .collect_view()}
        </div>
        <h2 class="text-sm font-semibold text-slate-700">{t(MONTHS)}</h2>
        <p class="mb-2 text-xs text-slate-500">{t(MONTHS_HINT)}</p>
        <div class="rounded-xl border border-slate-200 bg-white shadow-xs">
            <TableScroll>
                <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="months-table">
                    <thead class="bg-slate-50">
                        <tr>
                            <th scope="col" class=th>{t(MONTH)}</th>
                            <th scope="col" class=format!("{th} text-right")>{t(INCOME)}</th>
                            <th scope="col" class=format!("{th} text-right")>{t(EXPENSES)}</th>
                            <th scope="col" class=format!("{th} text-right")>{t(MONTH_RESULT)}</th>
                            <th scope="col" class=th>{t(STATUS)}</th>
                            <th scope="col" class=th><span class="sr-only">{t(ACTIONS)}</span></th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {summary
                            .months
                            .into_iter()
                            .map(|month| view! { <MonthRow month can_close reload /> })
                            .collect_view()}
                    </tbody>
                </table>
            </TableScroll>
        </div>
    }
}

#[component]
fn MonthRow(month: MonthSummary, can_close: bool, reload: Callback<()>) -> impl IntoView {
    let key = format!("{}-{:02}", month.month.year(), month.month.month());
    let label = format!("{:02}/{}", month.month.month(), month.month.year());
    let result = month.income_cents - month.expense_cents;
    let tone = if result < 0 { "text-rose-700" } else { "text-slate-900" };
    let (status_tone, status) = if month.closed { (Tone::Neutral, CLOSED) } else { (Tone::Success, OPEN) };
    let action = ServerAction::<SetMonthClosed>::new();
    let toaster = use_toaster();
    let locale = crate::i18n::use_locale();
    let closed = month.closed;
    Effect::new(move || match action.value().get() {
        Some(Ok(())) => {
            if let Some(toaster) = toaster {
                toaster.success(t_now(if closed { REOPENED } else { CLOSED_DONE }));
            }
            reload.run(());
        }
        Some(Err(error)) => {
            if let Some(toaster) = toaster {
                toaster.error(error.user_message(locale.get_untracked()));
            }
        }
        None => {}
    });
    let button = format!("rounded-md px-2 py-1 text-xs font-semibold text-indigo-700 hover:bg-indigo-50 {FOCUS_RING}");
    let toggle = key.clone();
    view! {
        <tr data-testid="month-row" data-month=key>
            <td class="whitespace-nowrap px-3 py-2 font-medium tabular-nums text-slate-900">{label}</td>
            <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-600">{format_brl(month.income_cents)}</td>
            <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-600">{format_brl(month.expense_cents)}</td>
            <td class=format!("whitespace-nowrap px-3 py-2 text-right font-semibold tabular-nums {tone}")>{format_brl(result)}</td>
            <td class="px-3 py-2" data-testid="month-status"><Badge tone=status_tone>{t(status)}</Badge></td>
            <td class="whitespace-nowrap px-3 py-2 text-right">
                {can_close.then(|| view! {
                    <button type="button" class=button data-testid="month-toggle" disabled=move || action.pending().get() on:click=move |_| {
                        action.dispatch(SetMonthClosed { month: toggle.clone(), closed: !closed });
                    }>{t(if closed { REOPEN } else { CLOSE })}</button>
                })}
            </td>
        </tr>
    }
}
