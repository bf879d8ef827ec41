//! `/:tenant/crm/leads`: every lead of the tenant in a dense table for staff and consultants. Plain HTML (the page
//! ships no wasm: `routes::server_rendered_only`): filters and search are a GET form, sorting is the column
//! headers' links, paging the pager's links, so everything lives in the address. 100 rows a page from the server;
//! a consultant sees every lead's shared fields and the phone and e-mail of their own (the board's rules).

use leptos::prelude::*;
use leptos_router::{
    components::Form,
    hooks::{use_params_map, use_query_map},
};
use uuid::Uuid;

use super::leads_rows::{LeadRowsBody, SortHeaders, TABLE_CLASS};
use crate::crm::table::{
    api::load_lead_table,
    query::{LeadTableQuery, NOBODY, OwnerFilter},
    types::LeadTable,
};
use crate::crm::types::Source;
use crate::i18n::{Text, t, t_now, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{Button, EmptyState, ErrorAlert, FOCUS_RING, PageHeader, SkeletonRows};

const TITLE: Text = Text::new("Tabela de leads", "Leads table");
const SUBTITLE: Text = Text::new(
    "Todos os leads, 100 por página: filtre, busque e ordene pelos cabeçalhos.",
    "Every lead, 100 a page: filter, search and sort by the headers.",
);
const BOARD: Text = Text::new("Quadro", "Board");
const PIPELINE: Text = Text::new("Funil", "Pipeline");
const STAGE: Text = Text::new("Etapa", "Stage");
const OWNER: Text = Text::new("Responsável", "Owner");
const SOURCE: Text = Text::new("Origem", "Source");
const SEARCH: Text = Text::new("Buscar", "Search");
const SEARCH_HINT: Text = Text::new("Nome, telefone ou e-mail", "Name, phone or e-mail");
const ALL_MALE: Text = Text::new("Todos", "All");
const ALL_FEMALE: Text = Text::new("Todas", "All");
const UNASSIGNED: Text = Text::new("Sem responsável", "Unassigned");
const FILTER: Text = Text::new("Filtrar", "Filter");
const CLEAR: Text = Text::new("Limpar", "Clear");
const STAGES: Text = Text::new("Etapas", "Stages");
const CAPTION: Text = Text::new("Leads", "Leads");
const PREVIOUS: Text = Text::new("Anterior", "Previous");
const NEXT: Text = Text::new("Próxima", "Next");
const PAGINATION: Text = Text::new("Páginas", "Pages");
const EMPTY_TITLE: Text = Text::new("Nenhum lead encontrado", "No leads found");
const EMPTY_TEXT: Text = Text::new(
    "Mude os filtros ou a busca. Leads novos chegam pelo formulário, pelo WhatsApp ou pelo quadro.",
    "Change the filters or the search. New leads arrive from the form, WhatsApp or the board.",
);

#[component]
pub fn LeadsTablePage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Owner, Role::Staff, Role::Consultant] module=Module::Crm>
            <LeadsTable />
        </Allowed>
    }
}

/// Where the table with `query` lives.
fn table_href(tenant: &str, query: &LeadTableQuery) -> String {
    format!("/{tenant}/crm/leads{}", query.query_string())
}

