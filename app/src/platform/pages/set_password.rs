//! `/:tenant/redefinir-senha?token=…`: choose a password from a link (a reset, or an invitation's first one). Plain
//! HTML (`routes::server_rendered_only`): the form posts to the server function, which answers with a redirect to
//! the person's home, or back here with the error (the password is never written back into the page).

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::tenant_slug;
use crate::i18n::{Locale, Text, t, t_now, ts, use_locale};
use crate::platform::{
    auth::api::{PasswordLink, SetPasswordFromLink, open_password_link},
    layout::PublicFrame,
};
use crate::ui::{Button, ErrorAlert, FOCUS_RING, FormAlert, Skeleton, TextField, field_error, form_error, go_to};

const TITLE: Text = Text::new("Criar senha", "Choose a password");
const NEW_PASSWORD: Text = Text::new("Nova senha", "New password");
const HINT: Text = Text::new("Pelo menos 10 caracteres.", "At least 10 characters.");
const SUBMIT: Text = Text::new("Salvar senha e entrar", "Save password and sign in");
const ASK_AGAIN: Text = Text::new("Pedir um novo link", "Ask for a new link");

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let slug = tenant_slug();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let link = Resource::new_blocking(move || (slug(), token()), |(slug, token)| open_password_link(slug, token));
    view! {
        <Title text=t_now(TITLE) />
        <PublicFrame>
            <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-xs">
                <Suspense fallback=|| view! { <Skeleton class="h-40 w-full" /> }>
                    {move || Suspend::new(async move {
                        match link.await {
                            Ok(link) => view! { <SetPasswordForm link token=token() /> }.into_any(),
                            Err(error) => view! {
                                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
                                <div class="mt-4"><ErrorAlert error /></div>
                                <a href=format!("/{}/esqueci-senha", slug()) class=format!("mt-4 inline-block rounded text-sm font-medium text-indigo-600 hover:text-indigo-500 {FOCUS_RING}")>
                                    {t(ASK_AGAIN)}
                                </a>
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </PublicFrame>
    }
}

#[component]
fn SetPasswordForm(link: PasswordLink, token: String) -> impl IntoView {
    let slug = tenant_slug();
    let action = ServerAction::<SetPasswordFromLink>::new();
    let result = action.value();
    Effect::new(move || {
        if let Some(Ok(home)) = result.get() {
            go_to(&home);
        }
    });
    let locale = use_locale();
    let first_name = link.name.split_whitespace().next().unwrap_or_default().to_string();
    let invitation = link.invitation;
    let heading = move || match (locale.get(), invitation) {
        (Locale::PtBr, true) => format!("Boas-vindas, {first_name}! Crie sua senha"),
        (Locale::PtBr, false) => format!("{first_name}, escolha uma nova senha"),
        (Locale::En, true) => format!("Welcome, {first_name}! Choose your password"),
        (Locale::En, false) => format!("{first_name}, choose a new password"),
    };
    view! {
        <h1 class="text-2xl font-semibold tracking-tight text-slate-900" data-testid="set-password-heading">{heading}</h1>
        <p class="mt-1 text-sm text-slate-600">{link.email.clone()}</p>
        <ActionForm action attr:class="mt-6 space-y-4" attr:novalidate=true>
            <input type="hidden" name="tenant" value=slug />
            <input type="hidden" name="token" value=token />
            <TextField label=ts(NEW_PASSWORD) name="new_password" input_type="password" required=true autocomplete="new-password" hint=ts(HINT) error=field_error(result, "new_password") test_id="new-password" />
            <FormAlert message=form_error(result, &["new_password"]) />
            <Button button_type="submit" busy=action.pending() test_id="save-password">{t(SUBMIT)}</Button>
        </ActionForm>
    }
}
