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
    let is_student = use_viewer().is_some_and(|viewer| viewer.role == Role::Student);
    let title = super::greeting(use_viewer().map(|viewer| viewer.first_name().to_string()).unwrap_or_default());
    view! {
        <PageHeader title subtitle=ts(SUBTITLE) />
        <crate::enrollment::components::EmailBanner />
        {if is_student {
            view! { <crate::enrollment::components::MyApplications /> }.into_any()
        } else {
            view! {
                <div data-testid="portal-empty">
                    <EmptyState title=t(EMPTY_TITLE) description=t(EMPTY_TEXT) />
                </div>
            }
            .into_any()
        }}
    }
}
