//! `/:tenant/configuracoes/auditoria`: the owner reads who changed what.

use leptos::prelude::*;

use crate::i18n::{Text, format_datetime_brasilia, ts, use_locale};
use crate::platform::{
    audit::{api::latest_audit_entries, types::action_label},
    auth::Role,
    layout::Allowed,
};
use crate::ui::{Cell, Column, DataTable, ErrorAlert, PageHeader, SkeletonRows};

const TITLE: Text = Text::new("Registro de auditoria", "Audit log");
const SUBTITLE: Text = Text::new(
    "As últimas 200 ações na sua organização. Nada aqui pode ser alterado ou apagado.",
    "The latest 200 actions in your organization. Nothing here can be changed or deleted.",
);
const EMPTY: Text = Text::new("Nenhuma ação registrada ainda.", "No actions recorded yet.");
const SYSTEM: Text = Text::new("Sistema / visitante", "System / visitor");

#[component]
pub fn AuditLogPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Owner]>
            <AuditLog />
        </Allowed>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let entries = Resource::new(|| (), |()| latest_audit_entries());
    let locale = use_locale();
    let columns = vec![
        Column::text("at", Text::new("Quando", "When")),
        Column::text("actor", Text::new("Quem", "Who")),
        Column::text("action", Text::new("Ação", "Action")),
        Column::text("subject", Text::new("Sobre", "Subject")),
        Column::text("details", Text::new("Detalhes", "Details")).not_sortable(),
    ];
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <Suspense fallback=|| view! { <SkeletonRows rows=6 columns=5 /> }>
            {move || {
                let columns = columns.clone();
                Suspend::new(async move {
                match entries.await {
                    Ok(entries) => {
                        let rows: Vec<Vec<Cell>> = entries
                            .into_iter()
                            .map(|entry| {
                                let mut when = Cell::text(format_datetime_brasilia(entry.at));
                                when.sort = crate::ui::SortKey::Text(entry.at.to_rfc3339());
                                vec![
                                    when,
                                    Cell::text(entry.actor.unwrap_or_else(|| SYSTEM.get(locale.get_untracked()).into())),
                                    Cell::text(action_label(&entry.action).map_or(entry.action.clone(), |label| label.get(locale.get_untracked()).to_string())),
                                    Cell::text(entry.subject),
                                    Cell::text(entry.details),
                                ]
                            })
                            .collect();
                        view! {
                            <DataTable columns=columns rows=Signal::stored(rows) page_size=20 empty=ts(EMPTY) test_id="audit-table" />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}
