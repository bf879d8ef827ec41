//! `/:tenant/financeiro`: what is in the accounts, this month's result, what is to be received and paid, and the
//! last twelve months with the owner's close / reopen button (a closed month refuses every change in it).

use chrono::Datelike;
use leptos::prelude::*;

use super::forecast::NegativeWarningBox;
use crate::finance::dre_types::{DreItem, DreRow};
use crate::finance::types::Transaction;
use crate::finance::{
    api::SetMonthClosed,
    summary::finance_home,
    types::{FinanceSummary, MonthSummary},
};
use crate::i18n::{Text, format_brl, format_date, t, t_now, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Cell, Column, DataTable, ErrorAlert, FOCUS_RING, PageHeader, SkeletonRows, StatCard, TableScroll, Tone,
    use_toaster,
};

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
const MONTH_INCOME: Text = Text::new("Receitas do mês", "This month's revenue");
const MONTH_EXPENSES: Text = Text::new("Despesas do mês", "This month's expenses");
const LAST_MONTH: Text = Text::new("Mês passado:", "Last month:");
const CHART: Text = Text::new("Receitas e despesas, 12 meses", "Revenue and expenses, 12 months");
const CHART_HINT: Text = Text::new(
    "Verde: receitas; vermelho: despesas. Os valores estão na tabela de meses abaixo.",
    "Green: revenue; red: expenses. The figures are in the months table below.",
);
const BREAKDOWN: Text = Text::new("DRE do mês (competência)", "This month's income statement (accrual)");
const LINE: Text = Text::new("Linha", "Line");
const VALUE: Text = Text::new("Valor", "Amount");
const DUE_SOON: Text = Text::new("Contas a pagar nos próximos 7 dias", "Bills due in the next 7 days");
const DUE: Text = Text::new("Vencimento", "Due");
const DESCRIPTION: Text = Text::new("Descrição", "Description");
const NO_BILLS: Text = Text::new("Nada a pagar nos próximos 7 dias.", "Nothing due in the next 7 days.");

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
    let (now, before) = (summary.months.first(), summary.months.get(1));
    let of = |month: Option<&MonthSummary>, pick: fn(&MonthSummary) -> i64| month.map_or(0, pick);
    let income = |month: &MonthSummary| month.income_cents;
    let expense = |month: &MonthSummary| month.expense_cents;
    let result = |month: &MonthSummary| month.income_cents - month.expense_cents;
    let versus = [
        ("stat-income", MONTH_INCOME, of(now, income), of(before, income)),
        ("stat-expense", MONTH_EXPENSES, of(now, expense), of(before, expense)),
    ];
    let stats = [
        ("stat-cash", CASH, summary.cash_cents, None),
        ("stat-result", RESULT, this_month, Some(of(before, result))),
        ("stat-receivable", RECEIVABLE, summary.receivable_cents, None),
        ("stat-payable", PAYABLE, summary.payable_cents, None),
    ];
    let locale = crate::i18n::use_locale();
    let can_close = summary.can_close;
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
    view! {
        <div class="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {stats
                .into_iter()
                .map(|(id, label, cents, last)| {
                    let card = match last {
                        Some(before) => {
                            let hint = Signal::derive(move || format!("{} {}", LAST_MONTH.get(locale.get()), format_brl(before)));
                            view! { <StatCard label=ts(label) value=format_brl(cents) hint /> }.into_any()
                        }
                        None => view! { <StatCard label=ts(label) value=format_brl(cents) /> }.into_any(),
                    };
                    view! { <div data-testid=id>{card}</div> }
                })
                .collect_view()}
        </div>
        {summary.warning.clone().map(|warning| view! { <NegativeWarningBox warning /> })}
        <div class="mb-6 grid gap-3 sm:grid-cols-2">
            {versus
                .into_iter()
                .map(|(id, label, now, before)| {
                    let hint = Signal::derive(move || format!("{} {}", LAST_MONTH.get(locale.get()), format_brl(before)));
                    view! { <div data-testid=id><StatCard label=ts(label) value=format_brl(now) hint /></div> }
                })
                .collect_view()}
        </div>
        <div class="mb-6 grid gap-4 lg:grid-cols-2">
            <MonthsChart months=summary.months.clone() />
            <Breakdown rows=summary.breakdown.clone() />
        </div>
        <DueSoon rows=summary.due_soon.clone() />
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

