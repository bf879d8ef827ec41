//! `/:tenant/matriculas/cursos`: courses (modality, duration, description, the documents applicants send) and the
//! institution's list of document kinds.

use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::{
    api::catalog::{AddDocumentKind, SaveCourse, load_catalog},
    components::{CatalogTab, CatalogTabs},
    types::{CourseForm, CourseSummary, DocumentKind, Modality},
};
use crate::i18n::{Text, t, t_now, ts, use_locale};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, ButtonKind, Card, EmptyState, ErrorAlert, FOCUS_RING, FormAlert, Modal, PageHeader, SelectField,
    SkeletonRows, TextField, field_error, form_error, use_toaster,
};

const TITLE: Text = Text::new("Cursos", "Courses");
const SUBTITLE: Text = Text::new(
    "O que a instituição oferece e os documentos que cada curso pede.",
    "What the institution offers and the documents each course asks for.",
);
const NEW: Text = Text::new("Novo curso", "New course");
const EDIT: Text = Text::new("Editar curso", "Edit course");
const NAME: Text = Text::new("Nome", "Name");
const MODALITY: Text = Text::new("Modalidade", "Modality");
const DURATION: Text = Text::new("Duração (meses)", "Duration (months)");
const DESCRIPTION: Text = Text::new("Descrição", "Description");
const DOCUMENTS: Text = Text::new("Documentos exigidos", "Required documents");
const NO_DOCUMENTS: Text = Text::new("Nenhum documento cadastrado ainda.", "No document kinds yet.");
const EDIT_ROW: Text = Text::new("Editar", "Edit");
const SAVE: Text = Text::new("Salvar", "Save");
const CANCEL: Text = Text::new("Cancelar", "Cancel");
const SAVED: Text = Text::new("Curso salvo.", "Course saved.");
const MONTHS: Text = Text::new("meses", "months");
const KINDS_TITLE: Text = Text::new("Documentos que a instituição pede", "Documents the institution asks for");
const KIND_NAME: Text = Text::new("Novo documento", "New document");
const ADD: Text = Text::new("Adicionar", "Add");
const KIND_ADDED: Text = Text::new("Documento adicionado.", "Document added.");
const EMPTY_TITLE: Text = Text::new("Nenhum curso ainda", "No course yet");
const EMPTY_TEXT: Text =
    Text::new("Cadastre um curso para criar as suas turmas.", "Add a course to create its classes.");

#[component]
pub fn CoursesPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Enrollment>
            <Courses />
        </Allowed>
    }
}

#[derive(Clone, Copy)]
struct Fields {
    id: RwSignal<Option<Uuid>>,
    name: RwSignal<String>,
    modality: RwSignal<String>,
    duration: RwSignal<String>,
    description: RwSignal<String>,
    documents: RwSignal<Vec<Uuid>>,
}

impl Fields {
    fn new() -> Self {
        Self {
            id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            modality: RwSignal::new(Modality::Presencial.code().to_string()),
            duration: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            documents: RwSignal::new(Vec::new()),
        }
    }

    fn fill(self, course: Option<&CourseSummary>) {
        self.id.set(course.map(|c| c.id));
        self.name.set(course.map(|c| c.name.clone()).unwrap_or_default());
        self.modality.set(course.map_or(Modality::Presencial, |c| c.modality).code().to_string());
        self.duration.set(course.map(|c| c.duration_months.to_string()).unwrap_or_default());
        self.description.set(course.map(|c| c.description.clone()).unwrap_or_default());
        self.documents.set(course.map(|c| c.document_kind_ids.clone()).unwrap_or_default());
    }
}

