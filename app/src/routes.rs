//! The route table: one line per page. Paths are pt-BR, as the users read them. Public pages first; everything
//! under `/:tenant/…` that needs a signed-in person renders inside `TenantLayout` (viewer, frame, guards).
//! Tenant slugs can never be one of the fixed first segments here (see `platform::fields::Slug`'s reserved list).
//!
//! The main wasm bundle holds only what the landing page and a tenant's sign-in need (and the layouts): the first
//! pages a visitor opens, often on a phone, where fetching a second chunk costs another round trip. Every other page,
//! the public sign-up and password pages included, is a lazy route (`Lazy::<…Route>`, declared with `lazy_page!`
//! next to its page) in its own chunk.

use leptos::prelude::*;
use leptos_router::{
    Lazy, SsrMode,
    components::{ParentRoute, Route, Routes},
    path,
};

use crate::platform::{jobs, layout::PublicFrame, layout::TenantLayout, pages, payments::simulator};
use crate::{crm, enrollment, finance, i18n, ui};

#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=pages::NotFoundPage>
            <Route path=path!("") view=pages::LandingPage ssr=SsrMode::Async />
            <Route path=path!("cadastro") view={Lazy::<pages::SignUpRoute>::new()} />
            <Route path=path!("design") view={Lazy::<DesignRoute>::new()} />
            <Route path=path!("idioma") view={Lazy::<FormatsRoute>::new()} />
            <Route path=path!(":tenant/entrar") view=pages::SignInPage ssr=SsrMode::Async />
            <Route path=path!(":tenant/cursos") view={Lazy::<enrollment::pages::PublicCatalogRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!(":tenant/simular") view={Lazy::<crm::pages::SimulateRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!(":tenant/simular/embed") view={Lazy::<crm::pages::SimulateRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!(":tenant/cadastro-aluno") view={Lazy::<enrollment::pages::StudentSignUpRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!(":tenant/verificar-email") view={Lazy::<enrollment::pages::VerifyEmailRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!(":tenant/verificar") view={Lazy::<enrollment::certificate::pages::VerifyCertificateRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!(":tenant/verificar/:code") view={Lazy::<enrollment::certificate::pages::VerifyCertificateRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!(":tenant/esqueci-senha") view={Lazy::<pages::ForgotPasswordRoute>::new()} />
            <Route path=path!(":tenant/redefinir-senha") view={Lazy::<pages::SetPasswordRoute>::new()} ssr=SsrMode::Async />
            <ParentRoute path=path!(":tenant") view=TenantLayout ssr=SsrMode::Async>
                <Route path=path!("") view=pages::TenantIndex />
                <Route path=path!("painel") view={Lazy::<pages::DashboardRoute>::new()} />
                <Route path=path!("matriculas") view={Lazy::<enrollment::pages::EnrollmentOverviewRoute>::new()} />
                <Route path=path!("matriculas/cursos") view={Lazy::<enrollment::pages::CoursesRoute>::new()} />
                <Route path=path!("matriculas/turmas") view={Lazy::<enrollment::pages::ClassesRoute>::new()} />
                <Route path=path!("matriculas/periodos") view={Lazy::<enrollment::pages::PeriodsRoute>::new()} />
                <Route path=path!("matriculas/inscricoes") view={Lazy::<enrollment::pages::ApplicationsRoute>::new()} />
                <Route path=path!("matriculas/inscricoes/:id") view={Lazy::<enrollment::pages::ApplicationRoute>::new()} />
                <Route path=path!("crm") view={Lazy::<crm::pages::BoardRoute>::new()} />
                <Route path=path!("crm/etapas") view={Lazy::<crm::pages::StagesRoute>::new()} />
                <Route path=path!("crm/leads") view={Lazy::<crm::pages::LeadsTableRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("crm/consultores") view={Lazy::<crm::pages::ConsultantsRoute>::new()} />
                <Route path=path!("financeiro") view={Lazy::<finance::pages::FinanceOverviewRoute>::new()} />
                <Route path=path!("financeiro/lancamentos") view={Lazy::<finance::pages::TransactionsRoute>::new()} />
                <Route path=path!("financeiro/contas") view={Lazy::<finance::pages::AccountsRoute>::new()} />
                <Route path=path!("financeiro/faturas") view={Lazy::<finance::pages::InvoicesRoute>::new()} />
                <Route path=path!("financeiro/recorrentes") view={Lazy::<finance::pages::RecurringRoute>::new()} />
                <Route path=path!("financeiro/previsao") view={Lazy::<finance::pages::ForecastRoute>::new()} />
                <Route path=path!("financeiro/dre") view={Lazy::<finance::pages::DreRoute>::new()} />
                <Route path=path!("financeiro/dre/lancamentos") view={Lazy::<finance::pages::DreCellRoute>::new()} />
                <Route path=path!("portal") view={Lazy::<pages::StudentPortalRoute>::new()} />
                <Route path=path!("portal/inscricao/:id/documentos") view={Lazy::<enrollment::pages::StudentDocumentsRoute>::new()} />
                <Route path=path!("portal/inscricao/nova") view={Lazy::<enrollment::pages::NewApplicationRoute>::new()} />
                <Route path=path!("portal/inscricao/:id/dados") view={Lazy::<enrollment::pages::PersonalStepRoute>::new()} />
                <Route path=path!("portal/inscricao/:id/responsavel") view={Lazy::<enrollment::pages::GuardianStepRoute>::new()} />
                <Route path=path!("portal/inscricao/:id/contrato") view={Lazy::<enrollment::pages::ContractStepRoute>::new()} />
                <Route path=path!("portal/inscricao/:id/revisao") view={Lazy::<enrollment::pages::ReviewStepRoute>::new()} />
                <Route path=path!("portal/inscricao/:id/pagamento") view={Lazy::<enrollment::payments::PaymentRoute>::new()} />
                <Route path=path!("portal/inscricao/:id/comprovante") view={Lazy::<enrollment::certificate::pages::CertificateRoute>::new()} />
                <Route path=path!("portal/inscricao/:id") view={Lazy::<enrollment::pages::StudentStatusRoute>::new()} />
                <Route path=path!("configuracoes") view={Lazy::<pages::SettingsRoute>::new()} />
                <Route path=path!("configuracoes/usuarios") view={Lazy::<pages::UsersRoute>::new()} />
                <Route path=path!("configuracoes/plano") view={Lazy::<pages::PlanRoute>::new()} />
                <Route path=path!("configuracoes/auditoria") view={Lazy::<pages::AuditLogRoute>::new()} />
                <Route path=path!("configuracoes/tarefas") view={Lazy::<jobs::pages::JobsRoute>::new()} />
                <Route path=path!("configuracoes/pagamentos-teste") view={Lazy::<simulator::page::TestPaymentsRoute>::new()} />
                <Route path=path!("conta") view={Lazy::<pages::AccountRoute>::new()} />
            </ParentRoute>
        </Routes>
    }
}

/// Pages that work as plain HTML and ship no wasm at all: the pages people open on phones, often on mobile data,
/// where the bundle (≈ 300 KB brotli, most of it Leptos' runtime) would cost more than the page. Public: the landing
/// page, the organization sign-up, a tenant's sign-in and password pages (forgot, set from a link), the e-mail
/// verification link, its course catalog and certificate check, the student's sign-up and the CRM's public form (not
/// its embedded copy, which posts cross-site with `fetch`). The whole student portal: its home, the application
/// wizard's steps (class, personal data, guardian, documents, contract, review), an application's status, payment
/// and certificate. And read-only staff pages whose filters are GET forms (the enrollment overview, the applications
/// list, the CRM's leads table). Their forms (the frame's language switch and sign-out included) post to the server,
/// which answers with a page (a redirect, or the page again with its errors; a refused post keeps what was typed,
/// `platform::form_echo`). The few things they do in the browser (copy a code, print, check a file before upload,
/// follow a payment live, suggest an address) are one small inline script, `shell/enhance.js`. Reached by
/// client-side navigation from a hydrated page, they render in the browser and behave the same. Checked on the
/// request's path because the document's `<head>` is written before the route is matched. A page on this list must
/// have no `on:` handler that matters: plain links and forms only.
pub fn server_rendered_only(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        [""] | ["cadastro"]
            | [_, "entrar" | "cursos" | "cadastro-aluno" | "verificar" | "portal" | "matriculas" | "simular"]
            | [_, "verificar", _]
            | [_, "esqueci-senha" | "redefinir-senha" | "verificar-email"]
            | [_, "portal", "inscricao", _]
            | [
                _,
                "portal",
                "inscricao",
                _,
                "dados" | "responsavel" | "documentos" | "contrato" | "revisao" | "pagamento" | "comprovante"
            ]
            | [_, "matriculas", "inscricoes"]
            | [_, "crm", "leads"]
    )
}

/// `/design`: the design-system gallery (every component, interactive).
#[component]
fn DesignPage() -> impl IntoView {
    view! { <PublicFrame wide=true><ui::GalleryPage /></PublicFrame> }
}

/// `/idioma`: how money, dates and times are written.
#[component]
fn LanguageFormatsPage() -> impl IntoView {
    view! { <PublicFrame wide=true><i18n::FormatsPage /></PublicFrame> }
}

crate::lazy_page!(DesignRoute => DesignPage);
crate::lazy_page!(FormatsRoute => LanguageFormatsPage);
