//! A living catalogue of the design system, so a page author sees every component in one place.
//!
//! Every example is fixed data (no clock, no randomness), so the page renders the same on the server and in the
//! hydrating browser.

use leptos::prelude::*;

use super::{
    Badge, Button, ButtonKind, Card, Cell, Column, DataTable, EmptyState, Modal, PageHeader, SelectField, Skeleton,
    SkeletonRows, StatCard, TextField, Toasts, Tone, provide_toaster, use_toaster,
};
use crate::i18n::Text;
use crate::platform::Money;

const STUDENT: Text = Text::new("Aluno", "Student");
const COURSE: Text = Text::new("Curso", "Course");
const CLASS_GROUP: Text = Text::new("Turma", "Class");
const MONTHLY_FEE: Text = Text::new("Mensalidade", "Monthly fee");

const COURSES: [(&str, &str); 5] = [
    ("ingles-intermediario", "Inglês — Intermediário"),
    ("matematica-enem", "Matemática — ENEM"),
    ("redacao", "Redação"),
    ("espanhol-basico", "Espanhol — Básico"),
    ("fisica-vestibular", "Física — Vestibular"),
];

/// 23 students in enrollment order (deliberately not alphabetical), with fees derived from their position.
fn students() -> Vec<Vec<Cell>> {
    const NAMES: [&str; 23] = [
        "Marina Duarte",
        "Álvaro Mendes",
        "Bruno Carvalho",
        "Alice Ferreira",
        "Úrsula Freitas",
        "João Pedro Gomes",
        "Érica Santos",
        "Caio Nascimento",
        "Heloísa Martins",
        "Ana Beatriz Souza",
        "Ígor Barbosa",
        "Eduardo Pires",
        "Sofia Cavalcanti",
        "Débora Lima",
        "Rafael Monteiro",
        "Isabela Ribeiro",
        "Otávio Moreira",
        "Camila Rocha",
        "Lucas Teixeira",
        "Júlia Araújo",
        "Gabriel Costa",
        "Paula Cardoso",
        "Fernanda Alves",
    ];
    const FEES: [i64; 5] = [45_000, 38_990, 52_500, 29_900, 61_250];
    NAMES
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let (_, course) = COURSES[index % COURSES.len()];
            let cents = FEES[index % FEES.len()] + i64::try_from(index).unwrap_or(0) * 1_175;
            vec![
                Cell::text(*name),
                Cell::text(course),
                Cell::text(format!("Turma {}", index % 4 + 1)),
                Cell::brl(cents),
            ]
        })
        .collect()
}

fn looks_like_email(value: &str) -> bool {
    value
        .split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !domain.ends_with('.'))
}

