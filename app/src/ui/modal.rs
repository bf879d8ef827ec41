use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, HtmlElement};

use crate::i18n::{Text, t};

const CLOSE: Text = Text::new("Fechar", "Close");

/// What can take keyboard focus inside the dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]):not([type=\"hidden\"]), \
                         select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// A dialog over the page, for a short task that must be finished or dismissed before going on (confirm a
/// deletion, a small form). Open it by setting `open` to `true`; Escape, the close button (labelled "Fechar")
/// and a click on the backdrop set it back to `false`. Nothing is rendered while closed.
///
/// Keyboard: on open, focus moves to the first focusable element of the body (or to the panel itself), Tab
/// and Shift+Tab cycle inside the dialog, and on close focus returns to whatever had it before (usually the
/// button that opened it). The page behind does not scroll while the dialog is open. All of this is
/// browser-only (effects and event handlers never run on the server).
///
/// `title` is caller text (`Signal<String>` via `into`: a literal, a `String` or `t(TITLE)`); it labels the
/// dialog through `aria-labelledby`. The title's id is `<id>-title`, with `id` defaulting to `modal`: give each
/// modal that can be open at the same time as another its own `id`.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into, optional)] id: Option<String>,
    #[prop(into, optional)] test_id: Option<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "modal".to_string());
    let title_id = format!("{id}-title");
    let panel = NodeRef::<leptos::html::Div>::new();
    let body = NodeRef::<leptos::html::Div>::new();

    // Focus in on open, back out on close. The effect's value is the element to return focus to; it also
    // reruns when the panel node appears, which is when there is something to focus.
    Effect::new(move |previous: Option<Option<HtmlElement>>| {
        let return_to = previous.flatten();
        if !open.get() {
            if let Some(element) = return_to {
                let _ = element.focus();
            }
            return None;
        }
        let return_to = return_to.or_else(focused_element);
        set_page_scroll_locked(true);
        // Runs before the next run and when the modal goes away while open.
        on_cleanup(|| set_page_scroll_locked(false));
        if let Some(panel) = panel.get() {
            let focus_is_inside = focused_element().is_some_and(|element| panel.contains(Some(&element)));
            if !focus_is_inside {
                let first = body.get().and_then(|body| focusables(&body).into_iter().next());
                match first {
                    Some(first) => {
                        let _ = first.focus();
                    }
                    None => {
                        let _ = panel.focus();
                    }
                }
            }
        }
        return_to
    });

    let close = move || open.set(false);
    let on_keydown = move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            event.stop_propagation();
            close();
        }
        "Tab" => {
            if let Some(panel) = panel.get_untracked() {
                trap_tab(&panel, &event);
            }
        }
        _ => {}
    };
    let test_id = test_id.unwrap_or_else(|| "modal".to_string());

    view! {
        <Show when=move || open.get()>
            <div class="fixed inset-0 z-50 flex items-end justify-center p-3 sm:items-center sm:p-6">
                <div
                    aria-hidden="true"
                    class="absolute inset-0 bg-slate-900/50"
                    data-testid="modal-backdrop"
                    on:click=move |_| close()
                ></div>
                <div
                    node_ref=panel
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby=title_id.clone()
                    tabindex="-1"
                    data-testid=test_id.clone()
                    class=format!(
                        "relative flex max-h-full w-full max-w-lg flex-col overflow-hidden rounded-xl bg-white shadow-xl {}",
                        super::FOCUS_RING,
                    )
                    on:keydown=on_keydown
                >
                    <header class="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-4">
                        <h2 id=title_id.clone() class="text-base font-semibold text-slate-900">
                            {move || title.get()}
                        </h2>
                        <button
                            type="button"
                            aria-label=t(CLOSE)
                            title=t(CLOSE)
                            data-testid="modal-close"
                            class=format!(
                                "-m-1.5 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-700 {}",
                                super::FOCUS_RING,
                            )
                            on:click=move |_| close()
                        >
                            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" class="size-5">
                                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
                            </svg>
                        </button>
                    </header>
                    <div node_ref=body class="overflow-y-auto px-5 py-4 text-sm text-slate-700">
                        {children()}
                    </div>
                </div>
            </div>
        </Show>
    }
}

/// The element that has focus now, if it can be focused again later.
fn focused_element() -> Option<HtmlElement> {
    document().active_element().and_then(|element| element.dyn_into::<HtmlElement>().ok())
}

/// Every focusable element under `root`, in document order (a tree walk, so no `NodeList` binding is needed).
fn focusables(root: &Element) -> Vec<HtmlElement> {
    let mut found = Vec::new();
    let mut next = root.first_element_child();
    let mut stack = Vec::new();
    while let Some(element) = next {
        if element.matches(FOCUSABLE).unwrap_or(false)
            && let Ok(element) = element.clone().dyn_into::<HtmlElement>()
        {
            found.push(element);
        }
        stack.push(element.next_element_sibling());
        next = element.first_element_child();
        while next.is_none() {
            match stack.pop() {
                Some(sibling) => next = sibling,
                None => break,
            }
        }
    }
    found
}

/// Keeps Tab inside the dialog: past the last element it wraps to the first, and Shift+Tab the other way.
fn trap_tab(panel: &Element, event: &leptos::ev::KeyboardEvent) {
    let elements = focusables(panel);
    let (Some(first), Some(last)) = (elements.first(), elements.last()) else {
        event.prevent_default();
        return;
    };
    let focused = document().active_element();
    let is = |element: &HtmlElement| focused.as_ref().is_some_and(|focused| focused.is_same_node(Some(element)));
    let on_panel = focused.as_ref().is_some_and(|focused| focused.is_same_node(Some(panel)));
    if event.shift_key() && (is(first) || on_panel) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && is(last) {
        event.prevent_default();
        let _ = first.focus();
    }
}

/// Stops the page behind the dialog from scrolling (and lets it scroll again).
fn set_page_scroll_locked(locked: bool) {
    if let Some(body) = document().body() {
        let style = body.style();
        let _ =
            if locked { style.set_property("overflow", "hidden") } else { style.remove_property("overflow").map(drop) };
    }
}
