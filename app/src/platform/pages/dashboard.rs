//! `/:tenant/painel`: the backoffice home. A new organization lands here to a guided checklist of first steps.

use leptos::prelude::*;

use crate::i18n::{Text, t, ts};
use crate::platform::{
    auth::Role,
    layout::{Allowed, use_viewer},
    tenancy::Module,
    users::api::count_users,
};
use crate::ui::{Badge, Card, PageHeader, Skeleton, Tone};

const SUBTITLE: Text = Text::new("Seus primeiros passos no Atrium.", "Your first steps on Atrium.");
const STEPS: Text = Text::new("Primeiros passos", "First steps");
const PLAN: Text = Text::new("Plano", "Plan");
const PEOPLE: Text = Text::new("Pessoas ativas", "Active people");
const TEAM_TITLE: Text = Text::new("Convide sua equipe", "Invite your team");
const TEAM_TEXT: Text = Text::new(
    "Dê acesso à secretaria, aos consultores e aos estudantes, cada um com o seu papel.",
    "Give access to staff, consultants and students, each with their own role.",
);
const TEAM_STAFF_TEXT: Text = Text::new(
    "O proprietário convida as pessoas e define o papel de cada uma.",
    "The owner invites people and sets each one's role.",
);

fn module_step(module: Module) -> (Text, Text) {
    match module {
        Module::Enrollment => (
            Text::new("Cadastre o primeiro curso", "Add the first course"),
            Text::new(
                "Cursos, turmas e um período de matrícula abrem as inscrições dos estudantes.",
                "Courses, classes and an enrollment period open applications to students.",
            ),
        ),
        Module::Crm => (
            Text::new("Monte o quadro de leads", "Set up the lead board"),
            Text::new(
                "Leads chegam pelo WhatsApp e pelo site e são distribuídos entre os consultores.",
                "Leads arrive by WhatsApp and the website and are shared out among consultants.",
            ),
        ),
        Module::Finance => (
            Text::new("Cadastre suas contas", "Add your accounts"),
            Text::new(
                "Contas, categorias e lançamentos formam a DRE e a previsão de caixa.",
                "Accounts, categories and transactions make up the income statement and forecast.",
            ),
        ),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE>
            <Dashboard />
        </Allowed>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let Some(viewer) = use_viewer() else { return ().into_any() };
    let greeting = super::greeting(viewer.first_name().to_string());
    let people = Resource::new(|| (), |()| count_users());
    let slug = viewer.tenant.slug.clone();
    let is_owner = viewer.role == Role::Owner;
    let plan = viewer.tenant.plan;
    let steps = viewer
        .tenant
        .modules
        .enabled()
        .filter(|module| viewer.may_open(*module))
        .map(|module| {
            let (title, text) = module_step(module);
            view! { <Step href=format!("/{slug}/{}", module.segment()) title text /> }
        })
        .collect_view();
    let team_href = if is_owner { format!("/{slug}/configuracoes/usuarios") } else { format!("/{slug}/configuracoes") };
    view! {
        <PageHeader title=greeting subtitle=ts(SUBTITLE) />
        <div class="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
            <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
                <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{t(PLAN)}</p>
                <p class="mt-1 text-2xl font-semibold text-slate-900" data-testid="plan">{t(plan.label())}</p>
            </div>
            <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
                <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{t(PEOPLE)}</p>
                <Suspense fallback=|| view! { <Skeleton class="mt-2 h-7 w-12" /> }>
                    <p class="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid="people-count">
                        {move || people.get().map(|count| count.map_or_else(|_| "—".to_string(), |n| n.to_string()))}
                    </p>
                </Suspense>
            </div>
        </div>
        <Card>
            <h2 class="text-sm font-semibold text-slate-700">{t(STEPS)}</h2>
            <ol class="mt-3 divide-y divide-slate-100" data-testid="first-steps">
                <Step href=team_href title=TEAM_TITLE text=if is_owner { TEAM_TEXT } else { TEAM_STAFF_TEXT } />
                {steps}
            </ol>
        </Card>
    }
    .into_any()
}

#[component]
fn Step(href: String, title: Text, text: Text) -> impl IntoView {
    view! {
        <li>
            <a href=href class="group flex items-start justify-between gap-4 rounded-md px-2 py-3 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
                <span>
                    <span class="block text-sm font-medium text-slate-900 group-hover:text-indigo-700">{t(title)}</span>
                    <span class="block text-sm text-slate-600">{t(text)}</span>
                </span>
                <Badge tone=Tone::Info>{t(Text::new("A fazer", "To do"))}</Badge>
            </a>
        </li>
    }
}
