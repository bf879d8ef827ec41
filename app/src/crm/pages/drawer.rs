//! The lead drawer, beside the board: opened from a card (click, Enter) and kept in the address (`?lead=<id>`, so
//! a reload keeps it open); Escape or "Fechar" closes it and gives the focus back to the card.
//!
//! What it shows is the server's call (`crm/leads/get`): the card's shared fields to anyone on the board; the
//! private ones (editable), the notes and the timeline only to the lead's consultant, staff and owner. It
//! refreshes when the board's live topic says this lead changed (someone else edited, assigned or moved it).
//! The chat and the AI qualification will take the two marked sections.
//!
//! The drawer's contents (forms, notes, timeline) are their own wasm chunk (`contents::drawer`, a `#[lazy]`
//! function): the board's first load does not carry them; they arrive the first time a card is opened, or with the
//! page when its address opens one.

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_location, use_navigate, use_query_map},
};
use uuid::Uuid;

use crate::crm::{
    api::{AddNote, Assign, MoveLead, UpdateLead, lead as load_lead},
    types::{Board, LeadCard, LeadDetails, LeadForm, LeadView, Note},
};
use crate::i18n::{Text, format_brl, t, t_now, ts};
use crate::platform::{
    AppError,
    live::{Event, Live},
};
use crate::ui::{
    ActionResult, Button, ButtonKind, ErrorAlert, FOCUS_RING, FormAlert, SelectField, SkeletonRows, TextField,
    field_error, form_error, use_toaster,
};

/// The address key that holds the open lead.
const LEAD: &str = "lead";

const CLOSE: Text = Text::new("Fechar", "Close");
const STAGE: Text = Text::new("Etapa", "Stage");
const VALUE: Text = Text::new("Valor", "Value");
const OWNER: Text = Text::new("Responsável", "Owner");
const SCORE: Text = Text::new("Score", "Score");
const UNASSIGNED: Text = Text::new("Sem responsável", "Unassigned");
const SHARED_ONLY: Text = Text::new(
    "Este lead é de outro consultor: você vê só os dados compartilhados.",
    "This lead belongs to another consultant: you see the shared fields only.",
);
const DETAILS: Text = Text::new("Dados do lead", "Lead details");
const NAME: Text = Text::new("Nome", "Name");
const PHONE: Text = Text::new("Telefone", "Phone");
const EMAIL: Text = Text::new("E-mail", "E-mail");
const CPF: Text = Text::new("CPF (opcional)", "CPF (optional)");
const DOWN_PAYMENT: Text = Text::new("Entrada", "Down payment");
const INCOME: Text = Text::new("Renda mensal", "Monthly income");
const SAVE: Text = Text::new("Salvar", "Save");
const SAVED: Text = Text::new("Lead salvo.", "Lead saved.");
const ASSIGN: Text = Text::new("Atribuir", "Assign");
const MOVE_TO: Text = Text::new("Mover para a etapa", "Move to stage");
const MOVE: Text = Text::new("Mover", "Move");
const TAKE: Text = Text::new("Assumir este lead", "Take this lead");
const NOTES: Text = Text::new("Notas", "Notes");
const NEW_NOTE: Text = Text::new("Nova nota", "New note");
const ADD_NOTE: Text = Text::new("Adicionar nota", "Add note");
const TIMELINE: Text = Text::new("Histórico", "Timeline");
const CHAT: Text = Text::new("Conversa", "Chat");
const AI: Text = Text::new("Qualificação IA", "AI qualification");
const SOON: Text = Text::new("Em breve.", "Coming soon.");
const FIELDS: &[&str] = &["name", "phone", "email", "cpf", "value", "down_payment", "monthly_income"];

/// Opens a lead in the drawer (`Some`) or closes it, in the address: the board's filters stay.
pub fn use_lead_address() -> impl Fn(Option<Uuid>) + Clone + Send + Sync + 'static {
    let navigate = use_navigate();
    let query = use_query_map();
    let location = use_location();
    move |lead| {
        let mut params = query.get_untracked();
        match lead {
            Some(id) => params.replace(LEAD, id.to_string()),
            None => {
                params.remove(LEAD);
            }
        }
        let path = format!("{}{}", location.pathname.get_untracked(), params.to_query_string());
        navigate(&path, NavigateOptions { scroll: false, ..NavigateOptions::default() });
    }
}

