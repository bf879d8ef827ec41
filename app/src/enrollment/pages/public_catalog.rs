//! `/:tenant/cursos`: the public catalog of open classes. Rendered whole on the server (readable without
//! JavaScript), one card per class, light on a phone.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::enrollment::{
    api::public::open_catalog,
    types::{OpenClass, PublicCatalog},
};
use crate::i18n::{Text, format_brl, format_date, t, t_now};
use crate::platform::{AppError, layout::PublicFrame, pages::NotFoundPage};
use crate::ui::{Badge, Card, EmptyState, ErrorAlert, FOCUS_RING, Skeleton, Tone};

const TITLE: Text = Text::new("Cursos e inscrições", "Courses and applications");
const SUBTITLE: Text = Text::new(
    "Turmas com inscrições abertas. Escolha a sua e inscreva-se pelo celular.",
    "Classes open for applications. Choose yours and apply from your phone.",
);
const PER_MONTH: Text = Text::new("/mês", "/month");
const ENROLLMENT_FEE: Text = Text::new("Matrícula", "Enrollment fee");
const INSTALLMENTS: Text = Text::new("em até {n}x", "up to {n} installments");
const MONTHS: Text = Text::new("{n} meses", "{n} months");
const SEATS_LEFT: Text = Text::new("{n} vagas", "{n} seats left");
const LAST_SEATS: Text = Text::new("Últimas vagas: {n}", "Last seats: {n}");
const FULL: Text = Text::new("Esgotada", "Full");
const APPLY: Text = Text::new("Inscrever-se", "Apply");
const APPLICATIONS_UNTIL: Text = Text::new("Inscrições de {from} até {to}", "Applications from {from} to {to}");
const HAVE_ACCOUNT: Text = Text::new("Já tem cadastro? Entrar", "Already registered? Sign in");
const EMPTY_TITLE: Text = Text::new("Nenhuma inscrição aberta agora", "No applications open now");
const EMPTY_TEXT: Text = Text::new(
    "Quando um novo período de inscrições abrir, as turmas aparecem aqui.",
    "When a new application period opens, its classes show here.",
);

fn with_n(text: Text, n: impl std::fmt::Display) -> impl Fn() -> String + Send + Sync + 'static {
    let n = n.to_string();
    let text = t(text);
    move || text().replace("{n}", &n)
}

#[component]
pub fn PublicCatalogPage() -> impl IntoView {
    let slug = crate::platform::pages::tenant_slug();
    let catalog = Resource::new_blocking(slug, open_catalog);
    view! {
        <Title text=t_now(TITLE) />
        <Suspense fallback=|| view! { <PublicFrame wide=true><Skeleton class="h-64 w-full" /></PublicFrame> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => view! { <PublicFrame wide=true><Catalog catalog slug=slug() /></PublicFrame> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(error) => view! { <PublicFrame wide=true><ErrorAlert error /></PublicFrame> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Catalog(catalog: PublicCatalog, slug: String) -> impl IntoView {
    let PublicCatalog { tenant_name, signed_in_student, classes } = catalog;
    let sign_in = (!signed_in_student).then(|| {
        view! {
            <a href=format!("/{slug}/entrar") class=format!("rounded text-sm font-medium text-indigo-600 hover:text-indigo-500 {FOCUS_RING}")>
                {t(HAVE_ACCOUNT)}
            </a>
        }
    });
    let list = if classes.is_empty() {
        view! { <EmptyState title=t(EMPTY_TITLE) description=t(EMPTY_TEXT) /> }.into_any()
    } else {
        view! {
            <ul class="grid gap-4 md:grid-cols-2" data-testid="open-classes">
                {classes
                    .into_iter()
                    .map(|class| view! { <li><ClassCard class slug=slug.clone() signed_in_student /></li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="mb-6 flex flex-wrap items-end justify-between gap-3">
            <div>
                <p class="text-sm font-medium text-indigo-700" data-testid="catalog-tenant">{tenant_name}</p>
                <h1 class="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(SUBTITLE)}</p>
            </div>
            {sign_in}
        </div>
        {list}
    }
}

#[component]
fn ClassCard(class: OpenClass, slug: String, signed_in_student: bool) -> impl IntoView {
    let seats = if class.seats_left <= 0 {
        view! { <Badge tone=Tone::Danger>{t(FULL)}</Badge> }.into_any()
    } else if class.last_seats() {
        view! { <Badge tone=Tone::Warning>{with_n(LAST_SEATS, class.seats_left)}</Badge> }.into_any()
    } else {
        view! { <Badge tone=Tone::Success>{with_n(SEATS_LEFT, class.seats_left)}</Badge> }.into_any()
    };
    let apply = (class.seats_left > 0).then(|| {
        let href = crate::enrollment::links::apply_path(&slug, class.id, signed_in_student);
        view! {
            <a href=href data-testid="apply" class=format!("inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3.5 py-2.5 text-sm font-semibold text-white hover:bg-indigo-500 sm:w-auto {FOCUS_RING}")>
                {t(APPLY)}
            </a>
        }
    });
    let (opens_on, closes_on) = (format_date(class.opens_on), format_date(class.closes_on));
    let until = t(APPLICATIONS_UNTIL);
    let period = move || until().replace("{from}", &opens_on).replace("{to}", &closes_on);
    let installments = with_n(INSTALLMENTS, class.max_installments);
    let enrollment_fee = format_brl(class.enrollment_fee_cents);
    view! {
        <Card class="flex h-full flex-col gap-3">
            <div class="flex items-start justify-between gap-3">
                <h2 class="text-lg font-semibold leading-snug text-slate-900">{class.course_name.clone()}</h2>
                {seats}
            </div>
            <div class="flex flex-wrap gap-1.5">
                <Badge tone=Tone::Info>{t(class.modality.label())}</Badge>
                <Badge>{t(class.shift.label())}</Badge>
                <Badge>{class.term.clone()}</Badge>
                <Badge>{with_n(MONTHS, class.duration_months)}</Badge>
            </div>
            {(!class.description.is_empty()).then(|| view! { <p class="text-sm text-slate-600">{class.description.clone()}</p> })}
            <p class="text-slate-900">
                <span class="text-2xl font-semibold tabular-nums">{format_brl(class.monthly_fee_cents)}</span>
                <span class="text-sm text-slate-600">{t(PER_MONTH)}</span>
            </p>
            <p class="text-sm text-slate-600">
                {t(ENROLLMENT_FEE)}": "<span class="tabular-nums">{enrollment_fee}</span>" "{installments}
            </p>
            <p class="text-xs text-slate-500">{period}</p>
            <div class="mt-auto pt-1">{apply}</div>
        </Card>
    }
}
