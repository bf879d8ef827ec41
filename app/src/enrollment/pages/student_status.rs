//! `/:tenant/portal/inscricao/:id`: the student's own application — where it stands in their words, what to do
//! next, its history (newest first), and "Desistir da inscrição" while nothing has ended it. Built for a phone,
//! and plain HTML (`routes::server_rendered_only`): the withdrawal opens as a disclosure and posts a form.

use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::enrollment::{
    api::status::{WithdrawApplication, my_application_status},
    components::status_tone,
    links::{certificate_path, payment_path},
    status_types::{ApplicationStatusView, RefusedDocument, StatusEvent, explanation},
    types::ApplicationStatus,
    wizard_types::WizardStep,
};
use crate::i18n::{Text, t, t_now, ts};
use crate::platform::{AppError, auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, ButtonKind, Card, ErrorAlert, FOCUS_RING, FormAlert, PageHeader, SkeletonRows, form_error,
    use_toaster,
};

const TITLE: Text = Text::new("Sua inscrição", "Your application");
const NEXT: Text = Text::new("O que fazer agora", "What to do now");
const RESUME: Text = Text::new("Continuar inscrição", "Continue the application");
const FIX_DOCUMENTS: Text = Text::new("Enviar documentos de novo", "Send documents again");
const RESUBMIT: Text = Text::new("Revisar e reenviar", "Review and resubmit");
const PAY: Text = Text::new("Pagar matrícula", "Pay the enrollment fee");
const DECISION: Text = Text::new("Mensagem da secretaria", "Message from the office");
const REFUSED: Text = Text::new("Documentos recusados", "Refused documents");
const HISTORY: Text = Text::new("Histórico", "History");
const WITHDRAW: Text = Text::new("Desistir da inscrição", "Withdraw the application");
const WITHDRAW_TITLE: Text = Text::new("Desistir da inscrição?", "Withdraw the application?");
const WITHDRAW_TEXT: Text = Text::new(
    "A inscrição é encerrada e não pode ser retomada; se havia vaga reservada, ela fica livre para outra pessoa. \
     Para estudar depois, faça uma nova inscrição.",
    "The application ends for good; a reserved seat goes to someone else. To study later, apply again.",
);
const WITHDRAW_REASON: Text = Text::new("Conte o motivo, se quiser (opcional)", "Tell us why, if you like (optional)");
const WITHDRAW_CONFIRM: Text = Text::new("Desistir", "Withdraw");
const WITHDRAWN: Text = Text::new("Você desistiu da inscrição.", "You withdrew the application.");

#[component]
pub fn StudentStatusPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Student] module=Module::Enrollment>
            <Status />
        </Allowed>
    }
}

