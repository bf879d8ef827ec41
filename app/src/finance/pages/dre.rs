//! `/:tenant/financeiro/dre`: the income statement. The period kind, basis, months and vertical analysis live in
//! the address (a GET form, so it works before the page hydrates and links keep it); each line's cell links to the
//! transactions behind it; the CSV download carries the same query. The owner maps categories to lines below.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::{
    components::Form,
    hooks::{use_params_map, use_query_map},
    params::ParamsMap,
};

use super::shared::FinanceTabs;
use crate::finance::{
    dre_api::{SetCategoryLine, load_dre},
    dre_types::{
        Basis, CategoryLine, DreCell, DreItem, DreLine, DreQuery, DreReport, DreRow, PeriodKind, format_permille,
        month_param, share_permille,
    },
};
use crate::i18n::{Text, format_brl, t, ts, use_locale};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{Button, ErrorAlert, FOCUS_RING, PageHeader, SelectField, SkeletonRows, TableScroll, TextField};

const TITLE: Text = Text::new("DRE", "Income statement");
const SUBTITLE: Text = Text::new(
    "Demonstração do resultado por período. Clique num valor para ver os lançamentos por trás dele.",
    "Income statement by period. Click a value to see the transactions behind it.",
);
const PERIOD: Text = Text::new("Colunas por", "Columns by");
const BASIS: Text = Text::new("Regime", "Basis");
const FROM: Text = Text::new("De (mês)", "From (month)");
const TO: Text = Text::new("Até (mês)", "To (month)");
const VERTICAL: Text = Text::new("Análise vertical (% da receita líquida)", "Vertical analysis (% of net revenue)");
const SHOW: Text = Text::new("Mostrar", "Show");
const EXPORT: Text = Text::new("Exportar CSV", "Export CSV");
const LINE: Text = Text::new("Linha", "Line");
const TOTAL: Text = Text::new("Total", "Total");
const SHARE: Text = Text::new("AV %", "VA %");
const CAPTION: Text = Text::new("Demonstração do resultado do exercício", "Income statement");
const CAPPED: Text = Text::new(
    "Seu plano mostra os últimos {n} meses do DRE (desde {month}). Os lançamentos anteriores continuam guardados; um plano maior os mostra.",
    "Your plan shows the last {n} months of the income statement (since {month}). Older entries are kept; a larger plan shows them.",
);
const UNMAPPED: Text = Text::new(
    "Categorias sem linha do DRE (fora do resultado acima):",
    "Categories with no income statement line (left out of the result above):",
);
const MAPPING: Text = Text::new("Categorias e linhas do DRE", "Categories and income statement lines");
const MAPPING_HINT: Text = Text::new(
    "Escolha em que linha cada categoria entra. A mudança vale para todos os meses, inclusive os passados.",
    "Choose which line each category feeds. The change applies to every month, past ones too.",
);
const SAVE: Text = Text::new("Salvar", "Save");
const CATEGORY: Text = Text::new("Categoria", "Category");

#[component]
pub fn DrePage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <Dre />
        </Allowed>
    }
}

fn query_string(query: &DreQuery) -> String {
    let params: ParamsMap = query.url_pairs().into_iter().collect();
    params.to_query_string()
}

#[component]
fn Dre() -> impl IntoView {
    let tenant = use_params_map().read_untracked().get("tenant").unwrap_or_default();
    let address = use_query_map();
    let query = Memo::new(move |_| address.with(|map| DreQuery::from_url(|key| map.get(key))));
    let saved = ServerAction::<SetCategoryLine>::new();
    let report = Resource::new(move || (query.get(), saved.version().get()), |(query, _)| load_dre(query));
    let export = {
        let tenant = tenant.clone();
        move || format!("/{tenant}/financeiro/dre.csv{}", query_string(&query.get()))
    };
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <a href=export rel="external" download="dre.csv" data-testid="dre-export"
                class=format!("rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 {FOCUS_RING}")>
                {t(EXPORT)}
            </a>
        </PageHeader>
        <FinanceTabs current="/dre" />
        <Transition fallback=|| view! { <SkeletonRows rows=10 columns=6 /> }>
            {move || {
                let tenant = tenant.clone();
                report.get().map(|answer| match answer {
                    Ok((report, lines)) => view! {
                        <Controls tenant=tenant.clone() query=report.query.clone() />
                        <Statement tenant report />
                        {(!lines.is_empty()).then(|| view! { <Mapping lines saved /> })}
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                })
            }}
        </Transition>
    }
}