#[component]
pub fn LeadDrawer(
    /// The board as last loaded (its stages, the people who may own leads, whether the viewer manages).
    board: Signal<Option<Board>>,
    live: RwSignal<Option<Live>>,
    /// The board's focused card: set to the lead on close, so the focus goes back to it.
    focus: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let query = use_query_map();
    let open = Memo::new(move |_| query.with(|query| query.get(LEAD)).and_then(|id| Uuid::parse_str(&id).ok()));
    let lead = Resource::new(
        move || open.get(),
        |id| async move {
            match id {
                Some(id) => Some(load_lead(id).await),
                None => None,
            }
        },
    );
    // Another watcher changed this lead (or events were missed): read it again.
    Effect::new(move |_| {
        let Some(live) = live.get() else { return };
        Effect::watch(
            move || live.event().get(),
            move |event, _, _| {
                if let Some(Event::Changed { id, .. }) = event
                    && Some(*id) == open.get_untracked()
                {
                    lead.refetch();
                }
            },
            false,
        );
        Effect::watch(move || live.resync().get(), move |_, _, _| lead.refetch(), false);
    });
    let address = use_lead_address();
    let close = Callback::new(move |()| {
        let id = open.get_untracked();
        address(None);
        focus.set(id);
    });
    let panel = NodeRef::<leptos::html::Aside>::new();
    Effect::new(move |_| {
        if let (Some(_), Some(panel)) = (open.get(), panel.get()) {
            let _ = panel.focus();
        }
    });
    view! {
        <Show when=move || open.get().is_some()>
            {
                // The contents' chunk starts loading when the drawer opens. Until it is here (always on the server
                // and while hydrating, so both draw the same) the drawer shows its skeleton: awaiting the chunk
                // inside hydration breaks it (the leptos #4347 family).
                let loaded = lazy_preload!(contents::drawer);
                view! {
                    <aside
                        node_ref=panel
                        tabindex="-1"
                        role="dialog"
                        aria-labelledby="lead-drawer-title"
                        data-testid="lead-drawer"
                        class="fixed inset-y-0 right-0 z-30 w-full max-w-md space-y-5 overflow-y-auto bg-white p-4 shadow-2xl ring-1 ring-slate-200 focus:outline-none"
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                close.run(());
                            }
                        }
                    >
                        <Transition fallback=|| view! { <SkeletonRows rows=6 /> }>
                            {move || match (loaded.get(), lead.get().flatten()) {
                                (false, _) => view! { <SkeletonRows rows=6 /> }.into_any(),
                                (true, Some(Ok(found))) => {
                                    let reload = Callback::new(move |()| lead.refetch());
                                    Suspend::new(contents::drawer(found, board, close, reload)).into_any()
                                }
                                (true, Some(Err(error))) => view! { <ErrorAlert error /> }.into_any(),
                                (true, None) => ().into_any(),
                            }}
                        </Transition>
                    </aside>
                }
            }
        </Show>
    }
}

// wasm-split's generated loader is `unsafe` FFI glue into the chunk: unsafe code the macro owns, not ours.
#[allow(unsafe_code)]
mod contents {
    use super::*;

    /// The open lead's drawer, loaded from its own chunk the first time it is needed.
    #[lazy]
    pub fn drawer(lead: LeadView, board: Signal<Option<Board>>, close: Callback<()>, reload: Callback<()>) -> AnyView {
        view! { <Drawer lead board close reload /> }.into_any()
    }
}

