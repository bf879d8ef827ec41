//! `/:tenant/crm`: the live Kanban board. Columns per stage with count and total; cards with name, value, score,
//! owner, age and the stale mark; filters in the address (`funil`, `consultor`, `busca`, `meus=1`).
//!
//! A card moves by keyboard (focus it; Alt+←/→ changes stage, Alt+↑/↓ moves it within the column; announced in
//! an `aria-live` region), by dragging with the mouse (HTML5 drag and drop) or with a finger (a long press picks
//! it up: `touch_drag`). The move shows at once and carries the version it was based on; when the server refuses
//! it, the board goes back to what it was and a toast says why. Every watcher refetches on the board's live
//! events, and sees who else is here (and who is moving which card).

use leptos::prelude::*;
use leptos_router::{components::Form, hooks::use_query_map};
use uuid::Uuid;

use super::desk::Desk;
use super::drawer::{LeadDrawer, use_lead_address};
use super::export_link::ExportLink;
use super::touch_drag::{TouchDrag, TouchGhost};
use crate::crm::{
    api::{load_board, move_lead},
    types::{Board, BoardFilter, LeadCard},
};
use crate::i18n::{Text, format_brl, t, t_now, ts, use_locale};
use crate::platform::{
    auth::Role,
    layout::Allowed,
    live::{Activity, Live, Topic, use_live},
    tenancy::Module,
};
use crate::ui::{Button, ErrorAlert, FOCUS_RING, KanbanColumn, PageHeader, SkeletonRows, TextField, use_toaster};

const TITLE: Text = Text::new("Quadro de leads", "Lead board");
const SUBTITLE: Text = Text::new(
    "Enter abre o card em foco; Alt + setas o movem: ←/→ muda de etapa, ↑/↓ muda a ordem.",
    "Enter opens the focused card; Alt + arrows move it: ←/→ changes stage, ↑/↓ changes order.",
);
const NO_LEADS: Text = Text::new("Nenhum lead nesta etapa", "No leads in this stage");
const PIPELINE: Text = Text::new("Funil", "Pipeline");
const CONSULTANT: Text = Text::new("Consultor", "Consultant");
const ANYONE: Text = Text::new("Todos", "Anyone");
const SEARCH: Text = Text::new("Buscar por nome", "Search by name");
const MINE: Text = Text::new("Meus leads", "My leads");
const FILTER: Text = Text::new("Filtrar", "Filter");
const UNASSIGNED: Text = Text::new("Sem responsável", "Unassigned");
const STALE: Text = Text::new("Parado", "Stale");
const AI: Text = Text::new("IA", "AI");
const RULES: Text = Text::new("regras", "rules");
const DAYS: Text = Text::new("d", "d");
const MOVED_TO: Text = Text::new("movido para", "moved to");
const POSITION: Text = Text::new("posição", "position");
const HERE: Text = Text::new("Neste quadro:", "On this board:");
const STAGES: Text = Text::new("Configurar etapas", "Set up stages");
const TABLE: Text = Text::new("Tabela", "Table");
const MOVING: Text = Text::new("está movendo um card", "is moving a card");

#[component]
pub fn BoardPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Owner, Role::Staff, Role::Consultant] module=Module::Crm>
            <LiveBoard />
        </Allowed>
    }
}

