//! `/:tenant/configuracoes/tarefas`: owners and staff watch their tenant's background work — how much is waiting
//! per kind, what is running, what is failing and retrying — and retry or discard jobs that gave up.

use leptos::prelude::*;

use super::{
    api::{DiscardDeadJob, RetryDeadJob, load_jobs_overview},
    types::{DeadJob, JobsOverview, KindDepth, RetryingJob, kind_label},
};
use crate::i18n::{Text, format_datetime_brasilia, t, t_now, ts, use_locale};
use crate::platform::{
    auth::Role,
    layout::Allowed,
    live::{Topic, demo::LiveDemo, use_live},
};
use crate::ui::{
    Badge, Button, ButtonKind, Card, EmptyState, ErrorAlert, Modal, PageHeader, SkeletonRows, StatCard, Tone,
    toast_outcome,
};

const TITLE: Text = Text::new("Tarefas em segundo plano", "Background jobs");
const SUBTITLE: Text = Text::new(
    "Trabalho que o Atrium faz fora da tela: webhooks de pagamento, mensagens, conciliação. Falhas são tentadas de \
     novo sozinhas; as que desistiram aparecem abaixo.",
    "Work Atrium does off screen: payment webhooks, messages, reconciliation. Failures are retried on their own; \
     the ones that gave up are listed below.",
);
const WAITING: Text = Text::new("Na fila", "Waiting");
const RUNNING: Text = Text::new("Em execução", "Running");
const RETRYING: Text = Text::new("Tentando de novo", "Retrying");
const DEAD: Text = Text::new("Desistiram", "Gave up");
const BY_KIND: Text = Text::new("Por tipo", "By kind");
const KIND: Text = Text::new("Tipo", "Kind");
const READY: Text = Text::new("Prontas", "Ready");
const SCHEDULED: Text = Text::new("Agendadas", "Scheduled");
const ALL_CLEAR: Text = Text::new("Nenhuma tarefa pendente", "No pending jobs");
const ALL_CLEAR_TEXT: Text = Text::new(
    "Tudo em dia. Quando chegar trabalho novo, ele aparece aqui.",
    "All caught up. New work shows up here when it arrives.",
);
const RETRYING_TITLE: Text = Text::new("Falharam e serão tentadas de novo", "Failed, will be retried");
const ATTEMPT: Text = Text::new("Tentativas", "Attempts");
const NEXT_TRY: Text = Text::new("Próxima tentativa", "Next try");
const ERROR: Text = Text::new("Último erro", "Last error");
const DEAD_TITLE: Text = Text::new("Tarefas que desistiram", "Jobs that gave up");
const DEAD_HINT: Text = Text::new(
    "Depois de todas as tentativas, a tarefa para e espera alguém decidir: tentar de novo (por exemplo, depois de \
     corrigir um cadastro) ou descartar.",
    "After all attempts the job stops and waits for someone to decide: retry it (say, after fixing a record) or \
     discard it.",
);
const NO_DEAD: Text = Text::new("Nenhuma tarefa desistiu.", "No job has given up.");
const PAYLOAD: Text = Text::new("Ver dados da tarefa", "Show the job's data");
const FAILED_AT: Text = Text::new("Desistiu em", "Gave up at");
const RETRY: Text = Text::new("Tentar de novo", "Retry");
const DISCARD: Text = Text::new("Descartar", "Discard");
const DISCARD_TITLE: Text = Text::new("Descartar esta tarefa?", "Discard this job?");
const DISCARD_TEXT: Text = Text::new(
    "O trabalho dela não será feito. A decisão fica registrada na auditoria.",
    "Its work will not be done. The decision is recorded in the audit log.",
);
const CANCEL: Text = Text::new("Cancelar", "Cancel");
const RETRIED: Text = Text::new("A tarefa voltou para a fila.", "The job is back in the queue.");
const DISCARDED: Text = Text::new("Tarefa descartada.", "Job discarded.");
const REFRESH: Text = Text::new("Atualizar", "Refresh");
const NO_ERROR: Text = Text::new("(sem mensagem)", "(no message)");

crate::lazy_page!(
    /// The dead letters and the queue, in their own chunk.
    pub JobsRoute => JobsPage
);

#[component]
pub fn JobsPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE>
            <Jobs />
        </Allowed>
    }
}

