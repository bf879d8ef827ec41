//! Pages of the platform: the public ones (landing, organization sign-up, sign-in, password links) and the
//! tenant's own (home, student portal, settings, people, audit log, account).

mod account;
mod audit_log;
mod dashboard;
mod forgot_password;
mod landing;
mod not_found;
mod plan;
mod portal;
mod set_password;
mod settings;
mod sign_in;
mod sign_up;
mod tenant_index;
mod users;

pub use account::AccountPage;
pub use audit_log::AuditLogPage;
pub use dashboard::DashboardPage;
pub use forgot_password::ForgotPasswordPage;
pub use landing::LandingPage;
pub use not_found::{NotFoundPage, TenantNotFound};
pub use plan::PlanPage;
pub use portal::StudentPortalPage;
pub use set_password::SetPasswordPage;
pub use settings::SettingsPage;
pub use sign_in::SignInPage;
pub use sign_up::SignUpPage;
pub use tenant_index::TenantIndex;
pub use users::UsersPage;

// Public pages that the landing page and sign-in do not need, each in its own chunk (out of the main bundle).
crate::lazy_page!(pub SignUpRoute => SignUpPage);
crate::lazy_page!(pub ForgotPasswordRoute => ForgotPasswordPage);
crate::lazy_page!(pub SetPasswordRoute => SetPasswordPage);

// The signed-in pages, each in its own chunk: the student portal apart from the backoffice's pages.
crate::lazy_page!(pub StudentPortalRoute => StudentPortalPage);
crate::lazy_page!(pub DashboardRoute => DashboardPage);
crate::lazy_page!(pub SettingsRoute => SettingsPage);
crate::lazy_page!(pub UsersRoute => UsersPage);
crate::lazy_page!(pub PlanRoute => PlanPage);
crate::lazy_page!(pub AuditLogRoute => AuditLogPage);
crate::lazy_page!(pub AccountRoute => AccountPage);

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// "Olá, Ana" / "Hello, Ana", following the language switch.
pub(crate) fn greeting(first_name: String) -> Signal<String> {
    let locale = crate::i18n::use_locale();
    Signal::derive(move || match locale.get() {
        crate::i18n::Locale::PtBr => format!("Olá, {first_name}"),
        crate::i18n::Locale::En => format!("Hello, {first_name}"),
    })
}

/// The `:tenant` segment of the current path.
pub(crate) fn tenant_slug() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("tenant").unwrap_or_default()
}
