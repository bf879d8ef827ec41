//! `/:tenant/crm/etapas`: the owner sets up each pipeline's stages — add, rename, reorder (buttons, so the
//! keyboard works), archive, mark won or lost, "parado após N dias". Watchers of the board see each change live.
//! A stage holding open leads is not archived: the row says how many, and the server refuses with the count.

use leptos::prelude::*;
use uuid::Uuid;

use crate::crm::setup::{
    AddStage, ArchiveStage, PipelineSetup, SaveStage, Shift, ShiftStage, StageForm, StageSetup, load_setup,
};
use crate::i18n::{Text, t, t_now, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Button, ButtonKind, Card, ErrorAlert, FormAlert, PageHeader, SelectField, SkeletonRows, TextField, field_error,
    form_error, toast_outcome,
};

const TITLE: Text = Text::new("Etapas do funil", "Pipeline stages");
const SUBTITLE: Text = Text::new(
    "A ordem aqui é a das colunas do quadro. Novos leads entram na primeira etapa em aberto.",
    "The order here is the board's. New leads land in the first open stage.",
);
const BACK: Text = Text::new("Voltar ao quadro", "Back to the board");
const NAME: Text = Text::new("Nome", "Name");
const OUTCOME: Text = Text::new("Resultado", "Outcome");
const NONE: Text = Text::new("Em aberto", "Open");
const WON: Text = Text::new("Ganho", "Won");
const LOST: Text = Text::new("Perdido", "Lost");
const STALE: Text = Text::new("Parado após (dias)", "Stale after (days)");
const SAVE: Text = Text::new("Salvar", "Save");
const SAVED: Text = Text::new("Etapa salva.", "Stage saved.");
const LEFT: Text = Text::new("Mover para antes", "Move earlier");
const RIGHT: Text = Text::new("Mover para depois", "Move later");
const MOVED: Text = Text::new("Ordem alterada.", "Order changed.");
const ARCHIVE: Text = Text::new("Arquivar", "Archive");
const ARCHIVED: Text = Text::new("Etapa arquivada.", "Stage archived.");
const OPEN_LEADS: Text = Text::new("lead(s) em aberto", "open lead(s)");
const NEW_STAGE: Text = Text::new("Nova etapa", "New stage");
const ADD: Text = Text::new("Adicionar", "Add");
const ADDED: Text = Text::new("Etapa adicionada.", "Stage added.");
const FIELDS: &[&str] = &["name", "outcome", "stale_after_days"];

#[component]
pub fn StagesPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Owner] module=Module::Crm>
            <Stages />
        </Allowed>
    }
}

