use leptos::prelude::*;

use super::field::{FieldLabel, FieldMessages, control_class, described_by, field_id};

/// A labelled `<select>`: the same shape as `TextField` (label, `name`, optional two-way `value`, hint, error,
/// deterministic `field-<name>` id), for choosing one of a short, known list.
///
/// `options` are `(value, label)` pairs as a `Signal<Vec<(String, String)>>` taken with `into`: pass a `Vec`
/// for a fixed list, or a closure that builds the labels with `t(...)` so they follow the language switch.
/// `placeholder` adds a first empty option (`value=""`), which together with `required` makes the browser ask
/// for a real choice.
#[component]
pub fn SelectField(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] name: String,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional)] value: Option<RwSignal<String>>,
    #[prop(into, optional)] placeholder: Option<Signal<String>>,
    #[prop(into, optional)] hint: Option<Signal<String>>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(into, optional)] id: Option<String>,
    #[prop(into, optional)] test_id: Option<String>,
    /// Keep the label for screen readers only (where the column header already says what it is).
    #[prop(optional)]
    label_hidden: bool,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let has_hint = hint.is_some();
    let has_error = move || error.with(Option::is_some);
    let describe_id = id.clone();
    let select = NodeRef::<leptos::html::Select>::new();
    if let Some(value) = value {
        // Signal → select, also after the options change (browser only).
        Effect::new(move || {
            options.track();
            let current = value.get();
            if let Some(select) = select.get()
                && select.value() != current
            {
                select.set_value(&current);
            }
        });
    }
    // The server marks the chosen option with `selected`; in the browser the effect above keeps it in step.
    let current = move || value.map(|value| value.get_untracked()).unwrap_or_default();
    view! {
        <div class="min-w-0">
            <FieldLabel for_id=id.clone() label=label required=required hidden=label_hidden />
            <select
                node_ref=select
                id=id.clone()
                name=name
                required=required
                disabled=move || disabled.get()
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || described_by(&describe_id, has_hint, has_error())
                data-testid=test_id
                class=move || format!("{} pr-8", control_class(has_error()))
                on:change=move |event| {
                    if let Some(value) = value {
                        value.set(event_target_value(&event));
                    }
                }
            >
                {placeholder
                    .map(|placeholder| {
                        view! {
                            <option value="" selected=move || current().is_empty()>
                                {move || placeholder.get()}
                            </option>
                        }
                    })}
                {move || {
                    let chosen = current();
                    options
                        .get()
                        .into_iter()
                        .map(|(option_value, option_label)| {
                            let selected = option_value == chosen;
                            view! {
                                <option value=option_value selected=selected>
                                    {option_label}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <FieldMessages id=id hint=hint error=error />
        </div>
    }
}
