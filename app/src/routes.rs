//! The route table: one line per page. Paths are pt-BR, as the users read them. Public pages first; everything
//! under `/:tenant/…` that needs a signed-in person renders inside `TenantLayout` (viewer, frame, guards).
//! Tenant slugs can never be one of the fixed first segments here (see `platform::fields::Slug`'s reserved list).

use leptos::prelude::*;
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Routes},
    path,
};

use crate::platform::{layout::PublicFrame, layout::TenantLayout, pages};
use crate::{crm, enrollment, finance, i18n, ui};

#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=pages::NotFoundPage>
            <Route path=path!("") view=pages::LandingPage />
            <Route path=path!("cadastro") view=pages::SignUpPage />
            <Route path=path!("design") view=|| view! { <PublicFrame wide=true><ui::GalleryPage /></PublicFrame> } />
            <Route path=path!("idioma") view=|| view! { <PublicFrame wide=true><i18n::FormatsPage /></PublicFrame> } />
            <Route path=path!(":tenant/entrar") view=pages::SignInPage ssr=SsrMode::Async />
            <Route path=path!(":tenant/esqueci-senha") view=pages::ForgotPasswordPage />
            <Route path=path!(":tenant/redefinir-senha") view=pages::SetPasswordPage ssr=SsrMode::Async />
            <ParentRoute path=path!(":tenant") view=TenantLayout ssr=SsrMode::Async>
                <Route path=path!("") view=pages::TenantIndex />
                <Route path=path!("painel") view=pages::DashboardPage />
                <Route path=path!("matriculas") view=enrollment::pages::EnrollmentOverviewPage />
                <Route path=path!("crm") view=crm::pages::BoardPage />
                <Route path=path!("financeiro") view=finance::pages::FinanceOverviewPage />
                <Route path=path!("portal") view=pages::StudentPortalPage />
                <Route path=path!("configuracoes") view=pages::SettingsPage />
                <Route path=path!("configuracoes/usuarios") view=pages::UsersPage />
                <Route path=path!("configuracoes/auditoria") view=pages::AuditLogPage />
                <Route path=path!("configuracoes/tarefas") view=crate::platform::jobs::pages::JobsPage />
                <Route path=path!("configuracoes/pagamentos-teste") view=crate::platform::payments::simulator::page::TestPaymentsPage />
                <Route path=path!("conta") view=pages::AccountPage />
            </ParentRoute>
        </Routes>
    }
}
