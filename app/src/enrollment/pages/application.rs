//! `/:tenant/matriculas/inscricoes/:id`: one application for staff. The student's data, the guardian, the contract,
//! the timeline of every move (who, when, why), the document checklist with a viewer in the page (PDF in a frame,
//! images as images, from the audited document route) and a decision per document; then the application's
//! decision, offering only the moves the state machine allows from where it stands.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::enrollment::{
    api::review::{DecideApplication, ReviewDocument, load_application_review},
    certificate::staff::ReissueCertificate,
    components::{CatalogTab, CatalogTabs, PaymentRules, status_tone},
    document_types::{ChecklistItem, DocumentStatus, RejectionReason, document_url},
    review_types::ApplicationReview,
    types::{ApplicationStatus, TimelineEntry},
};
use crate::i18n::{Text, format_datetime_brasilia, t, t_now, ts};
use crate::platform::{AppError, auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, ButtonKind, Card, ErrorAlert, FOCUS_RING, FormAlert, Modal, PageHeader, SelectField, SkeletonRows,
    TextField, Tone, field_error, form_error, use_toaster,
};

const BACK: Text = Text::new("← Inscrições", "← Applications");
const STUDENT: Text = Text::new("Estudante", "Student");
const EMAIL: Text = Text::new("E-mail", "E-mail");
const CPF: Text = Text::new("CPF", "CPF");
const PHONE: Text = Text::new("Telefone", "Phone");
const GUARDIAN: Text = Text::new("Responsável financeiro", "Financial guardian");
const SELF_GUARDIAN: Text = Text::new("O próprio estudante", "The student");
const CONTRACT: Text = Text::new("Contrato", "Contract");
const ACCEPTED_AT: Text = Text::new("Aceito em", "Accepted on");
const NOT_ACCEPTED: Text = Text::new("Ainda não aceito", "Not accepted yet");
const TIMELINE: Text = Text::new("Histórico", "Timeline");
const SYSTEM: Text = Text::new("Sistema", "System");
const DOCUMENTS: Text = Text::new("Documentos", "Documents");
const VIEW: Text = Text::new("Ver", "View");
const NOTHING_SENT: Text = Text::new("Não enviado", "Not sent");
const PICK_ONE: Text =
    Text::new("Escolha um documento da lista para vê-lo aqui.", "Choose a document from the list to see it here.");
const OPEN_NEW_TAB: Text = Text::new("Abrir em nova aba", "Open in a new tab");
const APPROVE_DOCUMENT: Text = Text::new("Aprovar documento", "Approve document");
const REJECT_DOCUMENT: Text = Text::new("Recusar documento", "Reject document");
const REASON: Text = Text::new("Motivo", "Reason");
const REASON_TEXT: Text = Text::new("Explicação para o estudante", "Explanation for the student");
const DOCUMENT_SAVED: Text = Text::new("Decisão do documento registrada.", "Document decision recorded.");
const DECISION: Text = Text::new("Decisão", "Decision");
const APPROVE: Text = Text::new("Aprovar inscrição", "Approve application");
const REQUEST_CHANGES: Text = Text::new("Pedir correções", "Request changes");
const REJECT: Text = Text::new("Indeferir", "Reject");
const DECISION_REASON: Text = Text::new("Motivo (o estudante vai ler)", "Reason (the student will read it)");
const CONFIRM: Text = Text::new("Confirmar", "Confirm");
const CANCEL: Text = Text::new("Cancelar", "Cancel");
const DECIDED: Text = Text::new("Decisão registrada.", "Decision recorded.");
const NO_DECISION: Text = Text::new(
    "Nenhuma decisão cabe agora: a inscrição não está em análise.",
    "No decision applies now: the application is not under review.",
);

#[component]
pub fn ApplicationPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Enrollment>
            <Application />
        </Allowed>
    }
}