#[component]
fn Stages() -> impl IntoView {
    let setup = Resource::new(|| (), |()| load_setup());
    let reload = Callback::new(move |()| setup.refetch());
    let board = format!("/{}/crm", crate::platform::pages::tenant_slug()());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <a href=board class="text-sm font-semibold text-indigo-700 hover:underline" data-testid="stages-back">{t(BACK)}</a>
        </PageHeader>
        <Transition fallback=|| view! { <SkeletonRows rows=6 columns=4 /> }>
            {move || setup.get().map(|answer| match answer {
                Ok(setup) => setup.pipelines.into_iter().map(|pipeline| view! { <PipelineStages pipeline reload /> }).collect_view().into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
        <super::site_embed::SiteEmbed />
    }
}

#[component]
fn PipelineStages(pipeline: PipelineSetup, reload: Callback<()>) -> impl IntoView {
    let id = pipeline.pipeline.id;
    let last = pipeline.stages.len().saturating_sub(1);
    view! {
        <section class="mb-8" data-testid="pipeline-stages">
            <h2 class="mb-3 text-lg font-semibold text-slate-900">{pipeline.pipeline.name.clone()}</h2>
            <Card>
                <ol class="divide-y divide-slate-100">
                    {pipeline.stages.into_iter().enumerate().map(|(index, stage)| view! {
                        <StageRow stage first=index == 0 last=index == last reload />
                    }).collect_view()}
                </ol>
                <AddStageForm pipeline=id reload />
            </Card>
        </section>
    }
}

#[component]
fn StageRow(stage: StageSetup, first: bool, last: bool, reload: Callback<()>) -> impl IntoView {
    let id = stage.id;
    let name = RwSignal::new(stage.name.clone());
    let outcome = RwSignal::new(stage.outcome.clone().unwrap_or_default());
    let stale = RwSignal::new(stage.stale_after_days.map(|days| days.to_string()).unwrap_or_default());
    let save = ServerAction::<SaveStage>::new();
    let result = save.value();
    let shift = ServerAction::<ShiftStage>::new();
    let archive = ServerAction::<ArchiveStage>::new();
    Effect::new(move || toast_outcome(result.get().filter(Result::is_ok).map(|_| Ok(SAVED)), || reload.run(())));
    Effect::new(move || toast_outcome(shift.value().get().map(|answer| answer.map(|()| MOVED)), || reload.run(())));
    Effect::new(move || {
        toast_outcome(archive.value().get().map(|answer| answer.map(|()| ARCHIVED)), || reload.run(()))
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let form = StageForm {
            name: name.get_untracked(),
            outcome: outcome.get_untracked(),
            stale_after_days: stale.get_untracked(),
        };
        save.dispatch(SaveStage { id, form });
    };
    let outcomes = vec![
        (String::new(), t_now(NONE).to_string()),
        ("won".to_string(), t_now(WON).to_string()),
        ("lost".to_string(), t_now(LOST).to_string()),
    ];
    let open_leads = stage.open_leads;
    let move_to = move |to: Shift| Callback::new(move |()| _ = shift.dispatch(ShiftStage { id, shift: to }));
    view! {
        <li class="py-4" data-testid="stage-row">
            <form class="grid items-start gap-3 sm:grid-cols-[1fr_10rem_10rem_auto]" on:submit=submit novalidate>
                <TextField label=ts(NAME) name="name" value=name required=true error=field_error(result, "name") test_id="stage-name" />
                <SelectField label=ts(OUTCOME) name="outcome" options=outcomes value=outcome error=field_error(result, "outcome") test_id="stage-outcome" />
                <TextField label=ts(STALE) name="stale_after_days" input_type="number" value=stale error=field_error(result, "stale_after_days") test_id="stage-stale" />
                <div class="sm:pt-6">
                    <Button button_type="submit" busy=save.pending() test_id="stage-save">{t(SAVE)}</Button>
                </div>
            </form>
            <FormAlert message=form_error(result, FIELDS) />
            <div class="mt-2 flex flex-wrap items-center gap-2 text-sm">
                <Button kind=ButtonKind::Secondary disabled=first busy=shift.pending() on_click=move_to(Shift::Left) test_id="stage-left">
                    <span aria-hidden="true">"← "</span>{t(LEFT)}
                </Button>
                <Button kind=ButtonKind::Secondary disabled=last busy=shift.pending() on_click=move_to(Shift::Right) test_id="stage-right">
                    {t(RIGHT)}<span aria-hidden="true">" →"</span>
                </Button>
                <Button kind=ButtonKind::Secondary busy=archive.pending() on_click=Callback::new(move |()| _ = archive.dispatch(ArchiveStage { id })) test_id="stage-archive">
                    {t(ARCHIVE)}
                </Button>
                {(open_leads > 0).then(|| view! {
                    <span class="text-slate-600" data-testid="stage-open-leads">{open_leads.to_string()}" "{t(OPEN_LEADS)}</span>
                })}
            </div>
        </li>
    }
}

#[component]
fn AddStageForm(pipeline: Uuid, reload: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let add = ServerAction::<AddStage>::new();
    let result = add.value();
    Effect::new(move || {
        toast_outcome(result.get().filter(Result::is_ok).map(|_| Ok(ADDED)), || {
            name.set(String::new());
            reload.run(());
        })
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        add.dispatch(AddStage { pipeline, name: name.get_untracked() });
    };
    view! {
        <form class="mt-4 flex flex-wrap items-start gap-3 border-t border-slate-200 pt-4" on:submit=submit novalidate>
            <TextField label=ts(NEW_STAGE) name="name" value=name required=true error=field_error(result, "name") test_id="stage-new-name" />
            <div class="pt-6">
                <Button button_type="submit" busy=add.pending() test_id="stage-add">{t(ADD)}</Button>
            </div>
        </form>
    }
}
