//! `/:tenant/matriculas/inscricoes`: the staff's applications list. Counts per status as chips, filters (course,
//! class, term) and search in a GET form, so every filter lives in the address (reload, back and shared links keep
//! them, and the form works before the page hydrates); a page of 50 rows from the server, each row a link to its
//! application.

use leptos::prelude::*;
use leptos_router::{
    components::Form,
    hooks::{use_params_map, use_query_map},
    params::ParamsMap,
};

use crate::enrollment::{
    api::{catalog::load_catalog, review::list_applications},
    components::{CatalogTab, CatalogTabs, status_tone},
    review_types::{ApplicationList, ApplicationQuery, brasilia_day},
    types::{ApplicationStatus, Catalog},
};
use crate::i18n::{Text, format_date, t, t_now, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Button, Cell, Column, DataTable, EmptyState, ErrorAlert, FOCUS_RING, PageHeader, SelectField, SkeletonRows,
    TextField,
};

const TITLE: Text = Text::new("Inscrições", "Applications");
const SUBTITLE: Text = Text::new(
    "Filtre, abra uma inscrição, confira os documentos e decida.",
    "Filter, open an application, check its documents and decide.",
);
const ALL: Text = Text::new("Todas", "All");
const STATUSES: Text = Text::new("Situações", "Statuses");
const COURSE: Text = Text::new("Curso", "Course");
const CLASS: Text = Text::new("Turma", "Class");
const TERM: Text = Text::new("Período", "Term");
const ANY: Text = Text::new("Todos", "Any");
const SEARCH: Text = Text::new("Buscar", "Search");
const SEARCH_HINT: Text = Text::new("Nome, e-mail ou início do CPF", "Name, e-mail or start of the CPF");
const FILTER: Text = Text::new("Filtrar", "Filter");
const CLEAR: Text = Text::new("Limpar", "Clear");
const STUDENT: Text = Text::new("Estudante", "Student");
const CPF: Text = Text::new("CPF", "CPF");
const COURSE_CLASS: Text = Text::new("Curso / turma", "Course / class");
const STATUS: Text = Text::new("Situação", "Status");
const SUBMITTED: Text = Text::new("Enviada em", "Submitted on");
const PREVIOUS: Text = Text::new("Anterior", "Previous");
const NEXT: Text = Text::new("Próxima", "Next");
const PAGINATION: Text = Text::new("Páginas", "Pages");
const EMPTY_TITLE: Text = Text::new("Nenhuma inscrição encontrada", "No applications found");
const EMPTY_TEXT: Text =
    Text::new("Mude os filtros ou a busca para ver outras inscrições.", "Change the filters or search to see others.");
const EXPORT: Text = Text::new("Exportar CSV", "Export CSV");
const CAPTION: Text = Text::new("Inscrições", "Applications");

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Enrollment>
            <Applications />
        </Allowed>
    }
}

/// `?curso=…&situacao=…` (or nothing) for `query`.
fn query_string(query: &ApplicationQuery) -> String {
    let params: ParamsMap = query.url_pairs().into_iter().collect();
    params.to_query_string()
}

/// Where the list with `query` lives.
fn list_href(tenant: &str, query: &ApplicationQuery) -> String {
    format!("/{tenant}/matriculas/inscricoes{}", query_string(query))
}

