use leptos::prelude::*;

use crate::enrollment::components::{CatalogTab, CatalogTabs};
use crate::i18n::{Text, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{EmptyState, PageHeader, StatCard};

const TITLE: Text = Text::new("Matrículas", "Enrollment");
const SUBTITLE: Text =
    Text::new("Cursos, turmas, períodos e inscrições.", "Courses, classes, periods and applications.");
const STATS: [Text; 4] = [
    Text::new("Inscrições abertas", "Open applications"),
    Text::new("Documentos em análise", "Documents in review"),
    Text::new("Aguardando pagamento", "Awaiting payment"),
    Text::new("Matrículas confirmadas", "Confirmed enrollments"),
];
const EMPTY_TITLE: Text = Text::new("Nenhum período de matrícula ainda", "No enrollment period yet");
const EMPTY_TEXT: Text = Text::new(
    "Quando você cadastrar cursos e abrir um período, as inscrições dos estudantes aparecem aqui para análise.",
    "Once you add courses and open a period, students' applications show up here for review.",
);

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
        <div class="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {STATS.into_iter().map(|label| view! { <StatCard label=ts(label) value="0" /> }).collect_view()}
        </div>
        <EmptyState title=ts(EMPTY_TITLE) description=ts(EMPTY_TEXT) />
    }
}