#[component]
fn Jobs() -> impl IntoView {
    let overview = Resource::new(|| (), |()| load_jobs_overview());
    let reload = Callback::new(move |()| overview.refetch());
    // The worker publishes the counts when jobs fail, retry or die; refetch on each (and after missed events).
    use_live(Topic::Jobs).on_change(move || overview.refetch());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <Button kind=ButtonKind::Secondary test_id="jobs-refresh" on_click=reload>{t(REFRESH)}</Button>
        </PageHeader>
        <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=6 /> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Overview overview reload /> }.into_any(),
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
        <div class="mt-6">
            <LiveDemo />
        </div>
    }
}

#[component]
fn Overview(overview: JobsOverview, reload: Callback<()>) -> impl IntoView {
    let total = |pick: fn(&KindDepth) -> i64| overview.kinds.iter().map(pick).sum::<i64>().to_string();
    let waiting = total(|kind| kind.ready + kind.scheduled);
    let running = total(|kind| kind.running);
    let retrying = total(|kind| kind.retrying);
    let dead = total(|kind| kind.dead);
    let JobsOverview { kinds, retrying: retrying_jobs, dead: dead_jobs } = overview;
    view! {
        <div class="space-y-6">
            <div class="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="jobs-totals">
                <StatCard label=ts(WAITING) value=waiting />
                <StatCard label=ts(RUNNING) value=running />
                <StatCard label=ts(RETRYING) value=retrying />
                <StatCard label=ts(DEAD) value=dead />
            </div>
            {if kinds.is_empty() {
                view! { <EmptyState title=ts(ALL_CLEAR) description=ts(ALL_CLEAR_TEXT) /> }.into_any()
            } else {
                view! { <KindsTable kinds /> }.into_any()
            }}
            {(!retrying_jobs.is_empty()).then(|| view! { <RetryingList jobs=retrying_jobs /> })}
            <DeadLetters jobs=dead_jobs reload />
        </div>
    }
}

