//! `/:tenant/configuracoes`: the organization (name, address, plan), its modules (the owner switches them), and
//! the way to people and the audit log.

use leptos::prelude::*;

use crate::i18n::{Text, t, ts};
use crate::platform::{
    auth::Role,
    layout::{Allowed, use_viewer},
    payments::simulator::api::test_payments_enabled,
    tenancy::{Module, Modules, api::SetModules},
};
use crate::ui::{Button, Card, FOCUS_RING, FormAlert, PageHeader, form_error, use_toaster};

const TITLE: Text = Text::new("Configurações", "Settings");
const SUBTITLE: Text = Text::new("Sua organização no Atrium.", "Your organization on Atrium.");
const ORGANIZATION: Text = Text::new("Organização", "Organization");
const NAME: Text = Text::new("Nome", "Name");
const ADDRESS: Text = Text::new("Endereço", "Address");
const PLAN: Text = Text::new("Plano", "Plan");
const MODULES: Text = Text::new("Módulos", "Modules");
const MODULES_HINT: Text = Text::new(
    "Módulos desligados somem da navegação de todos; nenhum dado é apagado.",
    "Switched-off modules disappear from everyone's navigation; no data is deleted.",
);
const SAVE: Text = Text::new("Salvar módulos", "Save modules");
const SAVED: Text = Text::new("Módulos salvos. Recarregando…", "Modules saved. Reloading…");
const PEOPLE: Text = Text::new("Pessoas e acessos", "People and access");
const PEOPLE_TEXT: Text =
    Text::new("Convide pessoas, mude papéis, desative acessos.", "Invite people, change roles, deactivate access.");
const PLAN_LINK: Text = Text::new("Plano e limites", "Plan and limits");
const PLAN_LINK_TEXT: Text =
    Text::new("Quanto você usa do seu plano e como pedir mais.", "How much of your plan you use and how to get more.");
const AUDIT: Text = Text::new("Registro de auditoria", "Audit log");
const AUDIT_TEXT: Text = Text::new("Quem mudou o quê, e quando.", "Who changed what, and when.");
const TEST_PAYMENTS: Text = Text::new("Pagamentos de teste", "Test payments");
const TEST_PAYMENTS_TEXT: Text = Text::new(
    "Simule PIX e boleto pagos, vencidos ou estornados.",
    "Simulate paid, overdue or refunded PIX and boleto.",
);
const JOBS: Text = Text::new("Tarefas em segundo plano", "Background jobs");
const JOBS_TEXT: Text =
    Text::new("Filas, falhas e tarefas que precisam de alguém.", "Queues, failures and jobs that need someone.");
const ACCOUNT: Text = Text::new("Minha conta", "My account");
const ACCOUNT_TEXT: Text = Text::new("Sua senha e seu idioma.", "Your password and language.");

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE>
            <Settings />
        </Allowed>
    }
}

