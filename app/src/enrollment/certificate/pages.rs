//! `/:tenant/portal/inscricao/:id/comprovante`: the student's comprovante de matrícula, a sheet that reads well on a
//! phone and prints clean (the frame's navigation and the buttons hide in print); plain HTML, its print button
//! worked by the page's small script (`shell/enhance.js`) or, after a client-side navigation, by the wasm.
//! `/:tenant/verificar[/:code]`:
//! the public check of a code, rendered on the server (a plain GET form: it works without JavaScript).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    api::{my_certificate, verify_certificate},
    types::{CERTIFICATE as TITLE, CertificateView, CodeStatus, Verification},
};
use crate::i18n::{Text, format_date, t, t_now};
use crate::platform::{AppError, auth::Role, layout::Allowed, layout::PublicFrame, tenancy::Module};
use crate::ui::{Badge, Button, ErrorAlert, FOCUS_RING, SkeletonRows, Tone};

const CERTIFIES: Text =
    Text::new("Declaramos que o(a) estudante abaixo está matriculado(a).", "We certify this enrollment.");
const STUDENT: Text = Text::new("Estudante", "Student");
const COURSE: Text = Text::new("Curso", "Course");
const CLASS: Text = Text::new("Turma", "Class");
const ENROLLED_ON: Text = Text::new("Data da matrícula", "Enrolled on");
const ISSUED_ON: Text = Text::new("Emitido em", "Issued on");
const CODE: Text = Text::new("Código de verificação", "Verification code");
const CHECK_AT: Text = Text::new("Confira em", "Check at");
const PRINT: Text = Text::new("Imprimir", "Print");
const VERIFY_TITLE: Text = Text::new("Verificar comprovante", "Verify a certificate");
const VERIFY_INTRO: Text =
    Text::new("Digite o código impresso no comprovante de matrícula.", "Type the code printed on the certificate.");
const CHECK: Text = Text::new("Verificar", "Verify");
const UNKNOWN: Text = Text::new("Código não encontrado. Confira o que foi digitado.", "Code not found. Check it.");
const STATUS: Text = Text::new("Situação", "Status");

#[component]
pub fn CertificatePage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Student] module=Module::Enrollment>
            <Certificate />
        </Allowed>
    }
}

