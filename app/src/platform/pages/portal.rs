//! `/:tenant/portal`: the student's home. Applications, documents and payments arrive with the enrollment module.

use leptos::prelude::*;

use crate::i18n::{Text, t, ts};
use crate::platform::{
    auth::Role,
    layout::{Allowed, use_viewer},
};
use crate::ui::{EmptyState, PageHeader};

const SUBTITLE: Text =
    Text::new("Suas inscrições, documentos e pagamentos.", "Your applications, documents and payments.");
const EMPTY_TITLE: Text = Text::new("Nenhuma inscrição ainda", "No applications yet");
const EMPTY_TEXT: Text = Text::new(
    "Quando a sua instituição abrir um período de matrícula, você se inscreve por aqui, envia os documentos e paga \
     por PIX ou boleto.",
    "When your school opens an enrollment period, you apply here, upload your documents and pay by PIX or boleto.",
);

const SEE_CLASSES: Text = Text::new("Ver cursos com inscrições abertas", "See courses open for applications");

#[component]
pub fn StudentPortalPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Student, Role::Owner]>
            <Portal />
        </Allowed>
    }
}

#[component]
fn Portal() -> impl IntoView {
    let slug = use_viewer().map(|viewer| viewer.tenant.slug).unwrap_or_default();
    let title = super::greeting(use_viewer().map(|viewer| viewer.first_name().to_string()).unwrap_or_default());
    view! {
        <PageHeader title subtitle=ts(SUBTITLE) />
        <crate::enrollment::components::EmailBanner />
        <div data-testid="portal-empty">
            <EmptyState title=t(EMPTY_TITLE) description=t(EMPTY_TEXT)>
                <a href=format!("/{slug}/cursos") class="text-sm font-semibold text-indigo-600 hover:text-indigo-500">{t(SEE_CLASSES)}</a>
            </EmptyState>
        </div>
    }
}
