//! `/:tenant/matriculas/turmas`: classes (a course's offering in a term and shift): seats, fees, installments.

use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::{
    api::catalog::{SaveClass, load_catalog},
    components::{CatalogTab, CatalogTabs},
    types::{Catalog, ClassForm, ClassSummary, Shift, cents_for_input},
};
use crate::i18n::{Text, format_brl, t, t_now, ts, use_locale};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, ButtonKind, Card, EmptyState, ErrorAlert, FOCUS_RING, FormAlert, Modal, PageHeader, SelectField,
    SkeletonRows, TextField, Tone, field_error, form_error, use_toaster,
};

const TITLE: Text = Text::new("Turmas", "Classes");
const SUBTITLE: Text = Text::new(
    "Vagas, turno e valores de cada oferta. As vagas são reservadas quando uma inscrição é aprovada.",
    "Seats, shift and prices of each offering. A seat is reserved when an application is approved.",
);
const NEW: Text = Text::new("Nova turma", "New class");
const EDIT: Text = Text::new("Editar turma", "Edit class");
const COURSE: Text = Text::new("Curso", "Course");
const CHOOSE_COURSE: Text = Text::new("Escolha o curso", "Choose the course");
const TERM: Text = Text::new("Semestre", "Term");
const CHOOSE_TERM: Text = Text::new("Escolha o período", "Choose the period");
const SHIFT: Text = Text::new("Turno", "Shift");
const CAPACITY: Text = Text::new("Vagas", "Seats");
const SEATS_LEFT: Text = Text::new("Vagas livres", "Seats left");
const ENROLLMENT_FEE: Text = Text::new("Taxa de matrícula (R$)", "Enrollment fee (R$)");
const MONTHLY_FEE: Text = Text::new("Mensalidade (R$)", "Monthly fee (R$)");
const INSTALLMENTS: Text = Text::new("Parcelas da matrícula (máx.)", "Enrollment fee installments (max.)");
const PRICES: Text = Text::new("Valores", "Prices");
const PER_MONTH: Text = Text::new("/mês", "/month");
const FEE: Text = Text::new("matrícula", "enrollment");
const FULL: Text = Text::new("Lotada", "Full");
const EDIT_ROW: Text = Text::new("Editar", "Edit");
const SAVE: Text = Text::new("Salvar", "Save");
const CANCEL: Text = Text::new("Cancelar", "Cancel");
const SAVED: Text = Text::new("Turma salva.", "Class saved.");
const EMPTY_TITLE: Text = Text::new("Nenhuma turma ainda", "No class yet");
const EMPTY_TEXT: Text = Text::new(
    "Crie um curso e o período do semestre, depois as turmas com as suas vagas e valores.",
    "Create a course and the term's period, then its classes with seats and prices.",
);

#[component]
pub fn ClassesPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Enrollment>
            <Classes />
        </Allowed>
    }
}

#[derive(Clone, Copy)]
struct Fields {
    id: RwSignal<Option<Uuid>>,
    course_id: RwSignal<String>,
    term: RwSignal<String>,
    shift: RwSignal<String>,
    capacity: RwSignal<String>,
    enrollment_fee: RwSignal<String>,
    monthly_fee: RwSignal<String>,
    max_installments: RwSignal<String>,
}

impl Fields {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            id: RwSignal::new(None),
            course_id: empty(),
            term: empty(),
            shift: RwSignal::new(Shift::Noturno.code().to_string()),
            capacity: empty(),
            enrollment_fee: empty(),
            monthly_fee: empty(),
            max_installments: RwSignal::new("1".to_string()),
        }
    }

    fn fill(self, class: Option<&ClassSummary>) {
        self.id.set(class.map(|c| c.id));
        self.course_id.set(class.map(|c| c.course_id.to_string()).unwrap_or_default());
        self.term.set(class.map(|c| c.term.clone()).unwrap_or_default());
        self.shift.set(class.map_or(Shift::Noturno, |c| c.shift).code().to_string());
        self.capacity.set(class.map(|c| c.capacity.to_string()).unwrap_or_default());
        self.enrollment_fee.set(class.map(|c| cents_for_input(c.enrollment_fee_cents)).unwrap_or_default());
        self.monthly_fee.set(class.map(|c| cents_for_input(c.monthly_fee_cents)).unwrap_or_default());
        self.max_installments.set(class.map_or(1, |c| c.max_installments).to_string());
    }
}

#[component]
fn Classes() -> impl IntoView {
    let catalog = Resource::new(|| (), |()| load_catalog());
    let open = RwSignal::new(false);
    let fields = Fields::new();
    let choices = RwSignal::new(Catalog::default());
    let start = Callback::new(move |class: Option<ClassSummary>| {
        fields.fill(class.as_ref());
        open.set(true);
    });
    let title = Signal::derive(move || t_now(if fields.id.get().is_some() { EDIT } else { NEW }).to_string());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <Button test_id="class-new" on_click=Callback::new(move |()| start.run(None))>{t(NEW)}</Button>
        </PageHeader>
        <CatalogTabs current=CatalogTab::Classes />
        <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=5 /> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => {
                        choices.set(catalog.clone());
                        if catalog.classes.is_empty() {
                            view! { <EmptyState title=ts(EMPTY_TITLE) description=ts(EMPTY_TEXT) /> }.into_any()
                        } else {
                            view! { <ClassTable classes=catalog.classes edit=start /> }.into_any()
                        }
                    }
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
        <Modal open title test_id="class-modal">
            <ClassFormView fields choices close=Callback::new(move |()| open.set(false)) reload=Callback::new(move |()| catalog.refetch()) />
        </Modal>
    }
}

