use leptos::prelude::*;

use crate::i18n::{Text, t};

const DISMISS: Text = Text::new("Fechar notificação", "Dismiss notification");

/// More than this and the oldest toasts make room.
const MAX_VISIBLE: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
    Info,
}

/// One message in the stack. `id` comes from a counter (never random), so it is the same wherever it is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToastMessage {
    pub id: u64,
    pub kind: ToastKind,
    pub text: String,
}

/// Short feedback after an action ("Matrícula salva."), shown by `<Toasts/>` and gone by itself after a few
/// seconds. `Copy`: take it once with `use_toaster()` and move it into any handler. Messages are caller text
/// (`impl Into<String>`): pass `t_now(SAVED)` or a formatted `String`.
#[derive(Debug, Clone, Copy)]
pub struct Toaster {
    toasts: RwSignal<Vec<ToastMessage>>,
    next_id: StoredValue<u64>,
}

impl Toaster {
    pub fn success(self, message: impl Into<String>) -> u64 {
        self.show(ToastKind::Success, message)
    }

    pub fn error(self, message: impl Into<String>) -> u64 {
        self.show(ToastKind::Error, message)
    }

    pub fn info(self, message: impl Into<String>) -> u64 {
        self.show(ToastKind::Info, message)
    }

    /// Adds a toast and returns its id (for `dismiss`). In the browser it dismisses itself after a few seconds.
    pub fn show(self, kind: ToastKind, message: impl Into<String>) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let toast = ToastMessage { id, kind, text: message.into() };
        self.toasts.update(|toasts| {
            toasts.push(toast);
            let overflow = toasts.len().saturating_sub(MAX_VISIBLE);
            toasts.drain(..overflow);
        });
        #[cfg(feature = "hydrate")]
        {
            // How long a toast stays: errors a little longer, they usually need reading.
            let seconds = if kind == ToastKind::Error { 8 } else { 5 };
            // The toaster's signals may be gone by then (page left): `update` on a disposed signal is a no-op.
            set_timeout(move || self.dismiss(id), std::time::Duration::from_secs(seconds));
        }
        id
    }

    pub fn dismiss(self, id: u64) {
        self.toasts.update(|toasts| toasts.retain(|toast| toast.id != id));
    }

    /// The toasts on screen now, oldest first.
    pub fn toasts(self) -> Signal<Vec<ToastMessage>> {
        self.toasts.into()
    }
}

/// Provides a `Toaster` to everything below the current component and returns it. Idempotent: when one is
/// already in context (the app shell's), that one is returned and nothing new is provided, so a page may call
/// this defensively. Render `<Toasts/>` once per toaster, where it was created.
pub fn provide_toaster() -> Toaster {
    if let Some(existing) = use_context::<Toaster>() {
        return existing;
    }
    let toaster = Toaster { toasts: RwSignal::new(Vec::new()), next_id: StoredValue::new(1) };
    provide_context(toaster);
    toaster
}

/// The toaster in context, if some ancestor called `provide_toaster()` (`None` e.g. in isolated tests).
pub fn use_toaster() -> Option<Toaster> {
    use_context::<Toaster>()
}

/// The toast stack: bottom-right on a desktop, full width at the bottom of a phone. It lives in an
/// `aria-live="polite"` region that exists from the first render (so additions are announced); errors are
/// `role="alert"` (success and info are announced politely by the region itself). Each toast has a close
/// button. Renders an empty region without a toaster in context.
#[component]
pub fn Toasts() -> impl IntoView {
    let toasts = use_toaster().map(Toaster::toasts).unwrap_or_default();
    let toaster = use_toaster();
    view! {
        <div
            aria-live="polite"
            class="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-stretch gap-2 p-3 sm:inset-x-auto sm:right-0 sm:w-96 sm:p-6"
        >
            <For each=move || toasts.get() key=|toast| toast.id let:toast>
                <ToastItem toast=toast toaster=toaster />
            </For>
        </div>
    }
}

#[component]
fn ToastItem(toast: ToastMessage, toaster: Option<Toaster>) -> impl IntoView {
    let (role, accent, icon) = match toast.kind {
        ToastKind::Success => (
            None,
            "text-emerald-600",
            "M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z",
        ),
        ToastKind::Error => (
            Some("alert"),
            "text-rose-600",
            "M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm0 4a1 1 0 0 1 1 1v3a1 1 0 1 1-2 0V7a1 1 0 0 1 1-1Zm0 8.5a1.25 1.25 0 1 1 0-2.5 1.25 1.25 0 0 1 0 2.5Z",
        ),
        ToastKind::Info => (
            None,
            "text-indigo-600",
            "M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm0 3.5a1.25 1.25 0 1 1 0 2.5 1.25 1.25 0 0 1 0-2.5ZM9 9.5a1 1 0 0 1 2 0V14a1 1 0 1 1-2 0V9.5Z",
        ),
    };
    let kind = match toast.kind {
        ToastKind::Success => "success",
        ToastKind::Error => "error",
        ToastKind::Info => "info",
    };
    let id = toast.id;
    view! {
        <div
            role=role
            data-testid="toast"
            data-kind=kind
            class="pointer-events-auto flex items-start gap-3 rounded-lg bg-white p-3 text-sm text-slate-800 shadow-lg ring-1 ring-slate-200"
        >
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" class=format!("mt-0.5 size-5 shrink-0 {accent}")>
                <path fill-rule="evenodd" clip-rule="evenodd" d=icon />
            </svg>
            <p class="min-w-0 flex-1 break-words">{toast.text}</p>
            <button
                type="button"
                aria-label=t(DISMISS)
                title=t(DISMISS)
                data-testid="toast-close"
                class=format!(
                    "-m-1 shrink-0 rounded-md p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600 {}",
                    super::FOCUS_RING,
                )
                on:click=move |_| {
                    if let Some(toaster) = toaster {
                        toaster.dismiss(id);
                    }
                }
            >
                <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" class="size-4">
                    <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
                </svg>
            </button>
        </div>
    }
}

/// Announces an action's answer once it arrives (call it inside an `Effect` reading the action's value): the
/// success message, then `on_success`; or the error in the person's language.
pub fn toast_outcome(outcome: Option<Result<Text, crate::platform::AppError>>, on_success: impl FnOnce()) {
    let Some(outcome) = outcome else { return };
    let toaster = use_toaster();
    match outcome {
        Ok(message) => {
            if let Some(toaster) = toaster {
                toaster.success(crate::i18n::t_now(message));
            }
            on_success();
        }
        Err(error) => {
            if let Some(toaster) = toaster {
                toaster.error(error.user_message(crate::i18n::use_locale().get_untracked()));
            }
        }
    }
}
