//! `/:tenant/financeiro/previsao?meses=3|6|12`: the actual balance of banks and cash over the last 30 days next to
//! the projected one. A chart drawn on the server (SVG step lines, the actual solid and the projection dashed, with
//! a legend; each day's point names its balance and movements in a tooltip, without scripts), the same numbers as
//! a table with a column for each, the accounts one by one, and a warning naming the first negative day and its entries.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::shared::FinanceTabs;
use crate::finance::{
    forecast_api::load_forecast,
    forecast_types::{ActualDay, CHART_HEIGHT, CHART_WIDTH, Forecast, HORIZONS, NegativeWarning},
};
use crate::i18n::{Text, format_brl, format_date, t, t_now, ts};
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
const CHART: Text =
    Text::new("Saldo realizado e projetado (bancos e caixa)", "Actual and projected balance (banks and cash)");
const ACTUAL: Text = Text::new("Realizado", "Actual");
const PROJECTED: Text = Text::new("Projetado", "Projected");
const PAID_MOVE: Text = Text::new("movimento pago", "paid movement");
const PAID_MOVES: Text = Text::new("movimentos pagos", "paid movements");
const NEGATIVE: Text = Text::new("Saldo negativo previsto em", "Negative balance expected on");
const CAUSED_BY: Text = Text::new("Movimentos do dia:", "That day's movements:");
const DAY: Text = Text::new("Dia", "Day");
const MOVES: Text = Text::new("Movimentos", "Movements");
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

/// The day's paid movements in a word: "3 movimentos pagos: R$ 120,00".
fn actual_moves(day: &ActualDay) -> String {
    let word = if day.movements == 1 { PAID_MOVE } else { PAID_MOVES };
    format!("{} {}: {}", day.movements, t_now(word), format_brl(day.moved_cents))
}

/// A point of the chart; its `<title>` is the hover text (no script needed).
fn chart_point((x, y): (i64, i64), balance_cents: i64, tip: String) -> impl IntoView {
    let fill = if balance_cents < 0 { "#be123c" } else { "#4f46e5" };
    view! { <circle cx=x cy=y r="4" fill=fill tabindex="0"><title>{tip}</title></circle> }
}

/// The actual step line (solid) up to today and the projected one (dashed) after it, a point per day with
/// movements, a line marking today and a legend.
#[component]
pub fn ForecastChart(forecast: Forecast) -> AnyView {
    let geometry = forecast.chart();
    let actual_points = forecast
        .actual
        .iter()
        .zip(&geometry.actual_points)
        .map(|(day, point)| {
            let tip = format!("{} · {}\n{}", format_date(day.date), format_brl(day.balance_cents), actual_moves(day));
            chart_point(*point, day.balance_cents, tip)
        })
        .collect_view();
    let points = forecast
        .days
        .iter()
        .zip(&geometry.points)
        .map(|(day, point)| {
            let moves: Vec<String> = day
                .entries
                .iter()
                .map(|entry| format!("{} {}", entry.description, format_brl(entry.amount_cents)))
                .collect();
            let tip = format!("{} · {}\n{}", format_date(day.date), format_brl(day.balance_cents), moves.join("\n"));
            chart_point(*point, day.balance_cents, tip)
        })
        .collect_view();
    let (zero, today_x) = (geometry.zero_y, geometry.today_x);
    view! {
        <figure class="rounded-xl border border-slate-200 bg-white p-3 shadow-xs" data-testid="forecast-chart">
            <svg viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}") role="img" class="h-auto w-full" aria-label=t(CHART)>
                <line x1="0" x2=CHART_WIDTH y1=zero y2=zero stroke="#94a3b8" stroke-dasharray="4 4" />
                <line x1=today_x x2=today_x y1="0" y2=CHART_HEIGHT stroke="#cbd5e1" />
                <path d=geometry.actual_path fill="none" stroke="#0f766e" stroke-width="2" data-testid="actual-line" />
                <path d=geometry.path fill="none" stroke="#4f46e5" stroke-width="2" stroke-dasharray="6 4" data-testid="projected-line" />
                {actual_points}
                {points}
            </svg>
            <figcaption class="mt-1 flex flex-wrap gap-x-4 text-xs text-slate-500">
                <span>{t(CHART)}": "{format_date(forecast.since)}" – "{format_date(forecast.end)}</span>
                <span class="flex items-center gap-1" data-testid="legend-actual">
                    <svg width="24" height="6" aria-hidden="true"><line x1="0" x2="24" y1="3" y2="3" stroke="#0f766e" stroke-width="2" /></svg>
                    {t(ACTUAL)}
                </span>
                <span class="flex items-center gap-1" data-testid="legend-projected">
                    <svg width="24" height="6" aria-hidden="true"><line x1="0" x2="24" y1="3" y2="3" stroke="#4f46e5" stroke-width="2" stroke-dasharray="6 4" /></svg>
                    {t(PROJECTED)}
                </span>
            </figcaption>
        </figure>
    }
    .into_any()
}

/// The days of the chart: the actual ones (the "Realizado" column) then the projected ones ("Projetado").
#[component]
fn ForecastTable(forecast: Forecast) -> AnyView {
    let columns = vec![
        Column::text("day", DAY).not_sortable(),
        Column::text("moves", MOVES).not_sortable(),
        Column::number("actual", ACTUAL).not_sortable(),
        Column::number("projected", PROJECTED).not_sortable(),
    ];
    let blank = || Cell::text("");
    let actual = forecast.actual.iter().map(|day| {
        vec![Cell::text(format_date(day.date)), Cell::text(actual_moves(day)), Cell::brl(day.balance_cents), blank()]
    });
    let projected = forecast.days.iter().map(|day| {
        let moves: Vec<String> = day
            .entries
            .iter()
            .map(|entry| format!("{} ({})", entry.description, format_brl(entry.amount_cents)))
            .collect();
        vec![Cell::text(format_date(day.date)), Cell::text(moves.join("; ")), blank(), Cell::brl(day.balance_cents)]
    });
    let rows: Vec<Vec<Cell>> = actual.chain(projected).collect();
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
