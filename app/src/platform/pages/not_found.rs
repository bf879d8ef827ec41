use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::EmptyState;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Página não encontrada" />
        <EmptyState title="Página não encontrada" description="O endereço pode ter mudado ou não existir mais.">
            <a href="/" class="text-sm font-semibold text-indigo-600 hover:text-indigo-500">"Voltar ao início"</a>
        </EmptyState>
    }
}
