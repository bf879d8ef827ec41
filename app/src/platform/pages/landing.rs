//! `/`: what Atrium is, with the two ways in: create an organization, or go to your organization's sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{Text, t, ts};
use crate::platform::{fields::Slug, layout::PublicFrame};
use crate::ui::{Button, Card, TextField};
use leptos_router::hooks::use_query_map;

/// The address form's field, in the query of `/?instituicao=famath`.
const ADDRESS_PARAM: &str = "instituicao";

const HEADLINE: Text =
    Text::new("Matrículas, CRM e finanças em um só lugar", "Enrollment, CRM and finance in one place");
const PITCH: Text = Text::new(
    "Para instituições de ensino e os negócios ao redor delas: inscrições com PIX e boleto, um quadro de leads ao \
     vivo e os números do mês sem planilhas.",
    "For schools and the businesses around them: applications paid by PIX or boleto, a live lead board and the \
     month's figures without spreadsheets.",
);
const CREATE: Text = Text::new("Criar minha organização", "Create my organization");
const SIGN_IN_TITLE: Text = Text::new("Já usa o Atrium?", "Already on Atrium?");
const SIGN_IN_HINT: Text =
    Text::new("Informe o endereço da sua instituição, como famath.", "Enter your organization's address, like famath.");
const ADDRESS: Text = Text::new("Endereço da instituição", "Organization address");
const GO: Text = Text::new("Ir para a entrada", "Go to sign-in");
const MODULES: [(Text, Text); 3] = [
    (
        Text::new("Matrículas", "Enrollment"),
        Text::new(
            "Cursos, turmas, inscrições, análise de documentos e pagamento por PIX ou boleto.",
            "Courses, classes, applications, document review and payment by PIX or boleto.",
        ),
    ),
    (
        Text::new("CRM", "CRM"),
        Text::new(
            "Leads de financiamento num quadro Kanban ao vivo, com distribuição automática.",
            "Financing leads on a live Kanban board, with automatic distribution.",
        ),
    ),
    (
        Text::new("Financeiro", "Finance"),
        Text::new(
            "Lançamentos, recorrências, DRE, previsão de caixa e importação de extratos.",
            "Transactions, recurring rules, income statement, forecast and statement import.",
        ),
    ),
];

/// The landing page, plain HTML (no wasm: see `routes::server_rendered_only`). The address form is a GET to this
/// page: a valid address answers with a redirect to that organization's sign-in, anything else renders the page
/// again with the field's error.
#[component]
pub fn LandingPage() -> impl IntoView {
    let query = use_query_map();
    let typed = query.with_untracked(|query| query.get(ADDRESS_PARAM));
    let address = RwSignal::new(typed.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    if let Some(typed) = typed {
        match Slug::parse(&typed) {
            Ok(slug) => go_to_sign_in(&slug),
            Err(message) => error.set(Some(message.get(crate::i18n::use_locale().get_untracked()).to_string())),
        }
    }
    view! {
        <Title text="" />
        <PublicFrame wide=true>
            <section class="grid gap-10 md:grid-cols-5 md:items-start">
                <div class="md:col-span-3">
                    <h1 class="text-3xl font-semibold tracking-tight text-slate-900 md:text-4xl">{t(HEADLINE)}</h1>
                    <p class="mt-4 max-w-xl text-base text-slate-600">{t(PITCH)}</p>
                    <a
                        href="/cadastro"
                        data-testid="create-organization"
                        class="mt-6 inline-flex items-center rounded-md bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                    >
                        {t(CREATE)}
                    </a>
                    <ul class="mt-10 grid gap-4 sm:grid-cols-3">
                        {MODULES
                            .into_iter()
                            .map(|(title, text)| {
                                view! {
                                    <li class="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
                                        <h2 class="font-semibold text-slate-900">{t(title)}</h2>
                                        <p class="mt-1 text-sm text-slate-600">{t(text)}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
                <Card class="md:col-span-2">
                    <h2 class="text-base font-semibold text-slate-900">{t(SIGN_IN_TITLE)}</h2>
                    <p class="mt-1 text-sm text-slate-600">{t(SIGN_IN_HINT)}</p>
                    <form class="mt-4 space-y-3" method="get" action="/" novalidate>
                        <TextField label=ts(ADDRESS) name=ADDRESS_PARAM id="field-tenant" value=address error=error test_id="tenant-address" autocomplete="organization" />
                        <Button button_type="submit" test_id="go-sign-in">{t(GO)}</Button>
                    </form>
                </Card>
            </section>
        </PublicFrame>
    }
}

/// Answers the request with a redirect to the organization's sign-in (the page renders on the server; reached in
/// the browser, the form's GET reloads it from the server, so there is nothing to do there).
fn go_to_sign_in(slug: &Slug) {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&format!("/{slug}/entrar"));
    #[cfg(not(feature = "ssr"))]
    let _ = slug;
}