#[component]
fn LiveBoard() -> impl IntoView {
    let address = use_query_map();
    let filter = Memo::new(move |_| address.with(|map| BoardFilter::from_url(|key| map.get(key))));
    let data = Resource::new(move || filter.get(), load_board);
    let announce = RwSignal::new(String::new());
    let focus = RwSignal::new(None::<Uuid>);
    // The board's topic, watched in the browser only (an effect), once per pipeline shown: a refetch of the board
    // does not subscribe again.
    let pipeline = Memo::new(move |_| data.get().and_then(Result::ok).map(|board| board.pipeline.id));
    let live = RwSignal::new(None::<Live>);
    Effect::new(move |_| {
        if let Some(id) = pipeline.get() {
            let watch = use_live(Topic::Board(id));
            watch.on_change(move || data.refetch());
            watch.set_activity(Activity::Viewing);
            live.set(Some(watch));
        }
    });
    let loaded = Signal::derive(move || data.get().and_then(Result::ok));
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            {crate::platform::layout::use_viewer().map(|viewer| view! {
                <a href=format!("/{}/crm/leads", viewer.tenant.slug) class="text-sm font-semibold text-indigo-700 hover:underline" data-testid="board-table-link">{t(TABLE)}</a>
            })}
            {crate::platform::layout::use_viewer().filter(|viewer| viewer.role == Role::Owner).map(|viewer| view! {
                <a href=format!("/{}/crm/etapas", viewer.tenant.slug) class="text-sm font-semibold text-indigo-700 hover:underline" data-testid="board-stages-link">{t(STAGES)}</a>
            })}
            <Desk />
        </PageHeader>
        <Presence live />
        <p class="sr-only" aria-live="polite" data-testid="board-announcer">{move || announce.get()}</p>
        <Transition fallback=|| view! { <SkeletonRows rows=4 columns=4 /> }>
            {move || data.get().map(|answer| match answer {
                Ok(board) => view! {
                    <Filters board=board.clone() filter=filter.get_untracked() />
                    <Columns board announce focus live reload=Callback::new(move |()| data.refetch()) />
                }
                .into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
        <LeadDrawer board=loaded live focus />
    }
}

/// Who else watches the board, and who is dragging.
#[component]
fn Presence(live: RwSignal<Option<Live>>) -> impl IntoView {
    let people = move || live.get().map(|live| live.people().get()).unwrap_or_default();
    view! {
        <Show when=move || !people().is_empty()>
            <div class="mb-3 flex flex-wrap items-center gap-2 text-xs text-slate-600" data-testid="board-presence">
                <span>{t(HERE)}</span>
                {move || people().into_iter().map(|person| {
                    let initials: String = person.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
                    let moving = matches!(person.activity, Activity::Dragging { .. });
                    view! {
                        <span class="inline-flex items-center gap-1" title=person.name.clone()>
                            <span class="grid size-7 place-items-center rounded-full bg-indigo-100 font-semibold text-indigo-700">{initials}</span>
                            {moving.then(|| format!("{} {}", person.name, t_now(MOVING)))}
                        </span>
                    }
                }).collect_view()}
            </div>
        </Show>
    }
}

#[component]
fn Filters(board: Board, filter: BoardFilter) -> impl IntoView {
    let chosen = |id: Option<Uuid>, option: Uuid| id == Some(option);
    let search = RwSignal::new(filter.text.clone());
    view! {
        <Form method="get" action="">
            <div class="mb-4 flex flex-wrap items-end gap-3" data-testid="board-filters">
                <label class="flex flex-col text-sm text-slate-700">
                    {t(PIPELINE)}
                    <select name="funil" class="mt-1 rounded-md border-slate-300 text-sm" data-testid="filter-pipeline">
                        {board.pipelines.iter().map(|pipeline| view! {
                            <option value=pipeline.id.to_string() selected=pipeline.id == board.pipeline.id>{pipeline.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="flex flex-col text-sm text-slate-700">
                    {t(CONSULTANT)}
                    <select name="consultor" class="mt-1 rounded-md border-slate-300 text-sm" data-testid="filter-consultant">
                        <option value="">{t(ANYONE)}</option>
                        {board.consultants.iter().map(|person| view! {
                            <option value=person.id.to_string() selected=chosen(filter.consultant, person.id)>{person.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <TextField label=ts(SEARCH) name="busca" input_type="search" value=search test_id="filter-search" />
                <label class="flex items-center gap-2 pb-2 text-sm text-slate-700">
                    <input type="checkbox" name="meus" value="1" checked=filter.mine data-testid="filter-mine" />
                    {t(MINE)}
                </label>
                <Button button_type="submit" test_id="filter-apply">{t(FILTER)}</Button>
                {board.manages.then(|| view! { <ExportLink /> })}
            </div>
        </Form>
    }
}

/// Where a keyboard move sends a card: the stage, and the card it lands below (`None`: the top).
fn keyboard_target(cards: &[LeadCard], stages: &[Uuid], card: &LeadCard, key: &str) -> Option<(Uuid, Option<Uuid>)> {
    let column = |stage: Uuid| cards.iter().filter(move |other| other.stage_id == stage && other.id != card.id);
    let here = stages.iter().position(|stage| *stage == card.stage_id)?;
    match key {
        "ArrowLeft" | "ArrowRight" => {
            let next = if key == "ArrowLeft" { here.checked_sub(1)? } else { here + 1 };
            let stage = *stages.get(next)?;
            Some((stage, column(stage).next_back().map(|other| other.id)))
        }
        "ArrowUp" | "ArrowDown" => {
            let above: Vec<&LeadCard> = cards.iter().filter(|other| other.stage_id == card.stage_id).collect();
            let index = above.iter().position(|other| other.id == card.id)?;
            let new_index = if key == "ArrowUp" {
                index.checked_sub(1)?
            } else {
                (index + 1 < above.len()).then_some(index + 1)?
            };
            let rest: Vec<&LeadCard> = above.into_iter().filter(|other| other.id != card.id).collect();
            Some((card.stage_id, new_index.checked_sub(1).and_then(|at| rest.get(at)).map(|other| other.id)))
        }
        _ => None,
    }
}

/// Whether `id` already sits in `stage` just below `after` (or at its top): a move there changes nothing.
fn stays_put(cards: &[LeadCard], id: Uuid, stage: Uuid, after: Option<Uuid>) -> bool {
    let mut column = cards.iter().filter(|card| card.stage_id == stage);
    let mut above = None;
    for card in column.by_ref() {
        if card.id == id {
            return above == after;
        }
        above = Some(card.id);
    }
    false
}

/// Puts `id` in `stage` just below `after` (or at the top), in the local order only.
fn place_locally(cards: &mut Vec<LeadCard>, id: Uuid, stage: Uuid, after: Option<Uuid>) {
    let Some(from) = cards.iter().position(|card| card.id == id) else { return };
    let mut card = cards.remove(from);
    card.stage_id = stage;
    let at = match after {
        Some(after) => cards.iter().position(|other| other.id == after).map_or(cards.len(), |at| at + 1),
        None => cards.iter().position(|other| other.stage_id == stage).unwrap_or(cards.len()),
    };
    cards.insert(at, card);
}

#[component]
fn Columns(
    board: Board,
    announce: RwSignal<String>,
    focus: RwSignal<Option<Uuid>>,
    live: RwSignal<Option<Live>>,
    /// Fetches the board again (after a refused move: the refusal may mean it is out of date).
    reload: Callback<()>,
) -> impl IntoView {
    let cards = RwSignal::new(board.cards.clone());
    let stage_ids: Vec<Uuid> = board.stages.iter().map(|stage| stage.id).collect();
    let stage_names: Vec<(Uuid, String)> = board.stages.iter().map(|stage| (stage.id, stage.name.clone())).collect();
    let dragging = RwSignal::new(None::<Uuid>);
    let toaster = use_toaster();
    let locale = use_locale();
    let move_card = move |id: Uuid, stage: Uuid, after: Option<Uuid>| {
        let before = cards.get_untracked();
        if stays_put(&before, id, stage, after) {
            return;
        }
        let Some(card) = before.iter().find(|card| card.id == id).cloned() else { return };
        cards.update(|cards| place_locally(cards, id, stage, after));
        focus.set(Some(id));
        let name = stage_names.iter().find(|(stage_id, _)| *stage_id == stage).map(|(_, name)| name.clone());
        let position = cards.with_untracked(|cards| {
            cards.iter().filter(|other| other.stage_id == stage).position(|other| other.id == id).unwrap_or(0) + 1
        });
        announce.set(format!(
            "{} {} {}, {} {position}",
            card.name,
            t_now(MOVED_TO),
            name.unwrap_or_default(),
            t_now(POSITION)
        ));
        leptos::task::spawn_local(async move {
            match move_lead(id, stage, after, card.version).await {
                Ok(moved) => cards.update(|cards| {
                    if let Some(card) = cards.iter_mut().find(|card| card.id == id) {
                        *card = moved;
                    }
                }),
                Err(error) => {
                    cards.set(before);
                    let message = error.user_message(locale.get_untracked());
                    announce.set(message.clone());
                    if let Some(toaster) = toaster {
                        toaster.error(message);
                    }
                    reload.run(());
                }
            }
        });
    };
    let board_node = NodeRef::<leptos::html::Div>::new();
    let touch = {
        let move_card = move_card.clone();
        TouchDrag::new(
            board_node,
            Callback::new(move |(id, stage, after)| move_card(id, stage, after)),
            Callback::new(move |lifted: Option<Uuid>| {
                if let Some(live) = live.get_untracked() {
                    live.set_activity(lifted.map_or(Activity::Viewing, |id| Activity::Dragging { id }));
                }
            }),
        )
    };
    let stages = board.stages.clone();
    view! {
        <div
            node_ref=board_node
            class="-mx-4 flex gap-4 overflow-x-auto px-4 pb-4 md:mx-0 md:px-0"
            data-testid="board"
            on:pointerdown=move |ev| touch.down(&ev)
            on:touchmove=move |ev| touch.hold_scroll(&ev)
            on:contextmenu=move |ev| touch.hold_menu(&ev)
        >
            {stages.into_iter().map(|stage| {
                let stage_id = stage.id;
                let stage_ids = stage_ids.clone();
                let move_card = move_card.clone();
                let drop_card = move_card.clone();
                view! {
                    <div
                        data-testid="board-column"
                        data-stage=stage_id.to_string()
                        data-drop=move || touch.column_mark(stage_id)
                        class="rounded-xl data-drop:ring-2 data-drop:ring-indigo-400 data-[drop=top]:shadow-[inset_0_4px_0_var(--color-indigo-500)]"
                        on:dragover=move |ev| ev.prevent_default()
                        on:drop=move |ev| {
                            ev.prevent_default();
                            if let Some(id) = dragging.get_untracked() {
                                let last = cards.with_untracked(|cards| {
                                    cards.iter().rfind(|c| c.stage_id == stage_id && c.id != id).map(|c| c.id)
                                });
                                drop_card(id, stage_id, last);
                            }
                        }
                    >
                        {move || {
                            let column: Vec<LeadCard> = cards.with(|cards| cards.iter().filter(|c| c.stage_id == stage_id).cloned().collect());
                            let total: i64 = column.iter().filter_map(|card| card.value_cents).sum();
                            let stage_ids = stage_ids.clone();
                            let move_card = move_card.clone();
                            view! {
                                <KanbanColumn title=stage.name.clone() count=column.len() total=format_brl(total)>
                                    {if column.is_empty() {
                                        view! { <p class="rounded-lg border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-500">{t(NO_LEADS)}</p> }.into_any()
                                    } else {
                                        column.into_iter().map(|card| {
                                            let stage_ids = stage_ids.clone();
                                            let move_card = move_card.clone();
                                            let id = card.id;
                                            let on_key = move |ev: leptos::ev::KeyboardEvent| {
                                                if !ev.alt_key() { return; }
                                                let target = cards.with_untracked(|cards| {
                                                    let card = cards.iter().find(|c| c.id == id)?;
                                                    keyboard_target(cards, &stage_ids, card, &ev.key())
                                                });
                                                if let Some((stage, after)) = target {
                                                    ev.prevent_default();
                                                    move_card(id, stage, after);
                                                }
                                            };
                                            view! { <Card card focus dragging live touch on_key /> }
                                        }).collect_view().into_any()
                                    }}
                                </KanbanColumn>
                            }
                        }}
                    </div>
                }
            }).collect_view()}
        </div>
        <TouchGhost drag=touch />
    }
}

#[component]
fn Card(
    card: LeadCard,
    focus: RwSignal<Option<Uuid>>,
    dragging: RwSignal<Option<Uuid>>,
    live: RwSignal<Option<Live>>,
    touch: TouchDrag,
    on_key: impl Fn(leptos::ev::KeyboardEvent) + 'static,
) -> impl IntoView {
    let id = card.id;
    let node = NodeRef::<leptos::html::Article>::new();
    // A card moved by keyboard is drawn anew in its new place: give it the focus back.
    Effect::new(move |_| {
        if focus.get() == Some(id)
            && let Some(element) = node.get()
        {
            let _ = element.focus();
        }
    });
    let open = use_lead_address();
    let open_by_key = open.clone();
    let activity = move |activity: Activity| {
        if let Some(live) = live.get_untracked() {
            live.set_activity(activity);
        }
    };
    let score = card.score.map(|score| {
        let by = if card.score_by_ai { AI } else { RULES };
        let tone = if score >= 70 { "bg-emerald-50 text-emerald-700" } else if score >= 40 { "bg-amber-50 text-amber-800" } else { "bg-slate-100 text-slate-600" };
        view! { <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {tone}") data-testid="card-score">{score}" · "{t(by)}</span> }
    });
    view! {
        <article
            node_ref=node
            tabindex="0"
            draggable="true"
            data-testid="lead-card"
            data-lead=id.to_string()
            aria-label=card.name.clone()
            data-lifted=move || touch.lifted_mark(id)
            data-drop=move || touch.card_mark(id)
            class=format!("cursor-grab select-none rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200 [-webkit-touch-callout:none] data-lifted:opacity-40 data-[drop=after]:shadow-[0_6px_0_-2px_var(--color-indigo-500)] {FOCUS_RING}")
            on:click=move |_| {
                if !touch.ended_drag() {
                    open(Some(id));
                }
            }
            on:keydown=move |ev| {
                if ev.key() == "Enter" {
                    open_by_key(Some(id));
                } else {
                    on_key(ev);
                }
            }
            on:dragstart=move |_| {
                dragging.set(Some(id));
                activity(Activity::Dragging { id });
            }
            on:dragend=move |_| {
                dragging.set(None);
                activity(Activity::Viewing);
            }
        >
            <div class="flex items-start justify-between gap-2">
                <h3 class="font-medium text-slate-900">{card.name.clone()}</h3>
                {score}
            </div>
            <p class="mt-1 tabular-nums text-slate-700">{card.value_cents.map(format_brl)}</p>
            <div class="mt-2 flex items-center justify-between gap-2 text-xs text-slate-500">
                <span>{card.owner_name.clone().unwrap_or_else(|| t_now(UNASSIGNED).to_string())}</span>
                <span class="flex items-center gap-1">
                    {card.stale.then(|| view! { <span class="rounded bg-rose-50 px-1.5 py-0.5 font-medium text-rose-700" data-testid="card-stale">{t(STALE)}</span> })}
                    <span class="tabular-nums">{card.age_days}{t(DAYS)}</span>
                </span>
            </div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(stage: Uuid) -> LeadCard {
        LeadCard {
            id: Uuid::now_v7(),
            stage_id: stage,
            name: "x".into(),
            value_cents: None,
            score: None,
            score_by_ai: false,
            owner_id: None,
            owner_name: None,
            age_days: 0,
            stale: false,
            position: 0,
            version: 1,
        }
    }

    #[test]
    fn arrows_move_a_card_across_stages_and_within_its_column() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let cards = vec![card(a), card(a), card(a), card(b)];
        let stages = [a, b];
        let (first, second, third, other) = (&cards[0], &cards[1], &cards[2], &cards[3]);
        assert_eq!(keyboard_target(&cards, &stages, second, "ArrowRight"), Some((b, Some(other.id))));
        assert_eq!(keyboard_target(&cards, &stages, second, "ArrowLeft"), None);
        assert_eq!(keyboard_target(&cards, &stages, other, "ArrowLeft"), Some((a, Some(third.id))));
        assert_eq!(keyboard_target(&cards, &stages, second, "ArrowUp"), Some((a, None)));
        assert_eq!(keyboard_target(&cards, &stages, first, "ArrowDown"), Some((a, Some(second.id))));
        assert_eq!(keyboard_target(&cards, &stages, second, "ArrowDown"), Some((a, Some(third.id))));
        assert_eq!(keyboard_target(&cards, &stages, third, "ArrowDown"), None);

        let mut local = cards.clone();
        place_locally(&mut local, first.id, a, Some(second.id));
        assert_eq!(local.iter().map(|c| c.id).collect::<Vec<_>>(), vec![second.id, first.id, third.id, other.id]);
        place_locally(&mut local, other.id, a, None);
        assert_eq!(local[0].id, other.id);
        assert_eq!(local[0].stage_id, a);
    }

    #[test]
    fn a_drop_where_the_card_already_is_changes_nothing() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let cards = vec![card(a), card(a), card(b)];
        let (first, second, other) = (cards[0].id, cards[1].id, cards[2].id);
        assert!(stays_put(&cards, first, a, None));
        assert!(stays_put(&cards, second, a, Some(first)));
        assert!(!stays_put(&cards, first, a, Some(second)));
        assert!(!stays_put(&cards, second, a, None));
        assert!(!stays_put(&cards, first, b, Some(other)));
    }
}