#[component]
fn KindsTable(kinds: Vec<KindDepth>) -> impl IntoView {
    let locale = use_locale();
    let heads = [KIND, READY, SCHEDULED, RUNNING, RETRYING, DEAD];
    view! {
        <Card class="overflow-x-auto p-0">
            <h2 class="px-5 pt-4 text-sm font-semibold text-slate-700">{t(BY_KIND)}</h2>
            <table class="mt-2 w-full text-sm" data-testid="jobs-by-kind">
                <thead class="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        {heads.into_iter().enumerate().map(|(index, head)| view! {
                            <th scope="col" class=if index == 0 { "px-5 py-2 font-medium" } else { "px-3 py-2 text-right font-medium" }>{t(head)}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {kinds.into_iter().map(|kind| {
                        let label = kind_label(&kind.kind).map_or_else(|| kind.kind.clone(), |label| label.get(locale.get_untracked()).to_string());
                        let cell = |value: i64, tone: &'static str| view! {
                            <td class=format!("px-3 py-2 text-right tabular-nums {}", if value == 0 { "text-slate-400" } else { tone })>{value}</td>
                        };
                        view! {
                            <tr data-testid="jobs-kind-row" data-kind=kind.kind.clone()>
                                <td class="px-5 py-2">
                                    <span class="font-medium text-slate-900">{label}</span>
                                    <span class="ml-2 font-mono text-xs text-slate-500">{kind.kind.clone()}</span>
                                </td>
                                {cell(kind.ready, "text-slate-900")}
                                {cell(kind.scheduled, "text-slate-900")}
                                {cell(kind.running, "text-indigo-700")}
                                {cell(kind.retrying, "text-amber-700")}
                                {cell(kind.dead, "font-semibold text-rose-700")}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Card>
    }
}

#[component]
fn RetryingList(jobs: Vec<RetryingJob>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Card class="overflow-x-auto p-0">
            <h2 class="px-5 pt-4 text-sm font-semibold text-slate-700">{t(RETRYING_TITLE)}</h2>
            <table class="mt-2 w-full text-sm" data-testid="jobs-retrying">
                <thead class="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th scope="col" class="px-5 py-2 font-medium">{t(KIND)}</th>
                        <th scope="col" class="px-3 py-2 font-medium">{t(ATTEMPT)}</th>
                        <th scope="col" class="px-3 py-2 font-medium">{t(NEXT_TRY)}</th>
                        <th scope="col" class="px-3 py-2 font-medium">{t(ERROR)}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {jobs.into_iter().map(|job| {
                        let label = kind_label(&job.kind).map_or_else(|| job.kind.clone(), |label| label.get(locale.get_untracked()).to_string());
                        view! {
                            <tr>
                                <td class="px-5 py-2 font-medium text-slate-900">{label}</td>
                                <td class="px-3 py-2 tabular-nums text-slate-700">{format!("{} / {}", job.attempts, job.max_attempts)}</td>
                                <td class="px-3 py-2 tabular-nums text-slate-700">{format_datetime_brasilia(job.run_at)}</td>
                                <td class="max-w-md truncate px-3 py-2 text-amber-800" title=job.last_error.clone()>{job.last_error.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Card>
    }
}

#[component]
fn DeadLetters(jobs: Vec<DeadJob>, reload: Callback<()>) -> impl IntoView {
    view! {
        <section aria-labelledby="dead-title" class="space-y-3">
            <div>
                <h2 id="dead-title" class="text-base font-semibold text-slate-900">{t(DEAD_TITLE)}</h2>
                <p class="text-sm text-slate-600">{t(DEAD_HINT)}</p>
            </div>
            {if jobs.is_empty() {
                view! { <p class="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-600" data-testid="no-dead-jobs">{t(NO_DEAD)}</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-3" data-testid="dead-jobs">
                        {jobs.into_iter().map(|job| view! { <DeadJobCard job reload /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn DeadJobCard(job: DeadJob, reload: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let retry = ServerAction::<RetryDeadJob>::new();
    let discard = ServerAction::<DiscardDeadJob>::new();
    let confirm_open = RwSignal::new(false);
    let id = job.id;
    Effect::new(move || {
        let outcome = retry
            .value()
            .get()
            .map(|result| result.map(|()| RETRIED))
            .or_else(|| discard.value().get().map(|result| result.map(|()| DISCARDED)));
        toast_outcome(outcome, || {
            confirm_open.set(false);
            reload.run(());
        });
    });
    let label =
        kind_label(&job.kind).map_or_else(|| job.kind.clone(), |label| label.get(locale.get_untracked()).to_string());
    let busy = Signal::derive(move || retry.pending().get() || discard.pending().get());
    view! {
        <li class="rounded-xl border border-rose-200 bg-white p-4 shadow-xs" data-testid="dead-job" data-job-id=id.to_string()>
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div class="min-w-0">
                    <p class="flex flex-wrap items-center gap-2">
                        <span class="font-semibold text-slate-900">{label}</span>
                        <span class="font-mono text-xs text-slate-500">{job.kind.clone()}</span>
                        <Badge tone=Tone::Danger>{format!("{} ×", job.attempts)}</Badge>
                    </p>
                    <p class="mt-1 text-xs text-slate-500">
                        {t(FAILED_AT)} " " {job.finished_at.map(format_datetime_brasilia)}
                    </p>
                </div>
                <div class="flex gap-2">
                    <Button kind=ButtonKind::Secondary busy test_id="dead-job-retry" on_click=Callback::new(move |()| { retry.dispatch(RetryDeadJob { job_id: id }); })>
                        {t(RETRY)}
                    </Button>
                    <Button kind=ButtonKind::Danger busy test_id="dead-job-discard" on_click=Callback::new(move |()| confirm_open.set(true))>
                        {t(DISCARD)}
                    </Button>
                </div>
            </div>
            <p class="mt-3 rounded-md bg-rose-50 px-3 py-2 font-mono text-xs text-rose-800 break-words" data-testid="dead-job-error">
                {job.last_error.clone().unwrap_or_else(|| t_now(NO_ERROR).to_string())}
            </p>
            <details class="mt-2 text-sm">
                <summary class="cursor-pointer text-slate-600 hover:text-slate-900">{t(PAYLOAD)}</summary>
                <pre class="mt-2 max-h-64 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800" data-testid="dead-job-payload">{job.payload.clone()}</pre>
            </details>
            <Modal open=confirm_open title=ts(DISCARD_TITLE) id=format!("discard-{id}") test_id="discard-modal">
                <p class="text-sm text-slate-700">{t(DISCARD_TEXT)}</p>
                <div class="mt-4 flex justify-end gap-2">
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| confirm_open.set(false))>{t(CANCEL)}</Button>
                    <Button kind=ButtonKind::Danger busy test_id="discard-confirm" on_click=Callback::new(move |()| { discard.dispatch(DiscardDeadJob { job_id: id }); })>
                        {t(DISCARD)}
                    </Button>
                </div>
            </Modal>
        </li>
    }
}