#[component]
fn Application() -> impl IntoView {
    let params = use_params_map();
    let tenant = params.read_untracked().get("tenant").unwrap_or_default();
    let id = move || params.read().get("id").and_then(|id| id.parse::<Uuid>().ok());
    let version = RwSignal::new(0_u32);
    let review = Resource::new(
        move || (id(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_application_review(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let reload = Callback::new(move |()| version.update(|version| *version += 1));
    // The document in the viewer, by its line; kept here so a decision (which reloads the page's data) leaves it.
    let chosen = RwSignal::new(None::<usize>);
    view! {
        <a href=format!("/{tenant}/matriculas/inscricoes") class=format!("mb-2 inline-block text-sm text-indigo-700 hover:underline {FOCUS_RING}")>
            {t(BACK)}
        </a>
        <Transition fallback=|| view! { <SkeletonRows rows=6 columns=3 /> }>
            {move || {
                let tenant = tenant.clone();
                review.get().map(|answer| match answer {
                    Ok(review) => view! { <Review tenant review chosen reload /> }.into_any(),
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                })
            }}
        </Transition>
    }
}

#[component]
fn Review(
    tenant: String,
    review: ApplicationReview,
    chosen: RwSignal<Option<usize>>,
    reload: Callback<()>,
) -> impl IntoView {
    let subtitle = format!("{} · {} · {}", review.course, review.term, t_now(review.shift.label()));
    let guardian = if review.guardian_is_student {
        t_now(SELF_GUARDIAN).to_string()
    } else {
        format!(
            "{} · CPF {}",
            review.guardian_name.clone().unwrap_or_default(),
            shown_cpf(review.guardian_cpf.as_deref())
        )
    };
    let contract = review
        .contract_accepted_at
        .map(|at| format!("{} {}", t_now(ACCEPTED_AT), format_datetime_brasilia(at)))
        .unwrap_or_else(|| t_now(NOT_ACCEPTED).to_string());
    let under_review = review.status == ApplicationStatus::UnderReview;
    view! {
        <PageHeader title=review.student.clone() subtitle=subtitle>
            <span data-testid="application-status"><Badge tone=status_tone(review.status)>{t(review.status.label())}</Badge></span>
        </PageHeader>
        <CatalogTabs current=CatalogTab::Applications />
        <div class="grid gap-4 lg:grid-cols-3">
            <Card>
                <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="student-data">
                    <Fact label=STUDENT value=review.student.clone() />
                    <Fact label=EMAIL value=review.email.clone() />
                    <Fact label=CPF value=shown_cpf(review.cpf.as_deref()) />
                    <Fact label=PHONE value=review.phone.clone().unwrap_or_default() />
                    <Fact label=GUARDIAN value=guardian />
                    <Fact label=CONTRACT value=contract />
                </dl>
            </Card>
            <div class="lg:col-span-2">
                <Decision id=review.id status=review.status reload />
                {(review.status == ApplicationStatus::Enrolled).then(|| view! { <ReissueCertificate id=review.id /> })}
            </div>
        </div>
        <Documents tenant application=review.id items=review.documents.items can_review=under_review chosen reload />
        <PaymentRules payment=review.payment status=review.status />
        <Timeline entries=review.timeline />
    }
}

#[component]
fn Fact(label: Text, value: String) -> impl IntoView {
    view! {
        <dt class="font-medium text-slate-500">{t(label)}</dt>
        <dd class="min-w-0 break-words text-slate-900">{value}</dd>
    }
}

#[component]
fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    view! {
        <section class="mt-6" aria-labelledby="timeline-title">
            <h2 id="timeline-title" class="mb-2 text-base font-semibold text-slate-900">{t(TIMELINE)}</h2>
            <Card>
                <ol class="space-y-3 text-sm" data-testid="timeline">
                    {entries
                        .into_iter()
                        .rev()
                        .map(|entry| {
                            let actor = entry.actor.unwrap_or_else(|| t_now(SYSTEM).to_string());
                            view! {
                                <li class="border-l-2 border-slate-200 pl-3" data-testid="timeline-entry">
                                    <p class="flex flex-wrap items-center gap-2">
                                        <Badge tone=status_tone(entry.to)>{t(entry.to.label())}</Badge>
                                        <span class="text-slate-600">{actor}</span>
                                        <span class="tabular-nums text-slate-500">{format_datetime_brasilia(entry.at)}</span>
                                    </p>
                                    {(!entry.reason.is_empty()).then(|| view! { <p class="mt-1 text-slate-800">{entry.reason.clone()}</p> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </Card>
        </section>
    }
}

fn document_tone(status: DocumentStatus) -> Tone {
    match status {
        DocumentStatus::Missing => Tone::Neutral,
        DocumentStatus::Pending => Tone::Info,
        DocumentStatus::Approved => Tone::Success,
        DocumentStatus::Rejected => Tone::Danger,
    }
}

/// The checklist on the left, the chosen document in a viewer on the right with its decision below it.
#[component]
fn Documents(
    tenant: String,
    application: Uuid,
    items: Vec<ChecklistItem>,
    can_review: bool,
    chosen: RwSignal<Option<usize>>,
    reload: Callback<()>,
) -> impl IntoView {
    // Until staff pick one, the first document sent.
    if chosen.get_untracked().is_none() {
        chosen.set(items.iter().position(|item| item.document_id.is_some()));
    }
    let list = items.clone();
    let viewer_items = items.clone();
    view! {
        <section class="mt-6" aria-labelledby="documents-title">
            <h2 id="documents-title" class="mb-2 text-base font-semibold text-slate-900">{t(DOCUMENTS)}</h2>
            <div class="grid gap-4 lg:grid-cols-[minmax(16rem,1fr)_2fr]">
                <Card flush=true>
                    <ul class="divide-y divide-slate-100" data-testid="document-list">
                        {list
                            .into_iter()
                            .enumerate()
                            .map(|(index, item)| view! { <DocumentLine index item chosen /> })
                            .collect_view()}
                    </ul>
                </Card>
                <div>
                    {move || match chosen.get().and_then(|index| viewer_items.get(index).cloned()) {
                        Some(item) => view! { <Viewer tenant=tenant.clone() application item can_review reload /> }.into_any(),
                        None => view! { <Card><p class="text-sm text-slate-500">{t(PICK_ONE)}</p></Card> }.into_any(),
                    }}
                </div>
            </div>
        </section>
    }
}

#[component]
fn DocumentLine(index: usize, item: ChecklistItem, chosen: RwSignal<Option<usize>>) -> impl IntoView {
    let sent = item.document_id.is_some();
    let reason = item.reason.map(|reason| {
        let text = item.reason_text.clone().map(|text| format!(": {text}")).unwrap_or_default();
        format!("{}{text}", t_now(reason.label()))
    });
    view! {
        <li class="flex items-center gap-3 px-3 py-2 text-sm" data-testid="document-line"
            aria-current=move || (chosen.get() == Some(index)).then_some("true")>
            <div class="min-w-0 flex-1">
                <p class="font-medium text-slate-900">{item.kind_name.clone()}</p>
                <p class="truncate text-xs text-slate-500">
                    {item.original_name.clone().unwrap_or_else(|| t_now(NOTHING_SENT).to_string())}
                </p>
                {reason.map(|reason| view! { <p class="text-xs text-rose-700">{reason}</p> })}
            </div>
            <Badge tone=document_tone(item.status)>{t(item.status.label())}</Badge>
            {sent.then(|| view! {
                <button type="button" data-testid="document-view"
                    class=move || format!(
                        "rounded-md px-2 py-1 text-xs font-semibold {} {FOCUS_RING}",
                        if chosen.get() == Some(index) { "bg-indigo-600 text-white" } else { "text-indigo-700 hover:bg-indigo-50" },
                    )
                    on:click=move |_| chosen.set(Some(index))>
                    {t(VIEW)}
                </button>
            })}
        </li>
    }
}

/// The document in the page (a PDF in a frame, an image as an image), a link to open it alone, and — while the
/// application is under review — approve, or reject with a reason code and text.
#[component]
fn Viewer(
    tenant: String,
    application: Uuid,
    item: ChecklistItem,
    can_review: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let Some(document) = item.document_id else { return ().into_any() };
    let src = document_url(&tenant, application, document);
    let name = item.original_name.clone().unwrap_or_else(|| item.kind_name.clone());
    let shown = if item.mime.as_deref() == Some("application/pdf") {
        view! { <iframe src=src.clone() title=name.clone() class="h-[36rem] w-full rounded-md border border-slate-200" data-testid="document-frame"></iframe> }.into_any()
    } else {
        view! { <img src=src.clone() alt=name.clone() class="max-h-[36rem] w-full rounded-md border border-slate-200 object-contain" data-testid="document-image" /> }.into_any()
    };
    view! {
        <Card>
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <p class="font-medium text-slate-900">{item.kind_name.clone()}</p>
                <a href=src target="_blank" rel="noopener" class=format!("text-sm text-indigo-700 hover:underline {FOCUS_RING}")>{t(OPEN_NEW_TAB)}</a>
            </div>
            {shown}
            {can_review.then(|| view! { <DocumentDecision application document reload /> })}
        </Card>
    }
    .into_any()
}

#[component]
fn DocumentDecision(application: Uuid, document: Uuid, reload: Callback<()>) -> impl IntoView {
    let action = ServerAction::<ReviewDocument>::new();
    let result = action.value();
    let reason = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(())) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(t_now(DOCUMENT_SAVED));
            }
            reload.run(());
        }
    });
    let send = move |approve: bool| {
        action.dispatch(ReviewDocument {
            application_id: application,
            document_id: document,
            approve,
            reason: RejectionReason::from_code(&reason.get_untracked()),
            text: text.get_untracked(),
        });
    };
    let reasons = move || {
        RejectionReason::ALL
            .into_iter()
            .map(|reason| (reason.code().to_string(), t_now(reason.label()).to_string()))
            .collect()
    };
    view! {
        <form class="mt-3 grid gap-3 border-t border-slate-100 pt-3 sm:grid-cols-[12rem_1fr]" novalidate data-testid="document-decision"
            on:submit=move |event: leptos::ev::SubmitEvent| { event.prevent_default(); send(false); }>
            <SelectField label=ts(REASON) name="reason" options=Signal::derive(reasons) value=reason placeholder=ts(REASON)
                error=field_error(result, "reason") test_id="document-reason" />
            <TextField label=ts(REASON_TEXT) name="reason_text" value=text error=field_error(result, "reason_text") test_id="document-reason-text" />
            <div class="sm:col-span-2"><FormAlert message=form_error(result, &["reason", "reason_text"]) /></div>
            <div class="flex flex-wrap gap-2 sm:col-span-2">
                <Button kind=ButtonKind::Secondary button_type="submit" busy=action.pending() test_id="document-reject">{t(REJECT_DOCUMENT)}</Button>
                <Button busy=action.pending() on_click=Callback::new(move |()| send(true)) test_id="document-approve">{t(APPROVE_DOCUMENT)}</Button>
            </div>
        </form>
    }
}

/// The decisions the state machine allows from `status`, each confirmed in a dialog with its reason.
#[component]
fn Decision(id: Uuid, status: ApplicationStatus, reload: Callback<()>) -> impl IntoView {
    let choices: Vec<(ApplicationStatus, Text, &'static str)> = [
        (ApplicationStatus::Approved, APPROVE, "decide-approve"),
        (ApplicationStatus::ChangesRequested, REQUEST_CHANGES, "decide-changes"),
        (ApplicationStatus::Rejected, REJECT, "decide-reject"),
    ]
    .into_iter()
    .filter(|(to, _, _)| status.can_go_to(*to))
    .collect();
    let open = RwSignal::new(false);
    let to = RwSignal::new(ApplicationStatus::Approved);
    let reason = RwSignal::new(String::new());
    let action = ServerAction::<DecideApplication>::new();
    let result = action.value();
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(())) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(t_now(DECIDED));
            }
            open.set(false);
            reload.run(());
        }
    });
    let buttons = if choices.is_empty() {
        view! { <p class="text-sm text-slate-500">{t(NO_DECISION)}</p> }.into_any()
    } else {
        choices
            .into_iter()
            .map(|(target, label, test_id)| {
                let kind =
                    if target == ApplicationStatus::Approved { ButtonKind::Primary } else { ButtonKind::Secondary };
                let start = Callback::new(move |()| {
                    action.value().set(None);
                    reason.set(String::new());
                    to.set(target);
                    open.set(true);
                });
                view! { <Button kind on_click=start test_id>{t(label)}</Button> }
            })
            .collect_view()
            .into_any()
    };
    let title = Signal::derive(move || {
        t_now(match to.get() {
            ApplicationStatus::Approved => APPROVE,
            ApplicationStatus::ChangesRequested => REQUEST_CHANGES,
            _ => REJECT,
        })
        .to_string()
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(DecideApplication { id, to: to.get_untracked(), reason: reason.get_untracked() });
    };
    view! {
        <Card>
            <h2 class="mb-3 text-base font-semibold text-slate-900">{t(DECISION)}</h2>
            <div class="flex flex-wrap gap-2" data-testid="decision">{buttons}</div>
        </Card>
        <Modal open title id="decision-modal" test_id="decision-modal">
            <form class="space-y-4" on:submit=submit novalidate>
                <TextField label=ts(DECISION_REASON) name="decision_reason" value=reason error=field_error(result, "reason")
                    required=to.get_untracked() != ApplicationStatus::Approved test_id="decision-reason" />
                <FormAlert message=form_error(result, &["reason"]) />
                <div class="flex justify-end gap-2">
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| open.set(false))>{t(CANCEL)}</Button>
                    <Button button_type="submit" busy=action.pending() test_id="decision-confirm">{t(CONFIRM)}</Button>
                </div>
            </form>
        </Modal>
    }
}

/// A CPF as people read it (000.000.000-00); a stored value that is not 11 digits is shown as it is. Plain string
/// slicing on purpose: the full `Cpf` parser would pull its checks into the browser bundle for a display nicety.
fn shown_cpf(cpf: Option<&str>) -> String {
    let cpf = cpf.unwrap_or_default();
    if cpf.len() == 11 && cpf.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}.{}.{}-{}", &cpf[..3], &cpf[3..6], &cpf[6..9], &cpf[9..])
    } else {
        cpf.to_string()
    }
}
