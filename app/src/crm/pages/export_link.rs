//! The board's "Exportar CSV" link (staff and owner): a plain download of `/{tenant}/crm/leads.csv` with the board's
//! current filters (the drawer's `lead` left out). The server checks the role again and audits the export.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::i18n::{Text, t};
use crate::ui::FOCUS_RING;

const EXPORT: Text = Text::new("Exportar CSV", "Export CSV");

#[component]
pub fn ExportLink() -> impl IntoView {
    let tenant = use_params_map().read_untracked().get("tenant").unwrap_or_default();
    let query = use_query_map();
    let href = move || {
        let mut params = query.get();
        params.remove("lead");
        format!("/{tenant}/crm/leads.csv{}", params.to_query_string())
    };
    view! {
        <a href=href rel="external" download="leads.csv" data-testid="board-export"
            class=format!("self-end pb-2 text-sm font-medium text-indigo-700 hover:underline {FOCUS_RING}")>
            {t(EXPORT)}
        </a>
    }
}
