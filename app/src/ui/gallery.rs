//! A living catalogue of the design system, so a page author sees every component in one place.

use leptos::prelude::*;

use super::{Badge, Button, ButtonKind, Card, EmptyState, PageHeader, StatCard, Tone};
use crate::platform::Money;

#[component]
pub fn GalleryPage() -> impl IntoView {
    let clicks = RwSignal::new(0_u32);
    view! {
        <PageHeader title="Componentes" subtitle="O sistema de design do Atrium: use estes blocos nas páginas novas." />
        <div class="grid gap-6 lg:grid-cols-2">
            <Card>
                <h2 class="mb-3 text-sm font-semibold text-slate-700">"Botões"</h2>
                <div class="flex flex-wrap gap-2">
                    <Button on_click=Callback::new(move |()| clicks.update(|n| *n += 1)) test_id="gallery-primary">
                        "Primário"
                    </Button>
                    <Button kind=ButtonKind::Secondary>"Secundário"</Button>
                    <Button kind=ButtonKind::Danger>"Excluir"</Button>
                    <Button busy=true>"Salvando"</Button>
                </div>
                <p class="mt-3 text-xs text-slate-500" data-testid="gallery-clicks">
                    {move || format!("Cliques no botão primário: {}", clicks.get())}
                </p>
            </Card>
            <Card>
                <h2 class="mb-3 text-sm font-semibold text-slate-700">"Selos"</h2>
                <div class="flex flex-wrap gap-2">
                    <Badge>"Rascunho"</Badge>
                    <Badge tone=Tone::Success>"Pago"</Badge>
                    <Badge tone=Tone::Warning>"Pendente"</Badge>
                    <Badge tone=Tone::Danger>"Vencido"</Badge>
                    <Badge tone=Tone::Info>"Novo"</Badge>
                </div>
            </Card>
            <div class="grid gap-3 sm:grid-cols-2 lg:col-span-2 lg:grid-cols-4">
                <StatCard label="Receita do mês" value=Money::brl(12_345_678).to_string() hint="+12% sobre outubro" />
                <StatCard label="Despesas do mês" value=Money::brl(-4_250_000).to_string() />
                <StatCard label="Matrículas" value="248" />
                <StatCard label="Leads novos" value="37" hint="últimos 7 dias" />
            </div>
            <div class="lg:col-span-2">
                <EmptyState title="Nada por aqui ainda" description="Um estado vazio diz o que vai aparecer e qual é o próximo passo." />
            </div>
        </div>
    }
}
