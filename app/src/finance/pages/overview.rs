use leptos::prelude::*;

use crate::platform::Money;
use crate::ui::{EmptyState, PageHeader, StatCard};

#[component]
pub fn FinanceOverviewPage() -> impl IntoView {
    let zero = Money::brl(0).to_string();
    view! {
        <PageHeader title="Financeiro" subtitle="Receitas, despesas e resultado do mês." />
        <div class="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <StatCard label="Receitas do mês" value=zero.clone() />
            <StatCard label="Despesas do mês" value=zero.clone() />
            <StatCard label="Resultado" value=zero.clone() />
            <StatCard label="Saldo previsto (30 dias)" value=zero />
        </div>
        <EmptyState
            title="Nenhum lançamento ainda"
            description="Cadastre suas contas e importe um extrato (CSV ou OFX) para ver o DRE e a previsão de caixa."
        />
    }
}
