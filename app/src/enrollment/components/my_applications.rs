use leptos::prelude::*;

use crate::enrollment::{
    api::wizard::my_applications,
    links::{payment_path, status_path},
    types::ApplicationStatus,
    wizard_types::MyApplication,
};
use crate::i18n::{Text, t};
use crate::platform::layout::use_viewer;
use crate::ui::{Badge, Card, EmptyState, FOCUS_RING, Skeleton};

const EMPTY_TITLE: Text = Text::new("Nenhuma inscrição ainda", "No applications yet");
const EMPTY_TEXT: Text = Text::new(
    "Escolha um curso com inscrições abertas e inscreva-se por aqui: dados, documentos e contrato pelo celular.",
    "Choose a course open for applications and apply here: details, documents and contract from your phone.",
);
const SEE_CLASSES: Text = Text::new("Ver cursos com inscrições abertas", "See courses open for applications");
const RESUME: Text = Text::new("Continuar inscrição", "Continue the application");
const DETAILS: Text = Text::new("Ver andamento", "See progress");
const PAY: Text = Text::new("Pagar matrícula", "Pay the enrollment fee");

/// The student's applications on their portal's home, a draft with the link that resumes its wizard.
#[component]
pub fn MyApplications() -> impl IntoView {
    let slug = use_viewer().map(|viewer| viewer.tenant.slug).unwrap_or_default();
    let mine = Resource::new(|| (), |()| my_applications());
    view! {
        <Suspense fallback=|| view! { <Skeleton class="h-32 w-full" /> }>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    let mine = mine.await.unwrap_or_default();
                    if mine.is_empty() {
                        return view! {
                            <div data-testid="portal-empty">
                                <EmptyState title=t(EMPTY_TITLE) description=t(EMPTY_TEXT)>
                                    <a href=format!("/{slug}/cursos") class=format!("text-sm font-semibold text-indigo-600 hover:text-indigo-500 {FOCUS_RING}")>{t(SEE_CLASSES)}</a>
                                </EmptyState>
                            </div>
                        }
                        .into_any();
                    }
                    view! {
                        <ul class="space-y-3" data-testid="my-applications">
                            {mine.into_iter().map(|application| view! { <li><Row application slug=slug.clone() /></li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
fn Row(application: MyApplication, slug: String) -> impl IntoView {
    let editable = matches!(application.status, ApplicationStatus::Draft | ApplicationStatus::ChangesRequested);
    let resume = editable.then(|| {
        view! {
            <a href=application.completed.resumes_at().path(&slug, application.id) data-testid="resume-application" class=format!("inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-500 sm:w-auto {FOCUS_RING}")>
                {t(RESUME)}
            </a>
        }
    });
    // Approved: the next step is paying (a plain link; this home ships no wasm).
    let payable = matches!(application.status, ApplicationStatus::Approved | ApplicationStatus::AwaitingPayment);
    let pay = payable.then(|| {
        view! {
            <a href=payment_path(&slug, application.id) data-testid="pay-application" class=format!("inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-500 sm:w-auto {FOCUS_RING}")>
                {t(PAY)}
            </a>
        }
    });
    view! {
        <Card>
            <div class="flex items-start justify-between gap-3">
                <div>
                    <p class="font-semibold text-slate-900">{application.course_name.clone()}</p>
                    <p class="text-sm text-slate-600">{application.term.clone()}</p>
                </div>
                <span data-testid="application-status"><Badge tone=super::status_tone(application.status)>{t(application.status.label())}</Badge></span>
            </div>
            <div class="mt-3 flex flex-col gap-2 sm:flex-row sm:items-center">
                {resume}
                {pay}
                <a href=status_path(&slug, application.id) data-testid="application-details" class=format!("inline-flex items-center justify-center rounded-md px-3.5 py-2 text-sm font-semibold text-indigo-700 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-50 {FOCUS_RING}")>
                    {t(DETAILS)}
                </a>
            </div>
        </Card>
    }
}
