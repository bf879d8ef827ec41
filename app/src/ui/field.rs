//! What `TextField` and `SelectField` share: deterministic ids, the label, the hint and the error line, and the
//! control's classes. Ids come from the field's `name`, never from a counter or random source, so the server and
//! the hydrating browser produce the same markup.

use leptos::prelude::*;

/// `student[email]` → `field-student-email`: only characters that are safe in an id and in a CSS selector.
pub(super) fn field_id(name: &str) -> String {
    let slug: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    format!("field-{}", slug.trim_matches('-'))
}

pub(super) fn hint_id(id: &str) -> String {
    format!("{id}-hint")
}

pub(super) fn error_id(id: &str) -> String {
    format!("{id}-error")
}

/// The ids `aria-describedby` lists: the hint (when there is one) and the error (while there is one).
pub(super) fn described_by(id: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let ids: Vec<String> =
        [has_hint.then(|| hint_id(id)), has_error.then(|| error_id(id))].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The input/select box. `text-base` on phones keeps iOS from zooming into the field on focus.
pub(super) fn control_class(has_error: bool) -> String {
    let ring = if has_error { "ring-rose-400" } else { "ring-slate-300" };
    format!(
        "block w-full min-w-0 rounded-md bg-white px-3 py-2 text-base text-slate-900 ring-1 ring-inset {ring} \
         placeholder:text-slate-400 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500 \
         sm:text-sm {}",
        super::FOCUS_RING
    )
}

/// The label (visible unless `hidden`: then only for screen readers, e.g. a select inside a table row); a required field gets a red asterisk that screen readers skip (they hear `required`).
#[component]
pub(super) fn FieldLabel(
    #[prop(into)] for_id: String,
    label: Signal<String>,
    required: bool,
    #[prop(optional)] hidden: bool,
) -> impl IntoView {
    let class = if hidden { "sr-only" } else { "mb-1.5 block text-sm font-medium text-slate-700" };
    view! {
        <label for=for_id class=class>
            {move || label.get()}
            {required.then(|| view! { <span aria-hidden="true" class="ml-0.5 text-rose-600">"*"</span> })}
        </label>
    }
}

/// The hint (always there) and the error (only while there is one), under the control.
#[component]
pub(super) fn FieldMessages(
    #[prop(into)] id: String,
    hint: Option<Signal<String>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = error_id(&id);
    let hint_id = hint_id(&id);
    view! {
        {hint.map(|hint| view! { <p id=hint_id class="mt-1.5 text-xs text-slate-500">{move || hint.get()}</p> })}
        {move || {
            error
                .get()
                .map(|message| {
                    view! {
                        <p id=error_id.clone() class="mt-1.5 flex items-start gap-1 text-sm text-rose-600">
                            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" class="mt-0.5 size-4 shrink-0">
                                <path
                                    fill-rule="evenodd"
                                    d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
                                    clip-rule="evenodd"
                                />
                            </svg>
                            <span>{message}</span>
                        </p>
                    }
                })
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_name() {
        assert_eq!(field_id("email"), "field-email");
        assert_eq!(field_id("student[email]"), "field-student-email");
        assert_eq!(field_id("nome completo"), "field-nome-completo");
    }

    #[test]
    fn described_by_lists_hint_then_error() {
        assert_eq!(described_by("field-a", false, false), None);
        assert_eq!(described_by("field-a", true, false).as_deref(), Some("field-a-hint"));
        assert_eq!(described_by("field-a", false, true).as_deref(), Some("field-a-error"));
        assert_eq!(described_by("field-a", true, true).as_deref(), Some("field-a-hint field-a-error"));
    }
}
