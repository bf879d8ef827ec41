//! `/:tenant/financeiro/previsao?meses=3|6|12`: the projected balance of banks and cash. A chart drawn on the
//! server (an SVG step line; each day's point names its balance and movements in a tooltip, without scripts), the
//! same numbers as a table, the accounts one by one, and a warning naming the first negative day and its entries.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::shared::FinanceTabs;
use crate::finance::{
    forecast_api::load_forecast,
    forecast_types::{CHART_HEIGHT, CHART_WIDTH, Forecast, HORIZONS, NegativeWarning},
};
use crate::i18n::{Text, format_brl, format_date, t, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{Cell, Column, DataTable, ErrorAlert, FOCUS_RING, PageHeader, SkeletonRows, StatCard};

const TITLE: Text = Text::new("Previsão de caixa", "Cash forecast");
const SUBTITLE: Text = Text::new(
    "Saldo projetado de bancos e caixa: pendências, recorrentes e faturas de cartão nas datas de vencimento.",
    "Projected balance of banks and cash: pending entries, recurring ones and card invoices on their due dates.",
);
const MONTHS: Text = Text::new("meses", "months");
const TODAY: Text = Text::new("Hoje", "Today");
const AT_END: Text = Text::new("No fim do período", "At the end");
const CHART: Text = Text::new("Saldo projetado (bancos e caixa)", "Projected balance (banks and cash)");
const NEGATIVE: Text = Text::new("Saldo negativo previsto em", "Negative balance expected on");
const CAUSED_BY: Text = Text::new("Movimentos do dia:", "That day's movements:");
const DAY: Text = Text::new("Dia", "Day");
const MOVES: Text = Text::new("Movimentos", "Movements");
const BALANCE: Text = Text::new("Saldo", "Balance");
const ACCOUNT: Text = Text::new("Conta", "Account");
const LOWEST: Text = Text::new("Menor saldo", "Lowest");
const LOWEST_ON: Text = Text::new("Em", "On");
const NOTHING: Text = Text::new("Nenhum movimento previsto no período.", "No movement expected in the period.");

#[component]
pub fn ForecastPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <ForecastView />
        </Allowed>
    }
}