#[component]
fn Drawer(lead: LeadView, board: Signal<Option<Board>>, close: Callback<()>, reload: Callback<()>) -> impl IntoView {
    let card = lead.card.clone();
    let stage_id = card.stage_id;
    let stage = move || {
        board.with(|board| {
            board.as_ref()?.stages.iter().find(|stage| stage.id == stage_id).map(|stage| stage.name.clone())
        })
    };
    let fact = |label: Text, value: String, test_id: &'static str| {
        view! {
            <div>
                <dt class="text-xs text-slate-500">{t(label)}</dt>
                <dd class="font-medium text-slate-900" data-testid=test_id>{value}</dd>
            </div>
        }
    };
    let owner = card.owner_name.clone().unwrap_or_else(|| t_now(UNASSIGNED).to_string());
    view! {
        <header class="flex items-start justify-between gap-3">
            <div>
                <h2 id="lead-drawer-title" class="text-lg font-semibold text-slate-900">{card.name.clone()}</h2>
                <p class="text-xs text-slate-500">{t(lead.product.label())}" · "{t(lead.source.label())}</p>
            </div>
            <button type="button" class=format!("rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 {FOCUS_RING}")
                data-testid="drawer-close" on:click=move |_| close.run(())>{t(CLOSE)}</button>
        </header>
        <dl class="grid grid-cols-2 gap-3 text-sm" data-testid="drawer-shared">
            <div>
                <dt class="text-xs text-slate-500">{t(STAGE)}</dt>
                <dd class="font-medium text-slate-900" data-testid="drawer-stage">{stage}</dd>
            </div>
            {fact(VALUE, card.value_cents.map(format_brl).unwrap_or_default(), "drawer-value")}
            {fact(OWNER, owner, "drawer-owner")}
            {fact(SCORE, card.score.map(|score| score.to_string()).unwrap_or_default(), "drawer-score")}
        </dl>
        <Assignment card=card.clone() board reload />
        {match lead.details {
            None => view! {
                <p class="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600" data-testid="drawer-shared-only">{t(SHARED_ONLY)}</p>
            }.into_any(),
            Some(details) => view! {
                <MoveTo card=card.clone() board reload />
                <EditForm card=card.clone() details=details.clone() reload />
                <Notes id=card.id notes=details.notes reload />
                <section>
                    <h3 class="mb-2 text-sm font-semibold text-slate-700">{t(TIMELINE)}</h3>
                    <ol class="space-y-1 text-xs text-slate-600" data-testid="drawer-timeline">
                        {details.timeline.into_iter().map(|entry| view! {
                            <li data-kind=entry.kind.clone() data-reason=entry.reason.clone()>
                                <span class="tabular-nums text-slate-500">{entry.at}</span>" · "{t(event_label(&entry.kind, entry.reason.as_deref()))}
                                {entry.actor.map(|actor| format!(" · {actor}"))}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            }.into_any(),
        }}
        // Slots for what comes next: the WhatsApp conversation and the AI qualification of this lead.
        <section class="rounded-md border border-dashed border-slate-300 p-3" data-testid="drawer-chat">
            <h3 class="text-sm font-semibold text-slate-700">{t(CHAT)}</h3>
            <p class="text-xs text-slate-500">{t(SOON)}</p>
        </section>
        <section class="rounded-md border border-dashed border-slate-300 p-3" data-testid="drawer-ai">
            <h3 class="text-sm font-semibold text-slate-700">{t(AI)}</h3>
            <p class="text-xs text-slate-500">{t(SOON)}</p>
        </section>
    }
}

fn event_label(kind: &str, reason: Option<&str>) -> Text {
    match (kind, reason) {
        ("assigned", Some("rotation")) => Text::new("Atribuído pelo rodízio", "Assigned by rotation"),
        ("assigned", Some("returning_lead")) => Text::new(
            "Atribuído ao consultor anterior (cliente voltou)",
            "Assigned to the previous consultant (returning)",
        ),
        ("assigned", Some("manual")) => Text::new("Atribuído manualmente", "Assigned by hand"),
        ("assigned", Some("queue_drain")) => Text::new("Atribuído da fila de espera", "Assigned from the queue"),
        _ => kind_label(kind),
    }
}

fn kind_label(kind: &str) -> Text {
    match kind {
        "created" => Text::new("Criado", "Created"),
        "moved" => Text::new("Movido de etapa", "Moved"),
        "assigned" => Text::new("Atribuído", "Assigned"),
        "queued" => Text::new("Na fila: nenhum consultor disponível", "Queued: no consultant available"),
        "edited" => Text::new("Editado", "Edited"),
        "note" => Text::new("Nota", "Note"),
        "attached" => Text::new("Novo contato", "New contact"),
        _ => Text::new("Atividade", "Activity"),
    }
}

/// Cents as the form types them (`1234,56`); none is empty.
fn cents_input(cents: Option<i64>) -> String {
    cents.map(|cents| format!("{},{:02}", cents / 100, (cents % 100).abs())).unwrap_or_default()
}

/// After a save: on success a toast (when `done` says one) and the lead read again; on a conflict (someone changed
/// the lead since it was read) a toast says so and the lead is read again, so the form shows what is there now.
fn after_save<T: Send + Sync + 'static>(result: impl ActionResult<T>, reload: Callback<()>, done: Option<Text>) {
    let toaster = use_toaster();
    Effect::new(move || match result.with(|result| result.as_ref().map(|answer| answer.as_ref().err().cloned())) {
        Some(None) => {
            if let (Some(toaster), Some(done)) = (toaster, done) {
                toaster.success(t_now(done));
            }
            reload.run(());
        }
        Some(Some(AppError::Conflict { message })) => {
            if let Some(toaster) = toaster {
                toaster.error(message);
            }
            reload.run(());
        }
        _ => {}
    });
}

#[component]
fn EditForm(card: LeadCard, details: LeadDetails, reload: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(card.name.clone());
    let phone = RwSignal::new(details.phone.clone());
    let email = RwSignal::new(details.email.clone().unwrap_or_default());
    let cpf = RwSignal::new(details.cpf.clone().unwrap_or_default());
    let value = RwSignal::new(cents_input(card.value_cents));
    let down_payment = RwSignal::new(cents_input(details.down_payment_cents));
    let income = RwSignal::new(cents_input(details.monthly_income_cents));
    let action = ServerAction::<UpdateLead>::new();
    let result = action.value();
    after_save(result, reload, Some(SAVED));
    let (id, version) = (card.id, card.version);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(UpdateLead {
            id,
            version,
            form: LeadForm {
                name: name.get_untracked(),
                phone: phone.get_untracked(),
                email: email.get_untracked(),
                cpf: cpf.get_untracked(),
                value: value.get_untracked(),
                down_payment: down_payment.get_untracked(),
                monthly_income: income.get_untracked(),
            },
        });
    };
    view! {
        <form class="space-y-3" on:submit=submit novalidate data-testid="drawer-form">
            <h3 class="text-sm font-semibold text-slate-700">{t(DETAILS)}</h3>
            <TextField label=ts(NAME) name="name" value=name error=field_error(result, "name") test_id="drawer-name" />
            <div class="grid grid-cols-2 gap-3">
                <TextField label=ts(PHONE) name="phone" input_type="tel" value=phone error=field_error(result, "phone") test_id="drawer-phone" />
                <TextField label=ts(EMAIL) name="email" input_type="email" value=email error=field_error(result, "email") test_id="drawer-email" />
                <TextField label=ts(CPF) name="cpf" value=cpf error=field_error(result, "cpf") test_id="drawer-cpf" />
                <TextField label=ts(VALUE) name="value" value=value error=field_error(result, "value") test_id="drawer-value-input" />
                <TextField label=ts(DOWN_PAYMENT) name="down_payment" value=down_payment error=field_error(result, "down_payment") test_id="drawer-down-payment" />
                <TextField label=ts(INCOME) name="monthly_income" value=income error=field_error(result, "monthly_income") test_id="drawer-income" />
            </div>
            <FormAlert message=form_error(result, FIELDS) />
            <Button button_type="submit" busy=action.pending() test_id="drawer-save">{t(SAVE)}</Button>
        </form>
    }
}