#[component]
fn Status() -> impl IntoView {
    let params = use_params_map();
    let tenant = move || params.read().get("tenant").unwrap_or_default();
    let application = move || params.read().get("id").and_then(|id| id.parse::<Uuid>().ok());
    let status = Resource::new(application, |id| async move {
        match id {
            Some(id) => my_application_status(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let reload = Callback::new(move |()| status.refetch());
    view! {
        <div class="mx-auto max-w-2xl">
            <PageHeader title=ts(TITLE) />
            <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=1 /> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(view) => view! { <Application tenant=tenant() view reload /> }.into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Application(tenant: String, view: ApplicationStatusView, reload: Callback<()>) -> impl IntoView {
    let can_withdraw = view.can_withdraw();
    let id = view.id;
    let next = next_steps(&tenant, &view);
    let decision = view.decision.clone().map(|text| {
        view! {
            <div class="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="status-decision">
                <p class="font-semibold">{t(DECISION)}</p>
                <p class="whitespace-pre-line">{text}</p>
            </div>
        }
    });
    let refused = (!view.refused.is_empty()).then(|| view! { <Refused documents=view.refused.clone() /> });
    view! {
        <Card>
            <div class="flex items-start justify-between gap-3">
                <div>
                    <p class="text-lg font-semibold text-slate-900">{view.course_name.clone()}</p>
                    <p class="text-sm text-slate-600">{view.term.clone()}</p>
                </div>
                <span data-testid="status-badge"><Badge tone=status_tone(view.status)>{t(view.status.label())}</Badge></span>
            </div>
            <p class="mt-3 text-sm text-slate-700" data-testid="status-explanation">{t(explanation(view.status))}</p>
            {decision}
            {refused}
            {next}
        </Card>
        <section class="mt-6" aria-labelledby="status-history">
            <h2 id="status-history" class="mb-3 text-base font-semibold text-slate-900">{t(HISTORY)}</h2>
            <ol class="space-y-3 border-l-2 border-slate-200 pl-4" data-testid="status-timeline">
                {view.timeline.into_iter().map(|event| view! { <Event event /> }).collect_view()}
            </ol>
        </section>
        {can_withdraw.then(|| view! { <Withdraw id reload /> })}
    }
}

/// The links that take the student to what they must do: the wizard where they stopped, or the documents to
/// send again and the resubmission.
fn next_steps(tenant: &str, view: &ApplicationStatusView) -> Option<AnyView> {
    let link = |href: String, label: Text, test_id: &'static str, primary: bool| {
        let look = if primary {
            "bg-indigo-600 text-white hover:bg-indigo-500"
        } else {
            "text-indigo-700 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-50"
        };
        view! {
            <a href=href data-testid=test_id class=format!("inline-flex w-full items-center justify-center rounded-md px-3.5 py-2.5 text-sm font-semibold sm:w-auto {look} {FOCUS_RING}")>
                {t(label)}
            </a>
        }
    };
    let links = match view.status {
        ApplicationStatus::Draft => {
            vec![link(view.completed.resumes_at().path(tenant, view.id), RESUME, "status-resume", true)]
        }
        ApplicationStatus::ChangesRequested => vec![
            link(WizardStep::Documents.path(tenant, view.id), FIX_DOCUMENTS, "status-fix-documents", true),
            link(WizardStep::Review.path(tenant, view.id), RESUBMIT, "status-resubmit", false),
        ],
        ApplicationStatus::Approved | ApplicationStatus::AwaitingPayment => {
            vec![link(payment_path(tenant, view.id), PAY, "status-pay", true)]
        }
        ApplicationStatus::Enrolled => vec![link(
            certificate_path(tenant, view.id),
            crate::enrollment::certificate::types::CERTIFICATE,
            "status-certificate",
            true,
        )],
        _ => return None,
    };
    Some(
        view! {
            <div class="mt-4">
                <p class="mb-2 text-sm font-semibold text-slate-900">{t(NEXT)}</p>
                <div class="flex flex-col gap-2 sm:flex-row">{links}</div>
            </div>
        }
        .into_any(),
    )
}

#[component]
fn Refused(documents: Vec<RefusedDocument>) -> impl IntoView {
    view! {
        <div class="mt-4" data-testid="status-refused">
            <p class="text-sm font-semibold text-slate-900">{t(REFUSED)}</p>
            <ul class="mt-1 space-y-1">
                {documents.into_iter().map(|document| {
                    let text = (!document.reason_text.is_empty()).then(|| format!(" — {}", document.reason_text));
                    view! {
                        <li class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
                            <strong>{document.kind_name}": "</strong>{document.reason.map(|reason| t(reason.label()))}{text}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn Event(event: StatusEvent) -> impl IntoView {
    let reason = (!event.reason.is_empty())
        .then(|| view! { <p class="mt-1 whitespace-pre-line text-sm text-slate-700">{event.reason.clone()}</p> });
    view! {
        <li data-testid="status-event" data-status=event.to.code()>
            <p class="text-sm font-semibold text-slate-900">{t(event.to.label())}</p>
            <p class="text-xs text-slate-500">{event.when.clone()}" · "{t(event.by.label())}</p>
            {reason}
        </li>
    }
}

/// "Desistir da inscrição": a disclosure (a native `<details>`, so it opens without wasm) with the consequences, an
/// optional reason and the confirmation. A plain post comes back to this page (`withdraw_application` redirects);
/// reached by client-side navigation, the form is sent with `fetch` and the page reads the application again.
#[component]
fn Withdraw(id: Uuid, reload: Callback<()>) -> impl IntoView {
    let action = ServerAction::<WithdrawApplication>::new();
    let result = action.value();
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(())) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(t_now(WITHDRAWN));
            }
            reload.run(());
        }
    });
    // A refused plain post comes back with the error: the disclosure opens again to show it.
    let refused = move || result.with(|result| matches!(result, Some(Err(_))));
    view! {
        <details class="group mt-8 border-t border-slate-200 pt-4" open=refused data-testid="withdraw">
            <summary data-testid="withdraw-open" class=format!("inline-flex cursor-pointer list-none items-center justify-center rounded-md bg-white px-3.5 py-2 text-sm font-semibold text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 group-open:bg-slate-100 [&::-webkit-details-marker]:hidden {FOCUS_RING}")>
                {t(WITHDRAW)}
            </summary>
            <div class="mt-3 rounded-lg border border-rose-200 bg-white p-4 shadow-xs" role="group" aria-labelledby="withdraw-title" data-testid="withdraw-dialog">
                <h2 id="withdraw-title" class="text-base font-semibold text-slate-900">{t(WITHDRAW_TITLE)}</h2>
                <ActionForm action attr:class="mt-2 space-y-3" attr:novalidate=true attr:data-testid="withdraw-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <p class="text-sm text-slate-700">{t(WITHDRAW_TEXT)}</p>
                    <div>
                        <label for="withdraw-reason" class="block text-sm font-medium text-slate-700">{t(WITHDRAW_REASON)}</label>
                        <textarea id="withdraw-reason" name="reason" rows="3" maxlength="2000" data-testid="withdraw-reason"
                            class=format!("mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm {FOCUS_RING}")>
                        </textarea>
                    </div>
                    <FormAlert message=form_error(result, &[]) />
                    <div class="flex sm:justify-end">
                        <Button kind=ButtonKind::Danger button_type="submit" busy=action.pending() test_id="withdraw-confirm">
                            {t(WITHDRAW_CONFIRM)}
                        </Button>
                    </div>
                </ActionForm>
            </div>
        </details>
    }
}
