//! Dragging a card with a finger. HTML5 drag and drop does not fire on touch screens, so the board also follows
//! the pointer events of fingers: a finger resting on a card for a moment picks it up (a swipe that starts at once
//! still scrolls the board and the page), a ghost of the card follows the finger, the column and the place where
//! the card would land are marked (`data-drop`), and lifting the finger drops it through the board's own move
//! (optimistic, carrying the card's version). A cancelled touch, or a finger lifted outside the columns, leaves the
//! card where it was. Near the board's left or right edge the board scrolls, so far columns can be reached.

use std::time::Duration;

use leptos::{
    ev::{self, PointerEvent},
    html::Div,
    leptos_dom::helpers::WindowListenerHandle,
    prelude::*,
    wasm_bindgen::JsCast,
    web_sys::{self, Element},
};
use uuid::Uuid;

/// How long a finger rests on a card before it is picked up, and how far (px) it may wander meanwhile: a larger
/// move is the start of a scroll, which the browser has taken over.
const HOLD: Duration = Duration::from_millis(300);
const SLOP: i32 = 10;
/// How close (px) to the board's left or right edge the finger scrolls the board, and by how much per move.
const EDGE: f64 = 40.0;
const STEP: f64 = 24.0;

/// Where a card would land: the stage, and the card it would go below (`None`: the top).
pub type Spot = (Uuid, Option<Uuid>);

/// A finger resting on a card, not yet holding it.
#[derive(Clone, Copy)]
struct Press {
    x: i32,
    y: i32,
    timer: Option<TimeoutHandle>,
}

/// The card on the finger, and where the finger took it (so the ghost does not jump under the finger).
#[derive(Clone, PartialEq)]
pub struct Lifted {
    pub id: Uuid,
    name: String,
    grip_x: i32,
    grip_y: i32,
    width: i32,
}

/// The finger drag of one board. Copy: every handler gets its own.
#[derive(Clone, Copy)]
pub struct TouchDrag {
    press: StoredValue<Option<Press>>,
    lifted: RwSignal<Option<Lifted>>,
    finger: RwSignal<(i32, i32)>,
    spot: RwSignal<Option<Spot>>,
    /// A drag just ended: the click a browser may send after it is not a tap that opens the card.
    ended: StoredValue<bool>,
    board: NodeRef<Div>,
    /// The board's move: `(card, stage, below)`.
    on_drop: Callback<(Uuid, Uuid, Option<Uuid>)>,
    /// The card picked up (`Some`) or let go (`None`): for the presence shown to the other watchers.
    on_lift: Callback<Option<Uuid>>,
}

impl TouchDrag {
    /// The drag of the board drawn in `board`. The finger's moves and lifts are followed on the window: the card
    /// under the finger may be drawn anew mid-drag (a live update) and the finger may leave the board.
    pub fn new(
        board: NodeRef<Div>,
        on_drop: Callback<(Uuid, Uuid, Option<Uuid>)>,
        on_lift: Callback<Option<Uuid>>,
    ) -> Self {
        let drag = Self {
            press: StoredValue::new(None),
            lifted: RwSignal::new(None),
            finger: RwSignal::new((0, 0)),
            spot: RwSignal::new(None),
            ended: StoredValue::new(false),
            board,
            on_drop,
            on_lift,
        };
        let listeners = [
            window_event_listener(ev::pointermove, move |event| drag.moved(&event)),
            window_event_listener(ev::pointerup, move |event| drag.lifted_finger(&event)),
            window_event_listener(ev::pointercancel, move |event| {
                if is_finger(&event) {
                    drag.cancel();
                }
            }),
        ];
        on_cleanup(move || {
            drag.cancel();
            listeners.into_iter().for_each(WindowListenerHandle::remove);
        });
        drag
    }