#[component]
fn Certificate() -> impl IntoView {
    let params = use_params_map();
    let tenant = move || params.read().get("tenant").unwrap_or_default();
    let id = move || params.read().get("id").and_then(|id| id.parse::<Uuid>().ok());
    let certificate = Resource::new(id, |id| async move {
        match id {
            Some(id) => my_certificate(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text=t_now(TITLE) />
        <div class="mx-auto max-w-2xl">
            <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=1 /> }>
                {move || Suspend::new(async move {
                    match certificate.await {
                        Ok(view) => view! { <Sheet tenant=tenant() view /> }.into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Sheet(tenant: String, view: CertificateView) -> impl IntoView {
    let class = format!("{} · {}", view.term, t_now(view.shift.label()));
    let check_at = format!("/{tenant}/verificar/{}", view.code);
    view! {
        <article class="rounded-xl border border-slate-300 bg-white p-6 print:border-0 print:p-0 sm:p-8" data-testid="certificate">
            <header class="border-b border-slate-200 pb-4">
                <p class="text-sm font-semibold uppercase tracking-wide text-indigo-700" data-testid="certificate-institution">{view.institution}</p>
                <h1 class="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
                <p class="mt-2 text-sm text-slate-600">{t(CERTIFIES)}</p>
            </header>
            <dl class="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
                <Fact label=STUDENT value=view.student />
                <Fact label=COURSE value=view.course />
                <Fact label=CLASS value=class />
                <Fact label=ENROLLED_ON value=format_date(view.enrolled_on) />
            </dl>
            <div class="mt-6 rounded-lg bg-slate-50 p-4 print:border print:border-slate-300">
                <p class="text-xs font-medium uppercase text-slate-500">{t(CODE)}</p>
                <p class="mt-1 font-mono text-2xl font-semibold tracking-widest text-slate-900" data-testid="certificate-code">{view.code}</p>
                <p class="mt-1 break-all text-xs text-slate-600">{t(CHECK_AT)}" "{check_at}</p>
                <p class="mt-1 text-xs text-slate-500">{t(ISSUED_ON)}" "{format_date(view.issued_on)}</p>
            </div>
        </article>
        <div class="mt-4 print:hidden">
            <Button on_click=Callback::new(|()| print()) test_id="certificate-print" attr:data-print="">{t(PRINT)}</Button>
        </div>
    }
}

/// The browser's print dialog (the page's print styles do the rest).
fn print() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}

#[component]
fn Fact(label: Text, value: String) -> impl IntoView {
    view! {
        <div>
            <dt class="text-xs font-medium uppercase text-slate-500">{t(label)}</dt>
            <dd class="mt-0.5 font-medium text-slate-900">{value}</dd>
        </div>
    }
}

#[component]
pub fn VerifyCertificatePage() -> impl IntoView {
    let slug = crate::platform::pages::tenant_slug();
    let params = use_params_map();
    let query = use_query_map();
    let typed = move || params.read().get("code").or_else(|| query.read().get("codigo")).unwrap_or_default();
    let outcome = Resource::new_blocking(
        move || (slug(), typed()),
        |(slug, code)| async move {
            match code.trim() {
                "" => Ok(None),
                _ => verify_certificate(slug, code).await.map(Some),
            }
        },
    );
    view! {
        <Title text=t_now(VERIFY_TITLE) />
        <PublicFrame>
            <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-xs">
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{t(VERIFY_TITLE)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(VERIFY_INTRO)}</p>
                <form method="get" action=move || format!("/{}/verificar", slug()) class="mt-4 flex gap-2" data-testid="verify-form">
                    <label for="codigo" class="sr-only">{t(CODE)}</label>
                    <input id="codigo" name="codigo" required autocomplete="off" autocapitalize="characters" maxlength="16" placeholder="XXXXX-XXXXX" value=typed data-testid="verify-code"
                        class=format!("min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-2 font-mono uppercase tracking-widest {FOCUS_RING}") />
                    <button type="submit" data-testid="verify-submit" class=format!("rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-500 {FOCUS_RING}")>{t(CHECK)}</button>
                </form>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match outcome.await {
                            Ok(None) => ().into_any(),
                            Ok(Some(found)) => view! { <Verdict found /> }.into_any(),
                            Err(AppError::NotFound) => view! {
                                <p class="mt-4 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" role="status" data-testid="verify-unknown">{t(UNKNOWN)}</p>
                            }.into_any(),
                            Err(error) => view! { <div class="mt-4"><ErrorAlert error /></div> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </PublicFrame>
    }
}

#[component]
fn Verdict(found: Verification) -> impl IntoView {
    let tone = match found.status {
        CodeStatus::Valid => Tone::Success,
        CodeStatus::Replaced => Tone::Warning,
        CodeStatus::Cancelled => Tone::Danger,
    };
    view! {
        <section class="mt-5 border-t border-slate-200 pt-4" role="status" data-testid="verify-result" data-status=found.status.code()>
            <p class="text-xs font-medium uppercase text-slate-500">{t(STATUS)}</p>
            <p class="mt-1"><Badge tone>{t(found.status.label())}</Badge></p>
            <dl class="mt-4 grid gap-3 text-sm">
                <Fact label=STUDENT value=found.student />
                <Fact label=COURSE value=format!("{} · {}", found.course, found.term) />
                <Fact label=ENROLLED_ON value=format_date(found.enrolled_on) />
            </dl>
        </section>
    }
}

crate::lazy_page!(pub CertificateRoute => CertificatePage);
crate::lazy_page!(pub VerifyCertificateRoute => VerifyCertificatePage);