#[component]
fn LeadsTable() -> impl IntoView {
    let tenant = use_params_map().read_untracked().get("tenant").unwrap_or_default();
    let address = use_query_map();
    let query = Memo::new(move |_| address.with(|map| LeadTableQuery::from_url(|key| map.get(key))));
    let table = Resource::new(move || query.get(), load_lead_table);
    let board = format!("/{tenant}/crm");
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <a href=board data-testid="leads-board-link"
                class=format!("rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 {FOCUS_RING}")>
                {t(BOARD)}
            </a>
        </PageHeader>
        <Transition fallback=|| view! { <SkeletonRows rows=10 columns=6 /> }>
            {move || {
                let tenant = tenant.clone();
                Suspend::new(async move {
                    match table.await {
                        Ok(table) => view! { <Loaded tenant table /> }.into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn Loaded(tenant: String, table: LeadTable) -> impl IntoView {
    let body = if table.rows.is_empty() {
        view! { <EmptyState title=ts(EMPTY_TITLE) description=ts(EMPTY_TEXT) /> }.into_any()
    } else {
        view! {
            <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs [contain:inline-size]">
                <table class=TABLE_CLASS data-testid="leads-table">
                    <caption class="sr-only">{t(CAPTION)}</caption>
                    <SortHeaders tenant=tenant.clone() query=table.query.clone() />
                    <LeadRowsBody tenant=tenant.clone() rows=table.rows.clone() />
                </table>
            </div>
            <Pager tenant=tenant.clone() table=table.clone() />
        }
        .into_any()
    };
    view! {
        <Filters tenant=tenant.clone() table=table.clone() />
        <StageChips tenant table=table.clone() />
        {body}
    }
}

/// Pipeline, stage, owner and source selects and the search box: a GET form to this page. The sort rides along
/// hidden; a new filter starts again from page 1.
#[component]
fn Filters(tenant: String, table: LeadTable) -> impl IntoView {
    let query = table.query;
    let select_class = "mt-1 block w-full rounded-md border-slate-300 py-1.5 text-sm";
    let label_class = "flex flex-col text-sm font-medium text-slate-700";
    let pipelines = table
        .pipelines
        .iter()
        .map(|pipeline| {
            view! { <option value=pipeline.id.to_string() selected=query.pipeline == Some(pipeline.id)>{pipeline.name.clone()}</option> }
        })
        .collect_view();
    let stage_options = table
        .pipelines
        .iter()
        .filter(|pipeline| query.pipeline.is_none_or(|chosen| chosen == pipeline.id))
        .map(|pipeline| {
            let options = table
                .stages
                .iter()
                .filter(|stage| stage.pipeline_id == pipeline.id)
                .map(|stage| view! { <option value=stage.id.to_string() selected=query.stage == Some(stage.id)>{stage.name.clone()}</option> })
                .collect_view();
            view! { <optgroup label=pipeline.name.clone()>{options}</optgroup> }
        })
        .collect_view();
    let people = table
        .people
        .iter()
        .map(|person| {
            let chosen = query.owner == OwnerFilter::Person(person.id);
            view! { <option value=person.id.to_string() selected=chosen>{person.name.clone()}</option> }
        })
        .collect_view();
    let sources = Source::ALL
        .into_iter()
        .map(|source| view! { <option value=source.code() selected=query.source == Some(source)>{t_now(source.label())}</option> })
        .collect_view();
    let sort = query.sort.code();
    let direction = if query.descending { "desc" } else { "asc" };
    let action = format!("/{tenant}/crm/leads");
    let clear = action.clone();
    view! {
        <Form method="get" action=action>
            <div class="mb-3 grid items-end gap-3 sm:grid-cols-3 lg:grid-cols-[1fr_1fr_1fr_0.8fr_1.6fr_auto]" data-testid="leads-filters">
                <label class=label_class>{t(PIPELINE)}
                    <select name="funil" class=select_class data-testid="filter-pipeline">
                        <option value="">{t(ALL_MALE)}</option>{pipelines}
                    </select>
                </label>
                <label class=label_class>{t(STAGE)}
                    <select name="etapa" class=select_class data-testid="filter-stage">
                        <option value="">{t(ALL_FEMALE)}</option>{stage_options}
                    </select>
                </label>
                <label class=label_class>{t(OWNER)}
                    <select name="consultor" class=select_class data-testid="filter-owner">
                        <option value="">{t(ALL_MALE)}</option>
                        <option value=NOBODY selected=query.owner == OwnerFilter::Nobody>{t(UNASSIGNED)}</option>
                        {people}
                    </select>
                </label>
                <label class=label_class>{t(SOURCE)}
                    <select name="origem" class=select_class data-testid="filter-source">
                        <option value="">{t(ALL_FEMALE)}</option>{sources}
                    </select>
                </label>
                <label class=label_class>{t(SEARCH)}
                    <input type="search" name="busca" value=query.search.clone() placeholder=t_now(SEARCH_HINT)
                        class="mt-1 block w-full rounded-md border-slate-300 py-1.5 text-sm" data-testid="filter-search" />
                </label>
                <input type="hidden" name="ordem" value=sort />
                <input type="hidden" name="dir" value=direction />
                <div class="flex gap-2">
                    <Button button_type="submit" test_id="filter-apply">{t(FILTER)}</Button>
                    <a href=clear data-testid="filter-clear" class=format!("rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 {FOCUS_RING}")>
                        {t(CLEAR)}
                    </a>
                </div>
            </div>
        </Form>
    }
}

/// "Todas (N)" and one chip per stage with leads (or chosen), counted with every other filter: links that keep the
/// other filters.
#[component]
fn StageChips(tenant: String, table: LeadTable) -> impl IntoView {
    let query = table.query;
    let all: i64 = table.stages.iter().map(|stage| stage.count).sum();
    let chip = |label: String, count: i64, stage: Option<Uuid>, test_id: String| {
        let active = query.stage == stage;
        let class = if active {
            "bg-indigo-600 font-semibold text-white ring-indigo-600"
        } else {
            "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
        };
        view! {
            <a href=table_href(&tenant, &query.with_stage(stage)) aria-current=active.then_some("page") data-testid=test_id
                class=format!("inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs ring-1 ring-inset {class} {FOCUS_RING}")>
                <span>{label}</span>
                <span class="tabular-nums" data-testid="stage-count">{count}</span>
            </a>
        }
    };
    let chips = table
        .stages
        .iter()
        .filter(|stage| stage.count > 0 || query.stage == Some(stage.id))
        .map(|stage| chip(stage.name.clone(), stage.count, Some(stage.id), format!("stage-chip-{}", stage.id)))
        .collect_view();
    view! {
        <nav aria-label=t(STAGES) class="mb-3 flex flex-wrap gap-1.5" data-testid="stage-chips">
            {chip(t_now(ALL_FEMALE).to_string(), all, None, "stage-chip-all".into())}
            {chips}
        </nav>
    }
}

/// "Página 2 de 7 · 612 leads" and links to the pages beside it.
#[component]
fn Pager(tenant: String, table: LeadTable) -> impl IntoView {
    let query = table.query;
    let page = query.page;
    let link = |label: Text, to: i64, enabled: bool, test_id: &'static str| {
        let class =
            "rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300";
        if enabled {
            view! { <a href=table_href(&tenant, &query.with_page(to)) class=format!("{class} hover:bg-slate-50 {FOCUS_RING}") data-testid=test_id>{t(label)}</a> }
                .into_any()
        } else {
            view! { <span class=format!("{class} cursor-not-allowed opacity-50") aria-disabled="true" data-testid=test_id>{t(label)}</span> }
                .into_any()
        }
    };
    let summary = match table.total {
        1 => format!("Página {page} de {} · 1 lead", table.pages.max(1)),
        total => format!("Página {page} de {} · {total} leads", table.pages.max(1)),
    };
    view! {
        <div class="mt-3 flex flex-wrap items-center justify-between gap-2">
            <p class="text-sm tabular-nums text-slate-600" data-testid="leads-summary">{summary}</p>
            <nav aria-label=t(PAGINATION) class="flex gap-2">
                {link(PREVIOUS, page - 1, page > 1, "leads-prev")}
                {link(NEXT, page + 1, page < table.pages, "leads-next")}
            </nav>
        </div>
    }
}
