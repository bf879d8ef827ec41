//! `/:tenant/matriculas/periodos`: enrollment periods (a term's applications are submitted between two dates).

use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::{
    api::catalog::{SavePeriod, load_catalog},
    components::{CatalogTab, CatalogTabs},
    types::{PeriodForm, PeriodSummary},
};
use crate::i18n::{Text, format_date, t, t_now, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, ButtonKind, Card, EmptyState, ErrorAlert, FOCUS_RING, FormAlert, Modal, PageHeader, SkeletonRows,
    TextField, Tone, field_error, form_error, use_toaster,
};

const TITLE: Text = Text::new("Períodos de matrícula", "Enrollment periods");
const SUBTITLE: Text = Text::new(
    "As inscrições de um semestre só podem ser enviadas entre a abertura e o encerramento.",
    "A term's applications can be submitted only between its opening and closing dates.",
);
const NEW: Text = Text::new("Novo período", "New period");
const EDIT: Text = Text::new("Editar período", "Edit period");
const TERM: Text = Text::new("Semestre", "Term");
const TERM_HINT: Text = Text::new("Como 2027.1", "Like 2027.1");
const OPENS: Text = Text::new("Abertura", "Opens");
const CLOSES: Text = Text::new("Encerramento", "Closes");
const STATUS: Text = Text::new("Situação", "Status");
const OPEN: Text = Text::new("Aberto", "Open");
const CLOSED: Text = Text::new("Fechado", "Closed");
const UPCOMING: Text = Text::new("Em breve", "Upcoming");
const EDIT_ROW: Text = Text::new("Editar", "Edit");
const SAVE: Text = Text::new("Salvar", "Save");
const CANCEL: Text = Text::new("Cancelar", "Cancel");
const SAVED: Text = Text::new("Período salvo.", "Period saved.");
const EMPTY_TITLE: Text = Text::new("Nenhum período ainda", "No period yet");
const EMPTY_TEXT: Text = Text::new(
    "Crie o período do próximo semestre para abrir as inscrições das suas turmas.",
    "Create next term's period to open applications to its classes.",
);

#[component]
pub fn PeriodsPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Enrollment>
            <Periods />
        </Allowed>
    }
}

/// The form's fields, shared by "new" and "edit".
#[derive(Clone, Copy)]
struct Fields {
    id: RwSignal<Option<Uuid>>,
    term: RwSignal<String>,
    opens_on: RwSignal<String>,
    closes_on: RwSignal<String>,
}

impl Fields {
    fn fill(self, period: Option<&PeriodSummary>) {
        self.id.set(period.map(|p| p.id));
        self.term.set(period.map(|p| p.term.clone()).unwrap_or_default());
        self.opens_on.set(period.map(|p| p.opens_on.to_string()).unwrap_or_default());
        self.closes_on.set(period.map(|p| p.closes_on.to_string()).unwrap_or_default());
    }
}

#[component]
fn Periods() -> impl IntoView {
    let catalog = Resource::new(|| (), |()| load_catalog());
    let open = RwSignal::new(false);
    let fields = Fields {
        id: RwSignal::new(None),
        term: RwSignal::new(String::new()),
        opens_on: RwSignal::new(String::new()),
        closes_on: RwSignal::new(String::new()),
    };
    let start = Callback::new(move |period: Option<PeriodSummary>| {
        fields.fill(period.as_ref());
        open.set(true);
    });
    let title = Signal::derive(move || t_now(if fields.id.get().is_some() { EDIT } else { NEW }).to_string());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <Button test_id="period-new" on_click=Callback::new(move |()| start.run(None))>{t(NEW)}</Button>
        </PageHeader>
        <CatalogTabs current=CatalogTab::Periods />
        <Suspense fallback=|| view! { <SkeletonRows rows=3 columns=4 /> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) if catalog.periods.is_empty() => {
                        view! { <EmptyState title=ts(EMPTY_TITLE) description=ts(EMPTY_TEXT) /> }.into_any()
                    }
                    Ok(catalog) => view! { <PeriodTable periods=catalog.periods today=catalog.today edit=start /> }.into_any(),
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
        <Modal open title test_id="period-modal">
            <PeriodFormView fields close=Callback::new(move |()| open.set(false)) reload=Callback::new(move |()| catalog.refetch()) />
        </Modal>
    }
}

#[component]
fn PeriodTable(
    periods: Vec<PeriodSummary>,
    today: chrono::NaiveDate,
    edit: Callback<Option<PeriodSummary>>,
) -> impl IntoView {
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
    view! {
        <Card flush=true>
            <div class="overflow-x-auto">
                <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="periods-table">
                    <thead class="bg-slate-50">
                        <tr>
                            <th scope="col" class=th>{t(TERM)}</th>
                            <th scope="col" class=th>{t(OPENS)}</th>
                            <th scope="col" class=th>{t(CLOSES)}</th>
                            <th scope="col" class=th>{t(STATUS)}</th>
                            <th scope="col" class=th><span class="sr-only">{t(EDIT_ROW)}</span></th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {periods
                            .into_iter()
                            .map(|period| {
                                let status = if today < period.opens_on {
                                    view! { <Badge tone=Tone::Neutral>{t(UPCOMING)}</Badge> }.into_any()
                                } else if today > period.closes_on {
                                    view! { <Badge tone=Tone::Neutral>{t(CLOSED)}</Badge> }.into_any()
                                } else {
                                    view! { <Badge tone=Tone::Success>{t(OPEN)}</Badge> }.into_any()
                                };
                                let row = period.clone();
                                view! {
                                    <tr data-testid="period-row">
                                        <td class="px-3 py-2 font-medium text-slate-900">{period.term.clone()}</td>
                                        <td class="px-3 py-2 tabular-nums">{format_date(period.opens_on)}</td>
                                        <td class="px-3 py-2 tabular-nums">{format_date(period.closes_on)}</td>
                                        <td class="px-3 py-2">{status}</td>
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
fn PeriodFormView(fields: Fields, close: Callback<()>, reload: Callback<()>) -> impl IntoView {
    let action = ServerAction::<SavePeriod>::new();
    let result = action.value();
    let toaster = use_toaster();
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
        action.dispatch(SavePeriod {
            form: PeriodForm {
                id: fields.id.get_untracked(),
                term: fields.term.get_untracked(),
                opens_on: fields.opens_on.get_untracked(),
                closes_on: fields.closes_on.get_untracked(),
            },
        });
    };
    let editing = Signal::derive(move || fields.id.get().is_some());
    view! {
        <form class="space-y-4" on:submit=submit novalidate>
            <TextField label=ts(TERM) name="term" value=fields.term hint=ts(TERM_HINT) required=true disabled=editing error=field_error(result, "term") test_id="period-term" />
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField label=ts(OPENS) name="opens_on" input_type="date" value=fields.opens_on required=true error=field_error(result, "opens_on") test_id="period-opens" />
                <TextField label=ts(CLOSES) name="closes_on" input_type="date" value=fields.closes_on required=true error=field_error(result, "closes_on") test_id="period-closes" />
            </div>
            <FormAlert message=form_error(result, &["term", "opens_on", "closes_on"]) />
            <div class="flex justify-end gap-2">
                <Button kind=ButtonKind::Secondary on_click=close>{t(CANCEL)}</Button>
                <Button button_type="submit" busy=action.pending() test_id="period-save">{t(SAVE)}</Button>
            </div>
        </form>
    }
}