/// Moves the lead to the bottom of another stage: a way to move a card without dragging it (on a phone, a long
/// press drags it: `touch_drag`), for everybody. Same rules as a drag: the move carries the version it was based on.
#[component]
fn MoveTo(card: LeadCard, board: Signal<Option<Board>>, reload: Callback<()>) -> impl IntoView {
    let action = ServerAction::<MoveLead>::new();
    let result = action.value();
    after_save(result, reload, None);
    let stage = RwSignal::new(card.stage_id.to_string());
    let stages = Signal::derive(move || {
        board.with(|board| {
            board
                .iter()
                .flat_map(|board| &board.stages)
                .map(|stage| (stage.id.to_string(), stage.name.clone()))
                .collect()
        })
    });
    let (id, version) = (card.id, card.version);
    let go = Callback::new(move |()| {
        let Ok(stage_id) = Uuid::parse_str(&stage.get_untracked()) else { return };
        let after = board.with_untracked(|board| {
            board
                .iter()
                .flat_map(|board| &board.cards)
                .rfind(|other| other.stage_id == stage_id && other.id != id)
                .map(|other| other.id)
        });
        action.dispatch(MoveLead { id, stage_id, after, version });
    });
    view! {
        <div class="flex items-end gap-2" data-testid="drawer-move">
            <SelectField label=ts(MOVE_TO) name="stage_id" options=stages value=stage error=field_error(result, "stage_id") test_id="drawer-stage-select" />
            <Button kind=ButtonKind::Secondary busy=action.pending() on_click=go test_id="drawer-move-save">{t(MOVE)}</Button>
        </div>
        <FormAlert message=form_error(result, &["stage_id"]) />
    }
}