    /// A finger (or a mouse: ignored, HTML5 drag and drop serves it) touches the board.
    pub fn down(self, event: &PointerEvent) {
        self.ended.set_value(false);
        if !is_finger(event) {
            return;
        }
        let card = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|element| element.closest("[data-lead]").ok().flatten());
        let Some(card) = card else { return };
        let (x, y) = (event.client_x(), event.client_y());
        let timer = set_timeout_with_handle(move || self.lift(&card, x, y), HOLD).ok();
        self.forget_press();
        self.press.set_value(Some(Press { x, y, timer }));
    }

    fn lift(self, card: &Element, x: i32, y: i32) {
        self.press.set_value(None);
        let Some(id) = card.get_attribute("data-lead").and_then(|id| Uuid::parse_str(&id).ok()) else { return };
        let Some([left, top, width, _]) = client_box(card) else { return };
        // Whole pixels: the ghost needs no more, and the browser bundle formats no floats.
        let (left, top, width) = (left as i32, top as i32, width as i32);
        let name = card.get_attribute("aria-label").unwrap_or_default();
        self.finger.set((x, y));
        self.spot.set(spot_at(x, y, id));
        self.lifted.set(Some(Lifted { id, name, grip_x: x - left, grip_y: y - top, width }));
        self.on_lift.run(Some(id));
    }

    fn moved(self, event: &PointerEvent) {
        if !is_finger(event) {
            return;
        }
        let (x, y) = (event.client_x(), event.client_y());
        if let Some(press) = self.press.get_value() {
            if (x - press.x).abs() > SLOP || (y - press.y).abs() > SLOP {
                self.forget_press();
            }
            return;
        }
        let Some(id) = self.lifted_id() else { return };
        self.finger.set((x, y));
        self.spot.set(spot_at(x, y, id));
        self.scroll_near_edges(x);
    }

    fn lifted_finger(self, event: &PointerEvent) {
        if !is_finger(event) {
            return;
        }
        self.forget_press();
        let Some(id) = self.lifted_id() else { return };
        let spot = spot_at(event.client_x(), event.client_y(), id);
        self.let_go();
        if let Some((stage, below)) = spot {
            self.on_drop.run((id, stage, below));
        }
    }

    /// The touch was cancelled (the browser took it over, the page went away): the card stays where it was.
    pub fn cancel(self) {
        self.forget_press();
        if self.lifted_id().is_some() {
            self.let_go();
        }
    }

    fn let_go(self) {
        self.ended.set_value(true);
        self.lifted.set(None);
        self.spot.set(None);
        self.on_lift.run(None);
    }

    fn forget_press(self) {
        if let Some(Press { timer: Some(timer), .. }) = self.press.get_value() {
            timer.clear();
        }
        self.press.set_value(None);
    }

    fn scroll_near_edges(self, x: i32) {
        let Some(board) = self.board.get_untracked() else { return };
        let Some([left, _, width, _]) = client_box(&board) else { return };
        let x = f64::from(x);
        if x < left + EDGE {
            board.scroll_by_with_x_and_y(-STEP, 0.0);
        } else if x > left + width - EDGE {
            board.scroll_by_with_x_and_y(STEP, 0.0);
        }
    }

    /// While a card is on the finger, the finger's moves drag it and do not scroll. (A listener on the board
    /// itself: the browser lets an element's `touchmove` listener cancel the scroll, not one on the window.)
    pub fn hold_scroll(self, event: &ev::TouchEvent) {
        if event.cancelable() && self.lifted_id().is_some() {
            event.prevent_default();
        }
    }

    /// A long press would open the browser's menu (or select text) on top of the drag.
    pub fn hold_menu(self, event: &ev::MouseEvent) {
        if self.press.with_value(Option::is_some) || self.lifted_id().is_some() {
            event.prevent_default();
        }
    }

    /// Whether a click on a card comes from a drag that just ended (and must not open the card).
    pub fn ended_drag(self) -> bool {
        self.ended.get_value()
    }

    fn lifted_id(self) -> Option<Uuid> {
        self.lifted.with_untracked(|lifted| lifted.as_ref().map(|lifted| lifted.id))
    }

    /// `data-lifted` of a card: the one on the finger shows faded in its place.
    pub fn lifted_mark(self, id: Uuid) -> Option<&'static str> {
        self.lifted.with(|lifted| lifted.as_ref().is_some_and(|lifted| lifted.id == id)).then_some("")
    }

    /// `data-drop` of a column: `top` when the card would land at its top, `in` when further down.
    pub fn column_mark(self, stage: Uuid) -> Option<&'static str> {
        self.spot.with(|spot| match spot {
            Some((at, below)) if *at == stage => Some(if below.is_some() { "in" } else { "top" }),
            _ => None,
        })
    }

    /// `data-drop` of a card: `after` when the dragged card would land just below it.
    pub fn card_mark(self, id: Uuid) -> Option<&'static str> {
        self.spot.with(|spot| spot.and_then(|(_, below)| below).filter(|below| *below == id).map(|_| "after"))
    }
}

