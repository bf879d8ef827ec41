//! `/:tenant/portal/inscricao/:id/documentos`: the student's checklist of the documents their course asks for,
//! each with its status (faltando / enviado / aprovado / recusado, with the reason) and a phone-friendly upload.
//! The browser checks size and type before sending (a clear message, nothing sent); the server decides again,
//! from the bytes. Plain HTML (`routes::server_rendered_only`): each upload is a multipart form the browser posts
//! itself, checked first by the page's small script (`shell/enhance.js`); the route answers with this page again,
//! saying which document went up (`?enviado=`) or, refused, why (`platform::form_echo`). Reached by client-side
//! navigation, the wasm checks and sends it with `fetch` instead.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use crate::enrollment::{
    api::documents::my_application_documents,
    document_types::{
        ChecklistItem, DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, DocumentChecklist, DocumentStatus, TOO_LARGE, UPLOAD_ECHO,
        UploadRefusal, WRONG_TYPE, document_url, row_anchor, upload_url,
    },
};
use crate::i18n::{Text, format_datetime_brasilia, t, t_now, ts, use_locale};
use crate::platform::{auth::Role, form_echo, layout::Allowed, tenancy::Module};
use crate::ui::{Badge, Button, Card, EmptyState, ErrorAlert, FOCUS_RING, FormAlert, PageHeader, SkeletonRows, Tone};

const TITLE: Text = Text::new("Documentos da inscrição", "Application documents");
const SUBTITLE: Text = Text::new(
    "Envie cada documento em PDF ou como foto (JPEG ou PNG), até 10 MB.",
    "Send each document as a PDF or a photo (JPEG or PNG), up to 10 MB.",
);
const SEND: Text = Text::new("Enviar", "Send");
const RESEND: Text = Text::new("Enviar de novo", "Send again");
const VIEW: Text = Text::new("Ver arquivo", "View file");
const SENT_AT: Text = Text::new("Enviado em", "Sent on");
const REASON: Text = Text::new("Motivo", "Reason");
const CHOOSE: Text = Text::new("Arquivo", "File");
const SENT: Text = Text::new("Documento enviado.", "Document sent.");
const NO_FILE: Text = Text::new("Escolha um arquivo para enviar.", "Choose a file to send.");
const LOCKED: Text = Text::new(
    "A inscrição está em análise: os documentos não podem ser trocados agora.",
    "The application is under review: documents cannot be changed now.",
);
const CONTINUE: Text = Text::new("Continuar", "Continue");
const PENDING_NOTE: Text = Text::new(
    "Para enviar a inscrição, todos os documentos precisam estar enviados e nenhum recusado.",
    "To submit the application, every document must be sent and none rejected.",
);
const NONE_TITLE: Text = Text::new("Nenhum documento pedido", "No documents required");
const NONE_TEXT: Text = Text::new("Este curso não pede documentos. Siga para o contrato.", "Go on to the contract.");

#[component]
pub fn StudentDocumentsPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Student] module=Module::Enrollment>
            <Documents />
        </Allowed>
    }
}

