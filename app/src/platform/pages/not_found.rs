use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{Text, t, t_now};
use crate::ui::EmptyState;

const TITLE: Text = Text::new("Página não encontrada", "Page not found");
const TEXT: Text =
    Text::new("O endereço pode ter mudado ou não existir mais.", "The address may have changed or no longer exist.");
const TENANT_TITLE: Text = Text::new("Instituição não encontrada", "Organization not found");
const TENANT_TEXT: Text = Text::new(
    "Não há nenhuma instituição neste endereço. Confira o link que você recebeu.",
    "There is no organization at this address. Check the link you received.",
);
const BACK: Text = Text::new("Voltar ao início", "Back to the start");

fn not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    not_found_status();
    view! {
        <Title text=t_now(TITLE) />
        <div class="mx-auto max-w-xl px-4 py-16">
            <EmptyState title=t(TITLE) description=t(TEXT)>
                <a href="/" class="text-sm font-semibold text-indigo-600 hover:text-indigo-500">{t(BACK)}</a>
            </EmptyState>
        </div>
    }
}

/// An unknown tenant slug in the path.
#[component]
pub fn TenantNotFound() -> impl IntoView {
    not_found_status();
    view! {
        <Title text=t_now(TENANT_TITLE) />
        <div class="mx-auto max-w-xl px-4 py-16" data-testid="tenant-not-found">
            <EmptyState title=t(TENANT_TITLE) description=t(TENANT_TEXT)>
                <a href="/" class="text-sm font-semibold text-indigo-600 hover:text-indigo-500">{t(BACK)}</a>
            </EmptyState>
        </div>
    }
}
