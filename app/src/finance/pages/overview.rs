use leptos::prelude::*;

use crate::i18n::{Text, ts};
use crate::platform::{Money, auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{EmptyState, PageHeader, StatCard};

const TITLE: Text = Text::new("Financeiro", "Finance");
const SUBTITLE: Text = Text::new("Receitas, despesas e resultado do mês.", "The month's income, expenses and result.");
const STATS: [Text; 4] = [
    Text::new("Receitas do mês", "Income this month"),
    Text::new("Despesas do mês", "Expenses this month"),
    Text::new("Resultado", "Result"),
    Text::new("Saldo previsto (30 dias)", "Forecast balance (30 days)"),
];
const EMPTY_TITLE: Text = Text::new("Nenhum lançamento ainda", "No transactions yet");
const EMPTY_TEXT: Text = Text::new(
    "Cadastre suas contas e importe um extrato (CSV ou OFX) para ver a DRE e a previsão de caixa.",
    "Add your accounts and import a statement (CSV or OFX) to see the income statement and the forecast.",
);

#[component]
pub fn FinanceOverviewPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <FinanceOverview />
        </Allowed>
    }
}

#[component]
fn FinanceOverview() -> impl IntoView {
    let zero = Money::brl(0).to_string();
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE) />
        <super::shared::FinanceTabs current="" />
        <div class="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {STATS.into_iter().map(|label| view! { <StatCard label=ts(label) value=zero.clone() /> }).collect_view()}
        </div>
        <EmptyState title=ts(EMPTY_TITLE) description=ts(EMPTY_TEXT) />
    }
}
