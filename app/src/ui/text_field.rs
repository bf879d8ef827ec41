use leptos::prelude::*;

use super::field::{FieldLabel, FieldMessages, control_class, described_by, field_id};

/// A labelled text input, for forms that submit by `name` (`<ActionForm>`) and for forms kept in signals.
///
/// Without `value` the input is uncontrolled: the browser keeps what is typed and the form submits it under
/// `name`. With `value: RwSignal<String>` it is two-way: typing writes the signal, and writing the signal updates
/// the input (the server renders the signal's first value as the `value` attribute).
///
/// Caller text (`label`, `hint`, `placeholder`) is a `Signal<String>` taken with `into`, so a caller passes a
/// literal, a `String`, a signal, or straight `t(NAME)` and the label follows the language switch. `error` is a
/// `Signal<Option<String>>`: while it holds a message, the message shows under the input in rose, the input
/// gets `aria-invalid="true"` and `aria-describedby` points at the message.
///
/// The id is `field-<name>` (override with `id` when two fields on one page share a name), so the server and
/// the hydrating browser agree on it.
#[component]
pub fn TextField(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] name: String,
    /// `text`, `email`, `password`, `tel`, `number`, `date`, `search`, `url`…
    #[prop(default = "text")]
    input_type: &'static str,
    #[prop(optional)] value: Option<RwSignal<String>>,
    #[prop(into, optional)] hint: Option<Signal<String>>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
    /// An `autocomplete` token: `email`, `name`, `tel`, `current-password`, `off`…
    #[prop(into, optional)]
    autocomplete: Option<String>,
    #[prop(into, optional)] placeholder: Option<Signal<String>>,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(into, optional)] id: Option<String>,
    #[prop(into, optional)] test_id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let has_hint = hint.is_some();
    let has_error = move || error.with(Option::is_some);
    let describe_id = id.clone();
    let input = NodeRef::<leptos::html::Input>::new();
    if let Some(value) = value {
        // Signal → input (browser only: effects do not run on the server). Skipped when equal, so typing does
        // not move the caret.
        Effect::new(move || {
            let current = value.get();
            if let Some(input) = input.get()
                && input.value() != current
            {
                input.set_value(&current);
            }
        });
    }
    view! {
        <div class="min-w-0">
            <FieldLabel for_id=id.clone() label=label required=required />
            <input
                node_ref=input
                id=id.clone()
                name=name
                type=input_type
                value=value.map(|value| value.get_untracked())
                required=required
                autocomplete=autocomplete
                placeholder=move || placeholder.map(|placeholder| placeholder.get())
                disabled=move || disabled.get()
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || described_by(&describe_id, has_hint, has_error())
                data-testid=test_id
                class=move || control_class(has_error())
                on:input=move |event| {
                    if let Some(value) = value {
                        value.set(event_target_value(&event));
                    }
                }
            />
            <FieldMessages id=id hint=hint error=error />
        </div>
    }
}
