use leptos::prelude::*;

use crate::ui::{EmptyState, PageHeader, StatCard};

#[component]
pub fn EnrollmentOverviewPage() -> impl IntoView {
    view! {
        <PageHeader title="Matrículas" subtitle="Cursos, turmas, períodos e inscrições." />
        <div class="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <StatCard label="Inscrições abertas" value="0" />
            <StatCard label="Documentos em análise" value="0" />
            <StatCard label="Aguardando pagamento" value="0" />
            <StatCard label="Matrículas confirmadas" value="0" />
        </div>
        <EmptyState
            title="Nenhum período de matrícula ainda"
            description="Quando você cadastrar cursos e abrir um período, as inscrições dos alunos aparecem aqui para análise."
        />
    }
}