#[component]
pub fn GalleryPage() -> impl IntoView {
    let clicks = RwSignal::new(0_u32);
    // The app shell may already provide a toaster (and render its <Toasts/>); only render ours if we made it.
    let had_toaster = use_toaster().is_some();
    let toaster = provide_toaster();

    let name = RwSignal::new("Maria Clara Oliveira".to_string());
    let email = RwSignal::new("maria.clara@".to_string());
    let email_error = move || {
        let value = email.get();
        (!looks_like_email(&value)).then(|| "Informe um e-mail válido, como nome@escola.com.br.".to_string())
    };
    let course = RwSignal::new(String::new());
    let course_options: Vec<(String, String)> =
        COURSES.iter().map(|(value, label)| ((*value).to_string(), (*label).to_string())).collect();
    let chosen_course = move || {
        let chosen = course.get();
        COURSES.iter().find(|(value, _)| *value == chosen).map_or("nenhum", |(_, label)| label)
    };

    let modal_open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());

    view! {
        <PageHeader title="Componentes" subtitle="O sistema de design do Atrium: use estes blocos nas páginas novas." />
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-2">
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

            <Card>
                <h2 class="mb-3 text-sm font-semibold text-slate-700">"Campos de formulário"</h2>
                <form
                    class="grid gap-4"
                    novalidate
                    on:submit=move |event| {
                        event.prevent_default();
                        if looks_like_email(&email.get_untracked()) {
                            toaster.success(format!("Dados de {} salvos.", name.get_untracked()));
                        } else {
                            toaster.error("Corrija o e-mail antes de salvar.");
                        }
                    }
                >
                    <TextField
                        label="Nome completo"
                        name="nome"
                        value=name
                        required=true
                        autocomplete="name"
                        hint="Como aparece no documento do aluno."
                        test_id="field-name"
                    />
                    <TextField
                        label="E-mail"
                        name="email"
                        input_type="email"
                        value=email
                        error=email_error
                        required=true
                        autocomplete="email"
                        test_id="field-email"
                    />
                    <TextField
                        label="Telefone"
                        name="telefone"
                        input_type="tel"
                        autocomplete="tel"
                        placeholder="(11) 91234-5678"
                        hint="Opcional. Com DDD."
                    />
                    <SelectField
                        label="Curso"
                        name="curso"
                        options=course_options
                        value=course
                        placeholder="Selecione um curso"
                        required=true
                        test_id="field-course"
                    />
                    <p class="text-xs text-slate-500" data-testid="chosen-course">
                        "Curso escolhido: " {chosen_course}
                    </p>
                    <div>
                        <Button button_type="submit" test_id="form-submit">"Salvar dados"</Button>
                    </div>
                </form>
            </Card>

            <div class="grid content-start gap-6">
                <Card>
                    <h2 class="mb-1 text-sm font-semibold text-slate-700">"Avisos (toasts)"</h2>
                    <p class="mb-3 text-xs text-slate-500">
                        "Somem sozinhos depois de alguns segundos; erros ficam um pouco mais."
                    </p>
                    <div class="flex flex-wrap gap-2">
                        <Button
                            kind=ButtonKind::Secondary
                            test_id="toast-success"
                            on_click=Callback::new(move |()| {
                                toaster.success("Matrícula de Alice Ferreira confirmada.");
                            })
                        >
                            "Sucesso"
                        </Button>
                        <Button
                            kind=ButtonKind::Secondary
                            test_id="toast-error"
                            on_click=Callback::new(move |()| {
                                toaster.error("Não foi possível gerar o boleto. Tente de novo em instantes.");
                            })
                        >
                            "Erro"
                        </Button>
                        <Button
                            kind=ButtonKind::Secondary
                            test_id="toast-info"
                            on_click=Callback::new(move |()| {
                                toaster.info("3 mensalidades vencem nesta semana.");
                            })
                        >
                            "Informação"
                        </Button>
                    </div>
                </Card>
                <Card>
                    <h2 class="mb-1 text-sm font-semibold text-slate-700">"Diálogo (modal)"</h2>
                    <p class="mb-3 text-xs text-slate-500">
                        "Esc, o botão Fechar ou um clique fora fecham; o foco volta para o botão."
                    </p>
                    <Button kind=ButtonKind::Danger test_id="modal-open" on_click=Callback::new(move |()| modal_open.set(true))>
                        "Cancelar matrícula…"
                    </Button>
                </Card>
                <Card>
                    <h2 class="mb-3 text-sm font-semibold text-slate-700">"Carregando (skeleton)"</h2>
                    <div class="mb-4 flex items-center gap-3" aria-hidden="true">
                        <Skeleton class="size-10 rounded-full" />
                        <div class="grid flex-1 gap-2">
                            <Skeleton class="h-4 w-1/2" />
                            <Skeleton class="h-3 w-1/3" />
                        </div>
                    </div>
                    <SkeletonRows rows=4 columns=3 test_id="skeleton-rows" />
                </Card>
            </div>

            <div class="lg:col-span-2">
                <h2 class="mb-1 text-sm font-semibold text-slate-700">"Tabela de dados"</h2>
                <p class="mb-3 text-xs text-slate-500">
                    "Clique num cabeçalho para ordenar (de novo inverte). Acentos e maiúsculas não atrapalham: Álvaro fica perto de Alice."
                </p>
                <DataTable
                    columns=vec![
                        Column::text("name", STUDENT),
                        Column::text("course", COURSE),
                        Column::text("group", CLASS_GROUP).not_sortable(),
                        Column::number("fee", MONTHLY_FEE),
                    ]
                    rows=students()
                    page_size=10
                    caption="Alunos matriculados"
                    test_id="students-table"
                />
            </div>
            <div class="lg:col-span-2">
                <h2 class="mb-3 text-sm font-semibold text-slate-700">"Tabela vazia"</h2>
                <DataTable
                    columns=vec![Column::text("name", STUDENT), Column::number("fee", MONTHLY_FEE)]
                    rows=Vec::new()
                    empty="Nenhuma mensalidade em atraso. Tudo em dia!"
                    test_id="empty-table"
                />
            </div>

            <div class="lg:col-span-2">
                <EmptyState title="Nada por aqui ainda" description="Um estado vazio diz o que vai aparecer e qual é o próximo passo." />
            </div>
        </div>

        <Modal open=modal_open title="Cancelar matrícula" test_id="modal">
            <p class="mb-4">
                "A matrícula de " <strong class="font-semibold text-slate-900">"Alice Ferreira"</strong>
                " em Inglês — Intermediário será cancelada. As mensalidades futuras deixam de ser cobradas."
            </p>
            <TextField label="Motivo do cancelamento" name="motivo" value=reason hint="Opcional; fica no histórico do aluno." />
            <div class="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
                <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| modal_open.set(false))>
                    "Voltar"
                </Button>
                <Button
                    kind=ButtonKind::Danger
                    test_id="modal-confirm"
                    on_click=Callback::new(move |()| {
                        modal_open.set(false);
                        toaster.success("Matrícula de Alice Ferreira cancelada.");
                    })
                >
                    "Confirmar cancelamento"
                </Button>
            </div>
        </Modal>
        {(!had_toaster).then(|| view! { <Toasts /> })}
    }
}