#[component]
fn Courses() -> impl IntoView {
    let catalog = Resource::new(|| (), |()| load_catalog());
    let open = RwSignal::new(false);
    let fields = Fields::new();
    let kinds = RwSignal::new(Vec::<DocumentKind>::new());
    let start = Callback::new(move |course: Option<CourseSummary>| {
        fields.fill(course.as_ref());
        open.set(true);
    });
    let reload = Callback::new(move |()| catalog.refetch());
    let title = Signal::derive(move || t_now(if fields.id.get().is_some() { EDIT } else { NEW }).to_string());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <Button test_id="course-new" on_click=Callback::new(move |()| start.run(None))>{t(NEW)}</Button>
        </PageHeader>
        <CatalogTabs current=CatalogTab::Courses />
        <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=4 /> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => {
                        kinds.set(catalog.document_kinds.clone());
                        let table = if catalog.courses.is_empty() {
                            view! { <EmptyState title=ts(EMPTY_TITLE) description=ts(EMPTY_TEXT) /> }.into_any()
                        } else {
                            view! { <CourseTable courses=catalog.courses kinds=catalog.document_kinds.clone() edit=start /> }.into_any()
                        };
                        view! {
                            <div class="grid gap-6 lg:grid-cols-[1fr_18rem]">
                                <div>{table}</div>
                                <DocumentKinds kinds=catalog.document_kinds reload />
                            </div>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
        <Modal open title test_id="course-modal">
            <CourseFormView fields kinds close=Callback::new(move |()| open.set(false)) reload />
        </Modal>
    }
}

#[component]
fn CourseTable(
    courses: Vec<CourseSummary>,
    kinds: Vec<DocumentKind>,
    edit: Callback<Option<CourseSummary>>,
) -> impl IntoView {
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
    let name_of = move |id: &Uuid| kinds.iter().find(|kind| kind.id == *id).map(|kind| kind.name.clone());
    view! {
        <Card flush=true>
            <div class="overflow-x-auto">
                <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="courses-table">
                    <thead class="bg-slate-50">
                        <tr>
                            <th scope="col" class=th>{t(NAME)}</th>
                            <th scope="col" class=th>{t(MODALITY)}</th>
                            <th scope="col" class=th>{t(DURATION)}</th>
                            <th scope="col" class=th>{t(DOCUMENTS)}</th>
                            <th scope="col" class=th><span class="sr-only">{t(EDIT_ROW)}</span></th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {courses
                            .into_iter()
                            .map(|course| {
                                let documents: Vec<String> = course.document_kind_ids.iter().filter_map(&name_of).collect();
                                let row = course.clone();
                                view! {
                                    <tr data-testid="course-row">
                                        <td class="px-3 py-2">
                                            <p class="font-medium text-slate-900">{course.name.clone()}</p>
                                            <p class="max-w-md truncate text-xs text-slate-500">{course.description.clone()}</p>
                                        </td>
                                        <td class="px-3 py-2"><Badge>{t(course.modality.label())}</Badge></td>
                                        <td class="px-3 py-2 tabular-nums">{course.duration_months} " " {t(MONTHS)}</td>
                                        <td class="px-3 py-2 text-xs text-slate-600">{documents.join(", ")}</td>
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

/// The tenant's list of document kinds, with a field to add one.
#[component]
fn DocumentKinds(kinds: Vec<DocumentKind>, reload: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let action = ServerAction::<AddDocumentKind>::new();
    let result = action.value();
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(t_now(KIND_ADDED));
            }
            name.set(String::new());
            reload.run(());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(AddDocumentKind { name: name.get_untracked() });
    };
    view! {
        <Card>
            <h2 class="text-sm font-semibold text-slate-900">{t(KINDS_TITLE)}</h2>
            <ul class="mt-3 space-y-1 text-sm text-slate-700" data-testid="document-kinds">
                {kinds.into_iter().map(|kind| view! { <li>{kind.name}</li> }).collect_view()}
            </ul>
            <form class="mt-4 space-y-2" on:submit=submit novalidate>
                <TextField label=ts(KIND_NAME) name="name" id="field-kind-name" value=name error=field_error(result, "name") test_id="kind-name" />
                <FormAlert message=form_error(result, &["name"]) />
                <Button kind=ButtonKind::Secondary button_type="submit" busy=action.pending() test_id="kind-add">{t(ADD)}</Button>
            </form>
        </Card>
    }
}

#[component]
fn CourseFormView(
    fields: Fields,
    kinds: RwSignal<Vec<DocumentKind>>,
    close: Callback<()>,
    reload: Callback<()>,
) -> impl IntoView {
    let action = ServerAction::<SaveCourse>::new();
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
        action.dispatch(SaveCourse {
            form: CourseForm {
                id: fields.id.get_untracked(),
                name: fields.name.get_untracked(),
                modality: fields.modality.get_untracked(),
                duration_months: fields.duration.get_untracked(),
                description: fields.description.get_untracked(),
                document_kind_ids: fields.documents.get_untracked(),
            },
        });
    };
    let modalities = Signal::derive(move || {
        Modality::ALL.into_iter().map(|m| (m.code().to_string(), m.label().get(locale.get()).to_string())).collect()
    });
    view! {
        <form class="space-y-4" on:submit=submit novalidate>
            <TextField label=ts(NAME) name="name" value=fields.name required=true error=field_error(result, "name") test_id="course-name" />
            <div class="grid gap-4 sm:grid-cols-2">
                <SelectField label=ts(MODALITY) name="modality" options=modalities value=fields.modality error=field_error(result, "modality") test_id="course-modality" />
                <TextField label=ts(DURATION) name="duration_months" input_type="number" value=fields.duration required=true error=field_error(result, "duration_months") test_id="course-duration" />
            </div>
            <div>
                <label for="field-description" class="block text-sm font-medium text-slate-700">{t(DESCRIPTION)}</label>
                <textarea id="field-description" name="description" rows="3" data-testid="course-description"
                    class=format!("mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm {FOCUS_RING}")
                    prop:value=move || fields.description.get()
                    on:input=move |event| fields.description.set(event_target_value(&event))>
                </textarea>
            </div>
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">{t(DOCUMENTS)}</legend>
                <div class="mt-2 grid gap-1 sm:grid-cols-2">
                    {move || {
                        let list = kinds.get();
                        if list.is_empty() {
                            return view! { <p class="text-sm text-slate-500">{t(NO_DOCUMENTS)}</p> }.into_any();
                        }
                        list.into_iter()
                            .map(|kind| {
                                let id = kind.id;
                                view! {
                                    <label class="flex items-center gap-2 text-sm text-slate-700">
                                        <input type="checkbox" class=FOCUS_RING data-testid="course-document"
                                            prop:checked=move || fields.documents.with(|chosen| chosen.contains(&id))
                                            on:change=move |_| fields.documents.update(|chosen| {
                                                if let Some(at) = chosen.iter().position(|c| *c == id) {
                                                    chosen.remove(at);
                                                } else {
                                                    chosen.push(id);
                                                }
                                            }) />
                                        {kind.name}
                                    </label>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </div>
            </fieldset>
            <FormAlert message=form_error(result, &["name", "modality", "duration_months"]) />
            <div class="flex justify-end gap-2">
                <Button kind=ButtonKind::Secondary on_click=close>{t(CANCEL)}</Button>
                <Button button_type="submit" busy=action.pending() test_id="course-save">{t(SAVE)}</Button>
            </div>
        </form>
    }
}