/// Staff and owner give the lead to anyone who may own leads; a consultant takes an unassigned lead; otherwise the
/// owner shows above.
#[component]
fn Assignment(card: LeadCard, board: Signal<Option<Board>>, reload: Callback<()>) -> impl IntoView {
    let action = ServerAction::<Assign>::new();
    let result = action.value();
    after_save(result, reload, None);
    let id = card.id;
    let owner = RwSignal::new(card.owner_id.map(|owner| owner.to_string()).unwrap_or_default());
    let people = Signal::derive(move || {
        let mut options = vec![(String::new(), t_now(UNASSIGNED).to_string())];
        board.with(|board| {
            if let Some(board) = board {
                options.extend(board.consultants.iter().map(|person| (person.id.to_string(), person.name.clone())));
            }
        });
        options
    });
    let manages = board.with_untracked(|board| board.as_ref().map(|board| (board.manages, board.viewer_id)));
    match manages {
        Some((true, _)) => view! {
            <div class="flex items-end gap-2" data-testid="drawer-assign">
                <SelectField label=ts(OWNER) name="owner_id" options=people value=owner error=field_error(result, "owner_id") test_id="drawer-owner-select" />
                <Button kind=ButtonKind::Secondary busy=action.pending() test_id="drawer-assign-save"
                    on_click=Callback::new(move |()| { action.dispatch(Assign { id, owner_id: Uuid::parse_str(&owner.get_untracked()).ok() }); })>
                    {t(ASSIGN)}
                </Button>
            </div>
            <FormAlert message=form_error(result, &["owner_id"]) />
        }
        .into_any(),
        Some((false, viewer)) if card.owner_id.is_none() => view! {
            <Button kind=ButtonKind::Secondary busy=action.pending() test_id="drawer-take"
                on_click=Callback::new(move |()| { action.dispatch(Assign { id, owner_id: Some(viewer) }); })>
                {t(TAKE)}
            </Button>
            <FormAlert message=form_error(result, &[]) />
        }
        .into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn Notes(id: Uuid, notes: Vec<Note>, reload: Callback<()>) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let action = ServerAction::<AddNote>::new();
    let result = action.value();
    after_save(result, reload, None);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(AddNote { id, body: body.get_untracked() });
    };
    let error = field_error(result, "body");
    view! {
        <section class="space-y-2">
            <h3 class="text-sm font-semibold text-slate-700">{t(NOTES)}</h3>
            <form class="space-y-2" on:submit=submit novalidate>
                <label for="field-note" class="sr-only">{t(NEW_NOTE)}</label>
                <textarea id="field-note" rows="2" placeholder=t(NEW_NOTE) data-testid="drawer-note"
                    class="block w-full rounded-md border-slate-300 text-sm"
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <p class="text-xs text-rose-700">{move || error.get()}</p>
                <FormAlert message=form_error(result, &["body"]) />
                <Button button_type="submit" kind=ButtonKind::Secondary busy=action.pending() test_id="drawer-note-add">{t(ADD_NOTE)}</Button>
            </form>
            <ul class="space-y-2 text-sm" data-testid="drawer-notes">
                {notes.into_iter().map(|note| view! {
                    <li class="rounded-md bg-slate-50 px-3 py-2">
                        <p class="whitespace-pre-line text-slate-800">{note.body}</p>
                        <p class="text-xs text-slate-500">{note.at}{note.author.map(|author| format!(" · {author}"))}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::cents_input;

    #[test]
    fn amounts_show_in_the_form_as_they_are_typed() {
        assert_eq!(cents_input(Some(35_000_000)), "350000,00");
        assert_eq!(cents_input(Some(5)), "0,05");
        assert_eq!(cents_input(None), "");
    }
}