/// Twelve months of revenue (green) and expenses (red) as bars, drawn on the server; oldest on the left. Each bar's
/// `<title>` is its value; the months table below is the accessible alternative.
#[component]
fn MonthsChart(months: Vec<MonthSummary>) -> AnyView {
    const WIDTH: i64 = 600;
    const HEIGHT: i64 = 200;
    let top = months.iter().map(|month| month.income_cents.max(month.expense_cents)).max().unwrap_or(0).max(1);
    let slot = WIDTH / i64::try_from(months.len().max(1)).unwrap_or(1);
    let bar = (slot - 8) / 2;
    let height =
        |cents: i64| i64::try_from(i128::from(cents.max(0)) * i128::from(HEIGHT - 20) / i128::from(top)).unwrap_or(0);
    let bars = months
        .iter()
        .rev()
        .enumerate()
        .map(|(index, month)| {
            let x = i64::try_from(index).unwrap_or(0) * slot + 4;
            let (income, expense) = (height(month.income_cents), height(month.expense_cents));
            let label = format!("{:02}/{}", month.month.month(), month.month.year() % 100);
            view! {
                <g>
                    <rect x=x y=HEIGHT - 16 - income width=bar height=income fill="#059669">
                        <title>{format!("{label} · {}", format_brl(month.income_cents))}</title>
                    </rect>
                    <rect x=x + bar y=HEIGHT - 16 - expense width=bar height=expense fill="#e11d48">
                        <title>{format!("{label} · {}", format_brl(-month.expense_cents))}</title>
                    </rect>
                    <text x=x + bar y=HEIGHT - 2 font-size="10" text-anchor="middle" fill="#64748b">{label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="self-start rounded-xl border border-slate-200 bg-white p-3 shadow-xs" data-testid="months-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=t(CHART) class="h-auto w-full">{bars}</svg>
            <figcaption class="mt-1 text-xs text-slate-500">{t(CHART)}". "{t(CHART_HINT)}</figcaption>
        </figure>
    }
    .into_any()
}

/// This month's DRE: the lines with movement and every subtotal.
#[component]
fn Breakdown(rows: Vec<DreRow>) -> AnyView {
    let columns = vec![Column::text("line", LINE).not_sortable(), Column::number("value", VALUE).not_sortable()];
    let locale = crate::i18n::use_locale();
    let rows = Signal::derive(move || {
        rows.iter()
            .filter(|row| matches!(row.item, DreItem::Subtotal(_)) || row.total != 0)
            .map(|row| vec![Cell::text(row.item.label().get(locale.get())), Cell::brl(row.total)])
            .collect::<Vec<_>>()
    });
    view! {
        <div>
            <h2 class="mb-2 text-sm font-semibold text-slate-700">{t(BREAKDOWN)}</h2>
            <DataTable columns rows page_size=20 caption=ts(BREAKDOWN) test_id="dre-breakdown" />
        </div>
    }
    .into_any()
}

#[component]
fn DueSoon(rows: Vec<Transaction>) -> AnyView {
    let columns = vec![
        Column::text("due", DUE).not_sortable(),
        Column::text("description", DESCRIPTION).not_sortable(),
        Column::number("amount", VALUE).not_sortable(),
    ];
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|row| {
            vec![
                Cell::text(format_date(row.due_date)),
                Cell::text(row.description.clone()),
                Cell::brl(row.kind.signed(row.amount_cents)),
            ]
        })
        .collect();
    view! {
        <div class="mb-6">
            <h2 class="mb-2 text-sm font-semibold text-slate-700">{t(DUE_SOON)}</h2>
            <DataTable columns rows page_size=10 empty=ts(NO_BILLS) caption=ts(DUE_SOON) test_id="due-soon" />
        </div>
    }
    .into_any()
}