#[component]
fn Settings() -> impl IntoView {
    let Some(viewer) = use_viewer() else { return ().into_any() };
    let slug = viewer.tenant.slug.clone();
    let is_owner = viewer.role == Role::Owner;
    let rows = [(NAME, viewer.tenant.name.clone()), (ADDRESS, format!("/{}", viewer.tenant.slug))];
    let plan = viewer.tenant.plan;
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <div class="grid gap-6 lg:grid-cols-2">
            <Card>
                <h2 class="text-sm font-semibold text-slate-700">{t(ORGANIZATION)}</h2>
                <dl class="mt-3 divide-y divide-slate-100 text-sm">
                    {rows
                        .into_iter()
                        .map(|(label, value)| view! {
                            <div class="flex justify-between gap-4 py-2">
                                <dt class="text-slate-600">{t(label)}</dt>
                                <dd class="font-medium text-slate-900">{value}</dd>
                            </div>
                        })
                        .collect_view()}
                    <div class="flex justify-between gap-4 py-2">
                        <dt class="text-slate-600">{t(PLAN)}</dt>
                        <dd class="font-medium text-slate-900">{t(plan.label())}</dd>
                    </div>
                </dl>
            </Card>
            <ModulesCard modules=viewer.tenant.modules editable=is_owner />
            <nav class="grid gap-3 sm:grid-cols-2 lg:col-span-2">
                {is_owner.then(|| view! {
                    <SettingsLink href=format!("/{slug}/configuracoes/usuarios") title=PEOPLE text=PEOPLE_TEXT test_id="settings-users" />
                    <SettingsLink href=format!("/{slug}/configuracoes/plano") title=PLAN_LINK text=PLAN_LINK_TEXT test_id="settings-plan" />
                    <SettingsLink href=format!("/{slug}/configuracoes/auditoria") title=AUDIT text=AUDIT_TEXT test_id="settings-audit" />
                })}
                <SettingsLink href=format!("/{slug}/configuracoes/tarefas") title=JOBS text=JOBS_TEXT test_id="settings-jobs" />
                <TestPaymentsLink slug=slug.clone() />
                <SettingsLink href=format!("/{slug}/conta") title=ACCOUNT text=ACCOUNT_TEXT test_id="settings-account" />
            </nav>
        </div>
    }
    .into_any()
}

/// Only while payments go to the fake Asaas: with the real one the page does not exist.
#[component]
fn TestPaymentsLink(slug: String) -> impl IntoView {
    let enabled = Resource::new(|| (), |()| test_payments_enabled());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    enabled.await.unwrap_or(false).then(|| view! {
                        <SettingsLink href=format!("/{slug}/configuracoes/pagamentos-teste") title=TEST_PAYMENTS text=TEST_PAYMENTS_TEXT test_id="settings-test-payments" />
                    })
                })
            }}
        </Suspense>
    }
}

#[component]
fn SettingsLink(href: String, title: Text, text: Text, test_id: &'static str) -> impl IntoView {
    view! {
        <a href=href data-testid=test_id class=format!("rounded-xl border border-slate-200 bg-white p-4 shadow-xs hover:border-indigo-300 {FOCUS_RING}")>
            <span class="block text-sm font-semibold text-slate-900">{t(title)}</span>
            <span class="block text-sm text-slate-600">{t(text)}</span>
        </a>
    }
}

#[component]
fn ModulesCard(modules: Modules, editable: bool) -> impl IntoView {
    let choice = RwSignal::new(modules);
    let action = ServerAction::<SetModules>::new();
    let result = action.value();
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(crate::i18n::t_now(SAVED));
            }
            // Navigation depends on modules everywhere: reload so every part of the page agrees.
            let _ = window().location().reload();
        }
    });
    view! {
        <Card>
            <h2 class="text-sm font-semibold text-slate-700">{t(MODULES)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t(MODULES_HINT)}</p>
            <ul class="mt-3 space-y-2">
                {Module::ALL
                    .into_iter()
                    .map(|module| {
                        view! {
                            <li>
                                <label class="flex items-center gap-3 text-sm text-slate-800">
                                    <input
                                        type="checkbox"
                                        class="size-4 accent-indigo-600"
                                        data-testid=format!("module-{}", module.segment())
                                        disabled=!editable
                                        prop:checked=move || choice.get().has(module)
                                        on:change=move |event| {
                                            let on = event_target_checked(&event);
                                            choice.update(|modules| match module {
                                                Module::Enrollment => modules.enrollment = on,
                                                Module::Crm => modules.crm = on,
                                                Module::Finance => modules.finance = on,
                                            });
                                        }
                                    />
                                    {t(module.label())}
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {editable.then(|| view! {
                <div class="mt-4 space-y-3">
                    <FormAlert message=form_error(result, &[]) />
                    <Button busy=action.pending() test_id="save-modules" on_click=Callback::new(move |()| {
                        action.dispatch(SetModules { modules: choice.get_untracked() });
                    })>{t(SAVE)}</Button>
                </div>
            })}
        </Card>
    }
}
