//! `/:tenant/conta`: the person's own account: who they are, their language, and a new password.

use leptos::prelude::*;

use crate::i18n::{LanguageSwitch, Text, t, t_now, ts};
use crate::platform::{auth::api::ChangePassword, layout::use_viewer};
use crate::ui::{Button, Card, FormAlert, PageHeader, TextField, field_error, form_error, use_toaster};

const TITLE: Text = Text::new("Minha conta", "My account");
const LANGUAGE: Text = Text::new("Idioma", "Language");
const LANGUAGE_HINT: Text =
    Text::new("Vale para este navegador, e fica lembrado.", "Applies to this browser, and is remembered.");
const PASSWORD: Text = Text::new("Trocar senha", "Change password");
const CURRENT: Text = Text::new("Senha atual", "Current password");
const NEW: Text = Text::new("Nova senha", "New password");
const NEW_HINT: Text = Text::new(
    "Pelo menos 10 caracteres. Suas outras sessões serão encerradas.",
    "At least 10 characters. Your other sessions will end.",
);
const SAVE: Text = Text::new("Trocar senha", "Change password");
const CHANGED: Text = Text::new("Senha trocada.", "Password changed.");

#[component]
pub fn AccountPage() -> impl IntoView {
    let Some(viewer) = use_viewer() else { return ().into_any() };
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let action = ServerAction::<ChangePassword>::new();
    let result = action.value();
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(())) = result.get() {
            current.set(String::new());
            new_password.set(String::new());
            if let Some(toaster) = toaster {
                toaster.success(t_now(CHANGED));
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(ChangePassword {
            current: current.get_untracked().into(),
            new_password: new_password.get_untracked().into(),
        });
    };
    view! {
        <PageHeader title=ts(TITLE) subtitle=format!("{} · {}", viewer.name, viewer.email) />
        <div class="grid gap-6 lg:grid-cols-2">
            <Card>
                <h2 class="text-sm font-semibold text-slate-700">{t(LANGUAGE)}</h2>
                <p class="mt-1 text-xs text-slate-500">{t(LANGUAGE_HINT)}</p>
                <div class="mt-3"><LanguageSwitch /></div>
            </Card>
            <Card>
                <h2 class="text-sm font-semibold text-slate-700">{t(PASSWORD)}</h2>
                <form class="mt-3 space-y-4" on:submit=submit novalidate>
                    <TextField label=ts(CURRENT) name="current" input_type="password" value=current required=true autocomplete="current-password" error=field_error(result, "current") test_id="current-password" />
                    <TextField label=ts(NEW) name="new_password" input_type="password" value=new_password required=true autocomplete="new-password" hint=ts(NEW_HINT) error=field_error(result, "new_password") test_id="new-password" />
                    <FormAlert message=form_error(result, &["current", "new_password"]) />
                    <Button button_type="submit" busy=action.pending() test_id="change-password">{t(SAVE)}</Button>
                </form>
            </Card>
        </div>
    }
    .into_any()
}