fn is_finger(event: &PointerEvent) -> bool {
    event.pointer_type() == "touch" && event.is_primary()
}

/// The card that follows the finger.
#[component]
pub fn TouchGhost(drag: TouchDrag) -> impl IntoView {
    move || {
        drag.lifted.get().map(|lifted| {
            let place = move || {
                let (x, y) = drag.finger.get();
                format!("translate({}px,{}px)", x - lifted.grip_x, y - lifted.grip_y)
            };
            view! {
                <div
                    aria-hidden="true"
                    data-testid="touch-ghost"
                    class="pointer-events-none fixed left-0 top-0 z-40 rotate-2 rounded-lg bg-white p-3 text-sm font-medium text-slate-900 shadow-xl ring-2 ring-indigo-400"
                    style:width=format!("{}px", lifted.width)
                    style:transform=place
                >
                    {lifted.name}
                </div>
            }
        })
    }
}

/// Where the dragged card `id` would land with the finger at (`x`, `y`): the column under the finger, below the
/// last card whose middle is above the finger. `None` outside the columns.
fn spot_at(x: i32, y: i32, id: Uuid) -> Option<Spot> {
    let hit = document().element_from_point(x as f32, y as f32)?;
    let column = hit.closest("[data-stage]").ok()??;
    let stage = column.get_attribute("data-stage").and_then(|stage| Uuid::parse_str(&stage).ok())?;
    // The cards are the column's `article`s (a tag query: web-sys's `NodeList` is not enabled in this build).
    let cards = column.get_elements_by_tag_name("article");
    let middles: Vec<(Uuid, f64)> = (0..cards.length())
        .filter_map(|at| cards.item(at))
        .filter_map(|card| {
            let card_id = Uuid::parse_str(&card.get_attribute("data-lead")?).ok()?;
            let [_, top, _, height] = client_box(&card)?;
            Some((card_id, top + height / 2.0))
        })
        .collect();
    Some((stage, below(&middles, f64::from(y), id)))
}

/// The card the dragged one (`id`) lands below, the finger at `y`: the last other card whose middle is above it.
fn below(middles: &[(Uuid, f64)], y: f64, id: Uuid) -> Option<Uuid> {
    middles.iter().filter(|(card, _)| *card != id).take_while(|(_, middle)| *middle < y).last().map(|(card, _)| *card)
}

/// An element's box in the viewport: left, top, width, height. Read through JavaScript reflection: web-sys's
/// `DomRect` binding is not among the features this build enables, and enabling it rebuilds every browser crate.
fn client_box(element: &Element) -> Option<[f64; 4]> {
    use web_sys::js_sys::{Function, Reflect};
    let measure: Function = Reflect::get(element, &"getBoundingClientRect".into()).ok()?.dyn_into().ok()?;
    let rect = measure.call0(element).ok()?;
    let side = |name: &str| Reflect::get(&rect, &name.into()).ok()?.as_f64();
    Some([side("left")?, side("top")?, side("width")?, side("height")?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_lands_below_the_last_card_whose_middle_is_above_the_finger() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let middles = [(a, 100.0), (b, 200.0), (c, 300.0)];
        let dragged = Uuid::now_v7();
        assert_eq!(below(&middles, 50.0, dragged), None);
        assert_eq!(below(&middles, 150.0, dragged), Some(a));
        assert_eq!(below(&middles, 250.0, dragged), Some(b));
        assert_eq!(below(&middles, 900.0, dragged), Some(c));
        // The dragged card itself is not a place to land below.
        assert_eq!(below(&middles, 250.0, b), Some(a));
        assert_eq!(below(&middles, 150.0, a), None);
    }
}