/// The GET form: period kind, basis, months and the vertical analysis switch.
#[component]
fn Controls(tenant: String, query: DreQuery) -> impl IntoView {
    let locale = use_locale();
    let period = RwSignal::new(query.period.param().to_string());
    let basis = RwSignal::new(query.basis.param().to_string());
    let from = RwSignal::new(query.from.map(month_param).unwrap_or_default());
    let to = RwSignal::new(query.to.map(month_param).unwrap_or_default());
    let periods = move || {
        PeriodKind::ALL
            .iter()
            .map(|kind| (kind.param().to_string(), kind.label().get(locale.get()).to_string()))
            .collect()
    };
    let bases = move || {
        [Basis::Competence, Basis::Cash]
            .iter()
            .map(|basis| (basis.param().to_string(), basis.label().get(locale.get()).to_string()))
            .collect()
    };
    view! {
        <Form method="get" action=format!("/{tenant}/financeiro/dre")>
            <div class="mb-4 grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[9rem_10rem_12rem_12rem_1fr_auto]" data-testid="dre-controls">
                <SelectField label=ts(PERIOD) name="periodo" options=Signal::derive(periods) value=period test_id="dre-period" />
                <SelectField label=ts(BASIS) name="base" options=Signal::derive(bases) value=basis test_id="dre-basis" />
                <TextField label=ts(FROM) name="de" input_type="month" value=from test_id="dre-from" />
                <TextField label=ts(TO) name="ate" input_type="month" value=to test_id="dre-to" />
                <label class="flex items-center gap-2 pb-2 text-sm text-slate-700">
                    <input type="checkbox" name="av" value="1" checked=query.vertical data-testid="dre-vertical"
                        class=format!("h-4 w-4 rounded border-slate-300 text-indigo-600 {FOCUS_RING}") />
                    {t(VERTICAL)}
                </label>
                <Button button_type="submit" test_id="dre-apply">{t(SHOW)}</Button>
            </div>
        </Form>
    }
}

/// The statement's table: a column per period, the total and its share of receita líquida.
#[component]
fn Statement(tenant: String, report: DreReport) -> impl IntoView {
    let locale = use_locale();
    let period = report.query.period;
    let th = "px-3 py-2 text-right text-xs font-semibold uppercase tracking-wide text-slate-500 whitespace-nowrap";
    let headers = report
        .columns
        .iter()
        .map(|column| {
            let start = column.from;
            view! { <th scope="col" class=th>{move || period.column_label(start, locale.get())}</th> }
        })
        .collect_view();
    let net = report.net_revenue().cloned();
    let capped = report.capped.map(|(month, months)| {
        let text = move || {
            CAPPED.get(locale.get()).replace("{n}", &months.to_string()).replace(
                "{month}",
                &format!("{:02}/{}", chrono::Datelike::month(&month), chrono::Datelike::year(&month)),
            )
        };
        view! { <p class="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800" data-testid="dre-capped">{text}</p> }
    });
    let unmapped = (!report.unmapped.is_empty()).then(|| {
        let items = report
            .unmapped
            .iter()
            .map(|item| view! { <li>{item.category.clone()}": "{format_brl(item.total)}</li> })
            .collect_view();
        view! {
            <div class="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800" data-testid="dre-unmapped">
                <p>{t(UNMAPPED)}</p>
                <ul class="ml-4 list-disc">{items}</ul>
            </div>
        }
    });
    let body = report.rows.iter().map(|row| statement_row(&tenant, &report, row, net.as_ref())).collect_view();
    view! {
        {capped}
        <div class="rounded-xl border border-slate-200 bg-white shadow-xs">
            <TableScroll>
                <table class="min-w-full text-sm" data-testid="dre-table">
                    <caption class="sr-only">{t(CAPTION)}</caption>
                    <thead class="border-b border-slate-200 bg-slate-50">
                        <tr>
                            <th scope="col" class="px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">{t(LINE)}</th>
                            {headers}
                            <th scope="col" class=th>{t(TOTAL)}</th>
                            <th scope="col" class=th>{t(SHARE)}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">{body}</tbody>
                </table>
            </TableScroll>
        </div>
        {unmapped}
    }
}