#[component]
fn ClassTable(classes: Vec<ClassSummary>, edit: Callback<Option<ClassSummary>>) -> impl IntoView {
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
    view! {
        <Card flush=true>
            <div class="overflow-x-auto">
                <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="classes-table">
                    <thead class="bg-slate-50">
                        <tr>
                            <th scope="col" class=th>{t(COURSE)}</th>
                            <th scope="col" class=th>{t(TERM)}</th>
                            <th scope="col" class=th>{t(SHIFT)}</th>
                            <th scope="col" class=th>{t(SEATS_LEFT)}</th>
                            <th scope="col" class=th>{t(PRICES)}</th>
                            <th scope="col" class=th><span class="sr-only">{t(EDIT_ROW)}</span></th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {classes
                            .into_iter()
                            .map(|class| {
                                let row = class.clone();
                                let seats = if class.seats_left == 0 {
                                    view! { <Badge tone=Tone::Danger>{t(FULL)}</Badge> }.into_any()
                                } else {
                                    view! { <span class="tabular-nums">{class.seats_left} " / " {class.capacity}</span> }.into_any()
                                };
                                view! {
                                    <tr data-testid="class-row">
                                        <td class="px-3 py-2 font-medium text-slate-900">{class.course_name.clone()}</td>
                                        <td class="px-3 py-2 tabular-nums">{class.term.clone()}</td>
                                        <td class="px-3 py-2">{t(class.shift.label())}</td>
                                        <td class="px-3 py-2" data-testid="class-seats">{seats}</td>
                                        <td class="px-3 py-2 tabular-nums text-slate-700">
                                            {format_brl(class.monthly_fee_cents)} {t(PER_MONTH)}
                                            <span class="block text-xs text-slate-500">{format_brl(class.enrollment_fee_cents)} " " {t(FEE)}</span>
                                        </td>
                                        <td class="px-3 py-2 text-right">
                                            <button type="button" class=format!("rounded-md px-2 py-1 text-xs font-semibold text-indigo-700 hover:bg-indigo-50 {FOCUS_RING}")
                                                on:click=move |_| edit.run(Some(row.clone()))>
                                                {t(EDIT_ROW)}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </Card>
    }
}

#[component]
fn ClassFormView(
    fields: Fields,
    choices: RwSignal<Catalog>,
    close: Callback<()>,
    reload: Callback<()>,
) -> impl IntoView {
    let action = ServerAction::<SaveClass>::new();
    let result = action.value();
    let toaster = use_toaster();
    let locale = use_locale();
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(t_now(SAVED));
            }
            close.run(());
            reload.run(());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(SaveClass {
            form: ClassForm {
                id: fields.id.get_untracked(),
                course_id: fields.course_id.get_untracked(),
                term: fields.term.get_untracked(),
                shift: fields.shift.get_untracked(),
                capacity: fields.capacity.get_untracked(),
                enrollment_fee: fields.enrollment_fee.get_untracked(),
                monthly_fee: fields.monthly_fee.get_untracked(),
                max_installments: fields.max_installments.get_untracked(),
            },
        });
    };
    let courses = Signal::derive(move || {
        choices.with(|c| c.courses.iter().map(|course| (course.id.to_string(), course.name.clone())).collect())
    });
    let terms = Signal::derive(move || {
        choices.with(|c| c.periods.iter().map(|period| (period.term.clone(), period.term.clone())).collect())
    });
    let shifts = Signal::derive(move || {
        Shift::ALL.into_iter().map(|s| (s.code().to_string(), s.label().get(locale.get()).to_string())).collect()
    });
    view! {
        <form class="space-y-4" on:submit=submit novalidate>
            <SelectField label=ts(COURSE) name="course_id" options=courses value=fields.course_id placeholder=ts(CHOOSE_COURSE) required=true error=field_error(result, "course_id") test_id="class-course" />
            <div class="grid gap-4 sm:grid-cols-3">
                <SelectField label=ts(TERM) name="term" options=terms value=fields.term placeholder=ts(CHOOSE_TERM) required=true error=field_error(result, "term") test_id="class-term" />
                <SelectField label=ts(SHIFT) name="shift" options=shifts value=fields.shift error=field_error(result, "shift") test_id="class-shift" />
                <TextField label=ts(CAPACITY) name="capacity" input_type="number" value=fields.capacity required=true error=field_error(result, "capacity") test_id="class-capacity" />
            </div>
            <div class="grid gap-4 sm:grid-cols-3">
                <TextField label=ts(ENROLLMENT_FEE) name="enrollment_fee" value=fields.enrollment_fee required=true placeholder="150,00" error=field_error(result, "enrollment_fee") test_id="class-enrollment-fee" />
                <TextField label=ts(MONTHLY_FEE) name="monthly_fee" value=fields.monthly_fee required=true placeholder="899,00" error=field_error(result, "monthly_fee") test_id="class-monthly-fee" />
                <TextField label=ts(INSTALLMENTS) name="max_installments" input_type="number" value=fields.max_installments required=true error=field_error(result, "max_installments") test_id="class-installments" />
            </div>
            <FormAlert message=form_error(result, &["course_id", "term", "shift", "capacity", "enrollment_fee", "monthly_fee", "max_installments"]) />
            <div class="flex justify-end gap-2">
                <Button kind=ButtonKind::Secondary on_click=close>{t(CANCEL)}</Button>
                <Button button_type="submit" busy=action.pending() test_id="class-save">{t(SAVE)}</Button>
            </div>
        </form>
    }
}
