use leptos::prelude::*;

use crate::ui::{KanbanColumn, PageHeader};

/// The stages a financing lead goes through, in board order.
const STAGES: [&str; 5] = ["Novos", "Em qualificação", "Em atendimento", "Proposta enviada", "Fechados"];

#[component]
pub fn BoardPage() -> impl IntoView {
    view! {
        <PageHeader title="CRM" subtitle="Leads de financiamento imobiliário e de veículos." />
        <div class="-mx-4 flex gap-4 overflow-x-auto px-4 pb-4 md:mx-0 md:px-0">
            {STAGES
                .into_iter()
                .map(|stage| {
                    view! {
                        <KanbanColumn title=stage count=0>
                            <p class="rounded-lg border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-500">
                                "Nenhum lead nesta etapa"
                            </p>
                        </KanbanColumn>
                    }
                })
                .collect_view()}
        </div>
    }
}
