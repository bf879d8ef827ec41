use leptos::prelude::*;

use crate::i18n::{Text, t, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{KanbanColumn, PageHeader};

const TITLE: Text = Text::new("Quadro de leads", "Lead board");
const SUBTITLE: Text =
    Text::new("Leads de financiamento imobiliário e de veículos.", "Real-estate and vehicle financing leads.");
/// The stages a financing lead goes through, in board order.
const STAGES: [Text; 5] = [
    Text::new("Novos", "New"),
    Text::new("Em qualificação", "Qualifying"),
    Text::new("Em atendimento", "In progress"),
    Text::new("Proposta enviada", "Proposal sent"),
    Text::new("Fechados", "Closed"),
];
const NO_LEADS: Text = Text::new("Nenhum lead nesta etapa", "No leads in this stage");

#[component]
pub fn BoardPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Owner, Role::Staff, Role::Consultant] module=Module::Crm>
            <Board />
        </Allowed>
    }
}

#[component]
fn Board() -> impl IntoView {
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <div class="-mx-4 flex gap-4 overflow-x-auto px-4 pb-4 md:mx-0 md:px-0" data-testid="board">
            {STAGES
                .into_iter()
                .map(|stage| {
                    view! {
                        <KanbanColumn title=ts(stage) count=0>
                            <p class="rounded-lg border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-500">
                                {t(NO_LEADS)}
                            </p>
                        </KanbanColumn>
                    }
                })
                .collect_view()}
        </div>
    }
}