#[component]
fn Applications() -> impl IntoView {
    let params = use_params_map();
    let tenant = params.read_untracked().get("tenant").unwrap_or_default();
    let address = use_query_map();
    let query = Memo::new(move |_| address.with(|map| ApplicationQuery::from_url(|key| map.get(key))));
    let list = Resource::new(move || query.get(), list_applications);
    let catalog = Resource::new(|| (), |()| load_catalog());
    let chips_tenant = tenant.clone();
    let rows_tenant = tenant.clone();
    let export_tenant = tenant.clone();
    // A download, not a page: `rel="external"` keeps the router from handling it.
    let export =
        move || list_href(&export_tenant, &query.get().with_page(1)).replacen("inscricoes", "inscricoes.csv", 1);
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <a href=export rel="external" download="inscricoes.csv" data-testid="applications-export"
                class=format!("rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 {FOCUS_RING}")>
                {t(EXPORT)}
            </a>
        </PageHeader>
        <CatalogTabs current=CatalogTab::Applications />
        <Suspense fallback=|| view! { <SkeletonRows rows=1 columns=5 /> }>
            {move || {
                let tenant = tenant.clone();
                Suspend::new(async move {
                    match catalog.await {
                        Ok(catalog) => view! { <Filters tenant catalog query /> }.into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
        <Transition fallback=|| view! { <SkeletonRows rows=8 columns=5 /> }>
            {move || {
                let (chips_tenant, rows_tenant) = (chips_tenant.clone(), rows_tenant.clone());
                list.get().map(|answer| match answer {
                    Ok(list) => view! {
                        <StatusChips tenant=chips_tenant list=list.clone() query=query.get_untracked() />
                        <Rows tenant=rows_tenant list query=query.get_untracked() />
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                })
            }}
        </Transition>
    }
}

/// The course, class and term selects and the search box: a GET form to this page, so submitting writes the
/// filters into the address. The chosen status rides along hidden (the chips change it).
#[component]
fn Filters(tenant: String, catalog: Catalog, query: Memo<ApplicationQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let course = RwSignal::new(current.course.map(|id| id.to_string()).unwrap_or_default());
    let class = RwSignal::new(current.class.map(|id| id.to_string()).unwrap_or_default());
    let term = RwSignal::new(current.term.clone().unwrap_or_default());
    let search = RwSignal::new(current.search.clone());
    // The back button changes the address under the form: the fields follow it.
    Effect::new(move || {
        let query = query.get();
        course.set(query.course.map(|id| id.to_string()).unwrap_or_default());
        class.set(query.class.map(|id| id.to_string()).unwrap_or_default());
        term.set(query.term.clone().unwrap_or_default());
        search.set(query.search.clone());
    });
    let with_any = |options: Vec<(String, String)>| {
        std::iter::once((String::new(), t_now(ANY).to_string())).chain(options).collect::<Vec<_>>()
    };
    let courses = with_any(catalog.courses.iter().map(|c| (c.id.to_string(), c.name.clone())).collect());
    let classes = with_any(
        catalog
            .classes
            .iter()
            .map(|c| (c.id.to_string(), format!("{} · {} · {}", c.course_name, c.term, t_now(c.shift.label()))))
            .collect(),
    );
    let terms = with_any(catalog.periods.iter().map(|p| (p.term.clone(), p.term.clone())).collect());
    let status = move || query.with(|query| query.status.map(|status| status.code().to_string()).unwrap_or_default());
    let action = format!("/{tenant}/matriculas/inscricoes");
    let clear = action.clone();
    view! {
        <Form method="get" action=action>
            <div class="mb-4 grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1.4fr_0.7fr_1.4fr_auto]" data-testid="application-filters">
                <SelectField label=ts(COURSE) name="curso" options=courses value=course test_id="filter-course" />
                <SelectField label=ts(CLASS) name="turma" options=classes value=class test_id="filter-class" />
                <SelectField label=ts(TERM) name="periodo" options=terms value=term test_id="filter-term" />
                <TextField label=ts(SEARCH) name="busca" input_type="search" value=search placeholder=ts(SEARCH_HINT) test_id="filter-search" />
                <input type="hidden" name="situacao" value=status />
                <div class="flex gap-2">
                    <Button button_type="submit" test_id="filter-apply">{t(FILTER)}</Button>
                    <a href=clear class=format!("rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 {FOCUS_RING}")>
                        {t(CLEAR)}
                    </a>
                </div>
            </div>
        </Form>
    }
}

/// "Todas (N)" and one chip per status with applications (or chosen): links that keep the other filters.
#[component]
fn StatusChips(tenant: String, list: ApplicationList, query: ApplicationQuery) -> impl IntoView {
    let all: i64 = list.counts.iter().map(|count| count.count).sum();
    let chip = |label: Text, count: i64, status: Option<ApplicationStatus>| {
        let active = query.status == status;
        let class = format!(
            "inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-3 py-1 text-sm ring-1 ring-inset {} {FOCUS_RING}",
            if active {
                "bg-indigo-600 font-semibold text-white ring-indigo-600"
            } else {
                "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
            },
        );
        let code = status.map_or("all", ApplicationStatus::code);
        view! {
            <a href=list_href(&tenant, &query.with_status(status)) class=class aria-current=active.then_some("page")
                data-testid=format!("status-chip-{code}")>
                <span>{t(label)}</span>
                <span class="tabular-nums" data-testid="status-count">{count}</span>
            </a>
        }
    };
    let chips = list
        .counts
        .iter()
        .filter(|count| count.count > 0 || query.status == Some(count.status))
        .map(|count| chip(count.status.label(), count.count, Some(count.status)))
        .collect_view();
    view! {
        <nav aria-label=t(STATUSES) class="mb-4 flex flex-wrap gap-2" data-testid="status-chips">
            {chip(ALL, all, None)}
            {chips}
        </nav>
    }
}

#[component]
fn Rows(tenant: String, list: ApplicationList, query: ApplicationQuery) -> impl IntoView {
    if list.rows.is_empty() {
        return view! { <EmptyState title=ts(EMPTY_TITLE) description=ts(EMPTY_TEXT) /> }.into_any();
    }
    let columns = vec![
        Column::text("student", STUDENT).not_sortable(),
        Column::text("cpf", CPF).not_sortable(),
        Column::text("class", COURSE_CLASS).not_sortable(),
        Column::text("status", STATUS).not_sortable(),
        Column::text("submitted", SUBMITTED).not_sortable(),
    ];
    let rows: Vec<Vec<Cell>> = list
        .rows
        .iter()
        .map(|row| {
            vec![
                Cell::text(row.student.clone()).link(format!("/{tenant}/matriculas/inscricoes/{}", row.id)),
                Cell::text(row.cpf.clone().unwrap_or_default()),
                Cell::text(format!("{} · {} · {}", row.course, row.term, t_now(row.shift.label()))),
                Cell::text(t_now(row.status.label())).badge(status_tone(row.status)),
                Cell::text(row.submitted_at.map(|at| format_date(brasilia_day(at))).unwrap_or_else(|| "—".into())),
            ]
        })
        .collect();
    view! {
        <DataTable columns rows paged_by_caller=true caption=ts(CAPTION) test_id="applications-table" />
        <Pager tenant list query />
    }
    .into_any()
}

/// "Página 2 de 7 · 312 inscrições" and links to the pages around it.
#[component]
fn Pager(tenant: String, list: ApplicationList, query: ApplicationQuery) -> impl IntoView {
    let link = |label: Text, page: i64, enabled: bool, test_id: &'static str| {
        let class = format!(
            "rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 {}",
            if enabled { "hover:bg-slate-50" } else { "cursor-not-allowed opacity-50" },
        );
        if enabled {
            view! { <a href=list_href(&tenant, &query.with_page(page)) class=format!("{class} {FOCUS_RING}") data-testid=test_id>{t(label)}</a> }
                .into_any()
        } else {
            view! { <span class=class aria-disabled="true" data-testid=test_id>{t(label)}</span> }.into_any()
        }
    };
    let noun = if list.total == 1 { "inscrição" } else { "inscrições" };
    let summary = format!("Página {} de {} · {} {noun}", list.page, list.pages.max(1), list.total);
    view! {
        <div class="mt-3 flex flex-wrap items-center justify-between gap-2">
            <p class="text-sm tabular-nums text-slate-600" aria-live="polite" data-testid="list-summary">{summary}</p>
            <nav aria-label=t(PAGINATION) class="flex gap-2">
                {link(PREVIOUS, list.page - 1, list.page > 1, "list-prev")}
                {link(NEXT, list.page + 1, list.page < list.pages, "list-next")}
            </nav>
        </div>
    }
}