fn statement_row(tenant: &str, report: &DreReport, row: &DreRow, net: Option<&DreRow>) -> impl IntoView + use<> {
    let (row_class, label_class) = match row.item {
        DreItem::Subtotal(_) => ("bg-slate-50 font-semibold text-slate-900", "px-3 py-2"),
        DreItem::Group(_) => ("font-medium text-slate-800", "px-3 py-2"),
        DreItem::Line(line) if is_grouped(line) => ("text-slate-700", "py-2 pl-8 pr-3"),
        DreItem::Line(_) => ("text-slate-700", "px-3 py-2"),
    };
    let vertical = report.query.vertical;
    let cells = row
        .cells
        .iter()
        .zip(&report.columns)
        .enumerate()
        .map(|(index, (cents, column))| {
            let base = net.and_then(|net| net.cells.get(index)).copied().unwrap_or(0);
            let link = line_cell(tenant, row.item, report.query.basis, column.from, column.to);
            amount_cell(*cents, link, vertical.then(|| share_permille(*cents, base)).flatten())
        })
        .collect_view();
    let (first, last) = (report.columns.first().map(|c| c.from), report.columns.last().map(|c| c.to));
    let total_link = first.zip(last).and_then(|(from, to)| line_cell(tenant, row.item, report.query.basis, from, to));
    let share = share_permille(row.total, net.map_or(0, |net| net.total)).map(format_permille).unwrap_or_default();
    view! {
        <tr class=row_class data-testid="dre-row" data-line=row.item.key()>
            <th scope="row" class=format!("whitespace-nowrap text-left font-inherit {label_class}")>{t(row.item.label())}</th>
            {cells}
            {amount_cell(row.total, total_link, None)}
            <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-500" data-testid="dre-share">{share}</td>
        </tr>
    }
}

fn is_grouped(line: DreLine) -> bool {
    !matches!(line, DreLine::ReceitaBruta | DreLine::Deducoes | DreLine::Custos | DreLine::IrCsll)
}

/// Where a line's cell drills to (subtotals and groups do not drill).
fn line_cell(
    tenant: &str,
    item: DreItem,
    basis: Basis,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Option<String> {
    match item {
        DreItem::Line(line) => Some(DreCell { line, basis, from, to }.href(tenant)),
        _ => None,
    }
}

fn amount_cell(cents: i64, link: Option<String>, share: Option<i64>) -> impl IntoView + use<> {
    let tone = if cents < 0 { "text-rose-700" } else { "" };
    let amount = match link {
        Some(href) if cents != 0 => view! {
            <a href=href data-testid="dre-cell" class=format!("rounded hover:underline {tone} {FOCUS_RING}")>{format_brl(cents)}</a>
        }
        .into_any(),
        _ => view! { <span class=tone>{format_brl(cents)}</span> }.into_any(),
    };
    view! {
        <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums">
            {amount}
            {share.map(|share| view! { <span class="block text-xs text-slate-500">{format_permille(share)}</span> })}
        </td>
    }
}

/// The owner's editor: a line per category, saved one at a time (a plain form post, so it works without scripts).
#[component]
fn Mapping(lines: Vec<CategoryLine>, saved: ServerAction<SetCategoryLine>) -> impl IntoView {
    let locale = use_locale();
    let choices = Signal::derive(move || {
        DreLine::ALL.iter().map(|line| (line.code().to_string(), line.label().get(locale.get()).to_string())).collect()
    });
    let rows = lines
        .into_iter()
        .map(|category| {
            let value = RwSignal::new(category.line.map(|line| line.code().to_string()).unwrap_or_default());
            view! {
                <li class="py-2" data-testid="dre-mapping-row">
                    <ActionForm action=saved attr:class="flex flex-wrap items-end gap-2">
                        <input type="hidden" name="category_id" value=category.id.to_string() />
                        <div class="min-w-56 flex-1">
                            <SelectField label=Signal::stored(category.name.clone()) name="line" options=choices value
                                placeholder=ts(CATEGORY) id=format!("line-{}", category.id) />
                        </div>
                        <Button button_type="submit" busy=saved.pending()>{t(SAVE)}</Button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="mt-8" data-testid="dre-mapping">
            <h2 class="text-sm font-semibold text-slate-700">{t(MAPPING)}</h2>
            <p class="mb-2 text-xs text-slate-500">{t(MAPPING_HINT)}</p>
            <ul class="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white px-4 shadow-xs">{rows}</ul>
        </section>
    }
}
