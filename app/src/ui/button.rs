use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonKind {
    #[default]
    Primary,
    Secondary,
    Danger,
}

impl ButtonKind {
    fn classes(self) -> &'static str {
        match self {
            Self::Primary => "bg-indigo-600 text-white shadow-sm hover:bg-indigo-500",
            Self::Secondary => "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
            Self::Danger => "bg-rose-600 text-white shadow-sm hover:bg-rose-500",
        }
    }
}

/// A button. While `busy`, it is disabled and says so to screen readers. `button_type` is the HTML `type`:
/// `"button"` (the default, so a button inside a form never submits it by accident) or `"submit"` for the one
/// button that sends an `<ActionForm>`.
#[component]
pub fn Button(
    #[prop(optional)] kind: ButtonKind,
    #[prop(default = "button")] button_type: &'static str,
    #[prop(into, optional)] busy: Signal<bool>,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(optional)] on_click: Option<Callback<()>>,
    #[prop(optional, into)] test_id: Option<String>,
    children: Children,
) -> impl IntoView {
    let class = format!(
        "inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-semibold transition \
         disabled:cursor-not-allowed disabled:opacity-60 aria-busy:cursor-wait aria-busy:opacity-60 {} {}",
        kind.classes(),
        super::FOCUS_RING
    );
    view! {
        <button
            type=button_type
            class=class
            data-testid=test_id
            disabled=move || busy.get() || disabled.get()
            aria-busy=move || busy.get().then_some("true")
            on:click=move |_| {
                if let Some(on_click) = on_click {
                    on_click.run(());
                }
            }
        >
            <Show when=move || busy.get()>
                <span aria-hidden="true" class="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent"></span>
            </Show>
            {children()}
        </button>
    }
}
