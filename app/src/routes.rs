//! The route table: one line per page. Paths are pt-BR, as the users read them.

use leptos::prelude::*;
use leptos_router::{
    StaticSegment,
    components::{Route, Routes},
};

use crate::{crm, enrollment, finance, i18n, platform, ui};

#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=platform::pages::NotFoundPage>
            <Route path=StaticSegment("") view=platform::pages::HomePage />
            <Route path=StaticSegment("matriculas") view=enrollment::pages::EnrollmentOverviewPage />
            <Route path=StaticSegment("crm") view=crm::pages::BoardPage />
            <Route path=StaticSegment("financeiro") view=finance::pages::FinanceOverviewPage />
            <Route path=StaticSegment("design") view=ui::GalleryPage />
            <Route path=StaticSegment("idioma") view=i18n::FormatsPage />
        </Routes>
    }
}
