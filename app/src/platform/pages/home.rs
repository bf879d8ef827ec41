use leptos::prelude::*;

use crate::i18n::format_datetime_brasilia;
use crate::platform::status::CheckStatus;
use crate::ui::{Badge, Button, Card, PageHeader, Tone};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <PageHeader title="Bem-vindo ao Atrium" subtitle="Matrículas, CRM e finanças da sua instituição em um só lugar." />
        <div class="grid gap-4 md:grid-cols-3">
            <ModuleCard
                href="/matriculas"
                title="Matrículas"
                text="Cursos, turmas, períodos, inscrições, análise de documentos e pagamentos por PIX ou boleto."
            />
            <ModuleCard
                href="/crm"
                title="CRM"
                text="Leads de financiamento em um quadro Kanban ao vivo, com distribuição automática e conversa ao lado."
            />
            <ModuleCard
                href="/financeiro"
                title="Financeiro"
                text="Lançamentos, regras recorrentes, DRE, previsão de caixa e importação de extratos."
            />
        </div>
        <StatusPanel />
    }
}

#[component]
fn ModuleCard(href: &'static str, title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <a
            href=href
            class="group rounded-xl border border-slate-200 bg-white p-5 shadow-xs transition hover:border-indigo-300 hover:shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
            <h2 class="font-semibold text-slate-900 group-hover:text-indigo-700">{title}</h2>
            <p class="mt-1 text-sm text-slate-600">{text}</p>
            <span class="mt-3 inline-block text-sm font-medium text-indigo-600">"Abrir →"</span>
        </a>
    }
}

/// Checks, on demand, that the server and the database answer. Only works once the page has hydrated.
#[component]
fn StatusPanel() -> impl IntoView {
    let check = ServerAction::<CheckStatus>::new();
    let result = check.value();
    view! {
        <Card class="mt-6">
            <div class="flex flex-wrap items-center justify-between gap-4">
                <div>
                    <h2 class="font-semibold text-slate-900">"Status do sistema"</h2>
                    <p class="text-sm text-slate-600">"Confirme que o servidor e o banco de dados estão respondendo."</p>
                </div>
                <Button busy=check.pending() on_click=Callback::new(move |()| { check.dispatch(CheckStatus {}); }) test_id="check-status">
                    "Verificar conexão"
                </Button>
            </div>
            <div class="mt-4 text-sm" role="status" aria-live="polite" data-testid="status-result">
                {move || match result.get() {
                    None => view! { <p class="text-slate-500">"Ainda não verificado."</p> }.into_any(),
                    Some(Ok(report)) => view! {
                        <div class="flex flex-wrap items-center gap-x-4 gap-y-2">
                            <Badge tone=Tone::Success>"Conectado"</Badge>
                            <span>{report.database}</span>
                            <span class="tabular-nums" title="Tempo de resposta do banco de dados">
                                {if report.round_trip_ms == 0 { "< 1 ms".to_string() } else { format!("{} ms", report.round_trip_ms) }}
                            </span>
                            <span>{format!("Instituições: {}", report.institutions)}</span>
                            <span class="text-slate-500">{format!("Verificado em {}", format_datetime_brasilia(report.checked_at))}</span>
                        </div>
                    }.into_any(),
                    Some(Err(error)) => view! {
                        <div class="flex items-center gap-3">
                            <Badge tone=Tone::Danger>"Indisponível"</Badge>
                            <span>{error.user_message(crate::i18n::use_locale().get_untracked())}</span>
                        </div>
                    }.into_any(),
                }}
            </div>
        </Card>
    }
}
