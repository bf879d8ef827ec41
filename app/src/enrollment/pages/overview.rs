use leptos::prelude::*;

use crate::enrollment::components::{CatalogTab, CatalogTabs};
use crate::enrollment::dashboard::EnrollmentDashboardView;
use crate::i18n::{Text, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::PageHeader;

const TITLE: Text = Text::new("Matrículas", "Enrollment");
const SUBTITLE: Text =
    Text::new("Cursos, turmas, períodos e inscrições.", "Courses, classes, periods and applications.");

#[component]
pub fn EnrollmentOverviewPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Enrollment>
            <EnrollmentOverview />
        </Allowed>
    }
}

#[component]
fn EnrollmentOverview() -> impl IntoView {
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <CatalogTabs current=CatalogTab::Overview />
        <EnrollmentDashboardView tenant=crate::platform::pages::tenant_slug()() />
    }
}