#[component]
fn ForecastView() -> impl IntoView {
    let tenant = use_params_map().read_untracked().get("tenant").unwrap_or_default();
    let address = use_query_map();
    let months = Memo::new(move |_| address.with(|map| map.get("meses").and_then(|m| m.parse().ok()).unwrap_or(3)));
    let forecast = Resource::new(move || months.get(), load_forecast);
    let links = HORIZONS
        .into_iter()
        .map(|option| {
            let href = format!("/{tenant}/financeiro/previsao?meses={option}");
            let class = move || {
                let active = months.get() == option;
                format!(
                    "rounded-full px-3 py-1 text-sm ring-1 ring-inset {FOCUS_RING} {}",
                    if active {
                        "bg-indigo-600 font-semibold text-white ring-indigo-600"
                    } else {
                        "bg-white text-slate-700 ring-slate-300"
                    }
                )
            };
            view! { <a href=href class=class data-testid=format!("horizon-{option}")>{option}" "{t(MONTHS)}</a> }
        })
        .collect_view();
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <FinanceTabs current="/previsao" />
        <nav class="mb-4 flex gap-2">{links}</nav>
        <Transition fallback=|| view! { <SkeletonRows rows=6 columns=4 /> }>
            {move || forecast.get().map(|answer| match answer {
                Ok(forecast) => view! { <ForecastBody forecast /> }.into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ForecastBody(forecast: Forecast) -> AnyView {
    let end_cents = forecast.days.last().map_or(forecast.start_cents, |day| day.balance_cents);
    view! {
        {forecast.first_negative.clone().map(|warning| view! { <NegativeWarningBox warning /> })}
        <div class="mb-4 grid gap-3 sm:grid-cols-2">
            <div data-testid="forecast-today"><StatCard label=ts(TODAY) value=format_brl(forecast.start_cents) /></div>
            <div data-testid="forecast-end"><StatCard label=ts(AT_END) value=format_brl(end_cents) /></div>
        </div>
        <ForecastChart forecast=forecast.clone() />
        <div class="mt-4 grid gap-4 lg:grid-cols-2">
            <ForecastTable forecast=forecast.clone() />
            <AccountsTable forecast />
        </div>
    }
    .into_any()
}

/// The first negative day, its balance and the entries that move it (the forecast page and finance's home).
#[component]
pub fn NegativeWarningBox(warning: NegativeWarning) -> AnyView {
    let entries = warning
        .entries
        .iter()
        .map(|entry| view! { <li>{entry.description.clone()}" ("{entry.account.clone()}"): "{format_brl(entry.amount_cents)}</li> })
        .collect_view();
    view! {
        <div role="alert" class="mb-4 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="negative-warning">
            <p class="font-semibold">{t(NEGATIVE)}" "{format_date(warning.date)}": "{format_brl(warning.balance_cents)}</p>
            <p>{t(CAUSED_BY)}</p>
            <ul class="ml-4 list-disc">{entries}</ul>
        </div>
    }
    .into_any()
}

/// The step line with a point per day; each point's `<title>` is the hover text (no script needed).
#[component]
pub fn ForecastChart(forecast: Forecast) -> AnyView {
    let geometry = forecast.chart();
    let points = forecast
        .days
        .iter()
        .zip(&geometry.points)
        .map(|(day, (x, y))| {
            let moves: Vec<String> = day
                .entries
                .iter()
                .map(|entry| format!("{} {}", entry.description, format_brl(entry.amount_cents)))
                .collect();
            let tip = format!("{} · {}\n{}", format_date(day.date), format_brl(day.balance_cents), moves.join("\n"));
            let fill = if day.balance_cents < 0 { "#be123c" } else { "#4f46e5" };
            view! { <circle cx=*x cy=*y r="4" fill=fill tabindex="0"><title>{tip}</title></circle> }
        })
        .collect_view();
    let zero = geometry.zero_y;
    view! {
        <figure class="rounded-xl border border-slate-200 bg-white p-3 shadow-xs" data-testid="forecast-chart">
            <svg viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}") role="img" class="h-auto w-full" aria-label=t(CHART)>
                <line x1="0" x2=CHART_WIDTH y1=zero y2=zero stroke="#94a3b8" stroke-dasharray="4 4" />
                <path d=geometry.path fill="none" stroke="#4f46e5" stroke-width="2" />
                {points}
            </svg>
            <figcaption class="mt-1 text-xs text-slate-500">
                {t(CHART)}": "{format_date(forecast.today)}" – "{format_date(forecast.end)}
            </figcaption>
        </figure>
    }
    .into_any()
}

#[component]
fn ForecastTable(forecast: Forecast) -> AnyView {
    let columns = vec![
        Column::text("day", DAY).not_sortable(),
        Column::text("moves", MOVES).not_sortable(),
        Column::number("balance", BALANCE).not_sortable(),
    ];
    let rows: Vec<Vec<Cell>> = forecast
        .days
        .iter()
        .map(|day| {
            let moves: Vec<String> = day
                .entries
                .iter()
                .map(|entry| format!("{} ({})", entry.description, format_brl(entry.amount_cents)))
                .collect();
            vec![Cell::text(format_date(day.date)), Cell::text(moves.join("; ")), Cell::brl(day.balance_cents)]
        })
        .collect();
    view! { <DataTable columns rows page_size=15 empty=ts(NOTHING) caption=ts(CHART) test_id="forecast-days" /> }
        .into_any()
}

#[component]
fn AccountsTable(forecast: Forecast) -> AnyView {
    let columns = vec![
        Column::text("account", ACCOUNT).not_sortable(),
        Column::number("today", TODAY).not_sortable(),
        Column::number("end", AT_END).not_sortable(),
        Column::number("lowest", LOWEST).not_sortable(),
        Column::text("on", LOWEST_ON).not_sortable(),
    ];
    let rows: Vec<Vec<Cell>> = forecast
        .accounts
        .iter()
        .map(|account| {
            vec![
                Cell::text(account.name.clone()),
                Cell::brl(account.today_cents),
                Cell::brl(account.end_cents),
                Cell::brl(account.lowest_cents),
                Cell::text(format_date(account.lowest_on)),
            ]
        })
        .collect();
    view! { <DataTable columns rows caption=ts(ACCOUNT) test_id="forecast-accounts" /> }.into_any()
}