#[component]
fn Documents() -> impl IntoView {
    let params = use_params_map();
    let tenant = move || params.read().get("tenant").unwrap_or_default();
    let application = move || params.read().get("id").and_then(|id| id.parse::<Uuid>().ok());
    let checklist = Resource::new(application, |id| async move {
        match id {
            Some(id) => my_application_documents(id).await,
            None => Err(crate::platform::AppError::NotFound),
        }
    });
    let reload = Callback::new(move |()| checklist.refetch());
    // After a plain upload: which document went up, or which was refused and why (read once, on the server).
    let refusal = form_echo::take::<UploadRefusal>(UPLOAD_ECHO);
    let query = use_query_map();
    let sent = move || query.read().get(form_echo::SENT_PARAM).and_then(|kind| kind.parse::<Uuid>().ok());
    view! {
        <div class="mx-auto max-w-2xl">
            <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
            <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=2 /> }>
                {move || {
                    let refusal = refusal.clone();
                    Suspend::new(async move {
                        match checklist.await {
                            Ok(checklist) => {
                                let outcome = Outcome { refusal, sent: sent() };
                                view! { <Checklist tenant=tenant() checklist outcome reload /> }.into_any()
                            }
                            Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

/// What the last plain upload did, for the row it was about.
#[derive(Clone)]
struct Outcome {
    refusal: Option<UploadRefusal>,
    sent: Option<Uuid>,
}

#[component]
fn Checklist(tenant: String, checklist: DocumentChecklist, outcome: Outcome, reload: Callback<()>) -> impl IntoView {
    let next = format!("/{tenant}/portal/inscricao/{}/contrato", checklist.application_id);
    let complete = checklist.complete();
    let empty = checklist.items.is_empty();
    let locked = (!checklist.can_upload)
        .then(|| view! { <FormAlert message=Signal::derive(move || Some(t(LOCKED)().to_string())) /> });
    let rows = checklist
        .items
        .into_iter()
        .map(|item| {
            let upload = checklist.can_upload && item.status != DocumentStatus::Approved;
            let refused = outcome.refusal.clone().filter(|refusal| refusal.kind == item.kind_id);
            let sent = outcome.sent == Some(item.kind_id);
            view! { <DocumentRow tenant=tenant.clone() application=checklist.application_id item upload refused sent reload /> }
        })
        .collect_view();
    view! {
        {locked}
        {empty.then(|| view! { <EmptyState title=ts(NONE_TITLE) description=ts(NONE_TEXT) /> })}
        <ul class="space-y-3" data-testid="document-checklist">{rows}</ul>
        <div class="mt-6 flex flex-col items-stretch gap-3 sm:flex-row sm:items-center sm:justify-between">
            <p class="text-sm text-slate-600">{(!complete).then(|| t(PENDING_NOTE))}</p>
            <a href=next data-testid="documents-continue"
                class=format!("inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-indigo-500 {FOCUS_RING}")>
                {t(CONTINUE)}
            </a>
        </div>
    }
}

fn tone(status: DocumentStatus) -> Tone {
    match status {
        DocumentStatus::Missing => Tone::Warning,
        DocumentStatus::Pending => Tone::Info,
        DocumentStatus::Approved => Tone::Success,
        DocumentStatus::Rejected => Tone::Danger,
    }
}

#[component]
fn DocumentRow(
    tenant: String,
    application: Uuid,
    item: ChecklistItem,
    upload: bool,
    refused: Option<UploadRefusal>,
    sent: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let status = item.status;
    let viewer = item.document_id.map(|id| {
        let href = document_url(&tenant, application, id);
        let name = item.original_name.clone().unwrap_or_default();
        let at = item.uploaded_at.map(format_datetime_brasilia).unwrap_or_default();
        view! {
            <p class="mt-1 text-sm text-slate-600">
                <a href=href target="_blank" rel="noopener" class=format!("font-medium text-indigo-700 underline {FOCUS_RING}")>
                    {t(VIEW)}": "{name}
                </a>
                " · "{t(SENT_AT)}" "{at}
            </p>
        }
    });
    let reason = (status == DocumentStatus::Rejected).then(|| {
        let code = item.reason.map(|reason| reason.label());
        let text = item.reason_text.clone().unwrap_or_default();
        view! {
            <p class="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="document-reason">
                <strong>{t(REASON)}": "</strong>{code.map(t)}{(!text.is_empty()).then(|| format!(" — {text}"))}
            </p>
        }
    });
    let form = upload.then(|| {
        let label = if status == DocumentStatus::Rejected || status == DocumentStatus::Pending { RESEND } else { SEND };
        view! { <UploadForm url=upload_url(&tenant, application) kind=item.kind_id label refused reload /> }
    });
    let sent = sent.then(|| {
        view! { <p class="mt-2 text-sm font-medium text-emerald-800" role="status" data-testid="document-sent">{t(SENT)}</p> }
    });
    let (kind_name, kind_label) = (item.kind_name.clone(), item.kind_name);
    view! {
        <li id=row_anchor(item.kind_id) data-testid="document-item" data-kind=kind_name data-status=format!("{status:?}").to_lowercase()>
            <Card>
                <div class="flex flex-wrap items-center justify-between gap-2">
                    <h2 class="text-base font-semibold text-slate-900">{kind_label}</h2>
                    <Badge tone=tone(status)>{t(status.label())}</Badge>
                </div>
                {viewer}
                {sent}
                {reason}
                {form}
            </Card>
        </li>
    }
}

/// One document's upload: the browser checks the file first (size, type), then sends it to the upload route. The
/// form posts by itself on the plain page (`data-check-file`: `shell/enhance.js` checks it first, with the messages
/// given here); with wasm, `browser::send` checks and sends it.
#[component]
fn UploadForm(
    url: String,
    kind: Uuid,
    label: Text,
    refused: Option<UploadRefusal>,
    reload: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let error = RwSignal::new(refused.map(|refused| refused.error.user_message(locale.get_untracked())));
    let busy = RwSignal::new(false);
    let toaster = crate::ui::use_toaster();
    let action = url.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        #[cfg(feature = "hydrate")]
        browser::send(&event, url.clone(), error, busy, move || {
            if let Some(toaster) = toaster {
                toaster.success(crate::i18n::t_now(SENT));
            }
            reload.run(());
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (&url, toaster, reload);
    };
    let input_id = format!("document-file-{kind}");
    let label_for = input_id.clone();
    view! {
        <form class="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end" on:submit=submit novalidate data-testid="document-upload"
            method="post" action=action enctype="multipart/form-data"
            data-check-file="" data-max-bytes=DOCUMENT_MAX_BYTES.to_string() data-types=DOCUMENT_TYPES.join(",")
            data-no-file-text=t_now(NO_FILE) data-too-large-text=t_now(TOO_LARGE) data-wrong-type-text=t_now(WRONG_TYPE)>
            <input type="hidden" name="kind" value=kind.to_string() />
            <label class="flex-1 text-sm font-medium text-slate-700" for=label_for>
                {t(CHOOSE)}
                <input id=input_id type="file" name="file" required
                    accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
                    class=format!("mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-2 text-sm file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 {FOCUS_RING}") />
            </label>
            <Button button_type="submit" busy=busy test_id="document-send">{t(label)}</Button>
        </form>
        <div data-testid="document-error">
            <FormAlert message=error />
            // Where the plain page's script says what is wrong with the chosen file (empty, and hidden, until then).
            <p data-file-error="" role="alert" class="mt-2 flex items-start gap-2 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 empty:hidden"></p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::{prelude::*, wasm_bindgen::JsCast, web_sys};

    use super::NO_FILE;
    use crate::enrollment::document_types::{DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, TOO_LARGE, WRONG_TYPE};
    use crate::i18n::{Text, t_now};
    const UNREACHABLE: Text = Text::new(
        "Não foi possível enviar. Verifique sua conexão e tente de novo.",
        "Could not send. Check your connection and try again.",
    );

    /// Checks the chosen file and, if it may go, sends the form; `done` runs after the server kept it.
    pub fn send(
        event: &leptos::ev::SubmitEvent,
        url: String,
        error: RwSignal<Option<String>>,
        busy: RwSignal<bool>,
        done: impl FnOnce() + 'static,
    ) {
        let Some(form) = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else { return };
        if let Err(problem) = check(&data) {
            error.set(Some(t_now(problem).to_string()));
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = post(&url, data).await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    form.reset();
                    done();
                }
                Err(message) => error.set(Some(message)),
            }
        });
    }

    /// What the browser can tell before sending: a file is chosen, within the size cap, of a type we take (by its
    /// name here; the server looks at the bytes).
    fn check(data: &web_sys::FormData) -> Result<(), Text> {
        let file = data.get("file").dyn_into::<web_sys::Blob>().map_err(|_| NO_FILE)?;
        if file.size() <= 0.0 {
            return Err(NO_FILE);
        }
        if file.size() > DOCUMENT_MAX_BYTES as f64 {
            return Err(TOO_LARGE);
        }
        if !DOCUMENT_TYPES.contains(&file.type_().as_str()) {
            return Err(WRONG_TYPE);
        }
        Ok(())
    }

    async fn post(url: &str, data: web_sys::FormData) -> Result<(), String> {
        let unreachable = || t_now(UNREACHABLE).to_string();
        let request = gloo_net::http::Request::post(url).body(data).map_err(|_| unreachable())?;
        let response = request.send().await.map_err(|_| unreachable())?;
        if response.ok() {
            return Ok(());
        }
        let text = response.text().await.unwrap_or_default();
        // The route answers errors as JSON with the sentence in `text`; the body cap answers plain text.
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|body| body.get("text").and_then(|text| text.as_str()).map(str::to_owned))
            .unwrap_or(text);
        Err(if message.trim().is_empty() { unreachable() } else { message })
    }
}
