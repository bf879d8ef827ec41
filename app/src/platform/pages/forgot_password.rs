//! `/:tenant/esqueci-senha`: ask for a reset link by e-mail.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::tenant_slug;
use crate::i18n::{Text, t, t_now, ts};
use crate::platform::{
    auth::api::{RESET_ECHO, RequestPasswordReset},
    form_echo,
    layout::PublicFrame,
};
use crate::ui::{Button, FOCUS_RING, FormAlert, TextField, field_error, form_error};

const TITLE: Text = Text::new("Esqueci minha senha", "I forgot my password");
const EXPLAIN: Text = Text::new(
    "Informe o e-mail da sua conta. Enviaremos um link para você criar uma nova senha.",
    "Enter your account's e-mail. We will send you a link to choose a new password.",
);
const EMAIL: Text = Text::new("E-mail", "E-mail");
const SUBMIT: Text = Text::new("Enviar link", "Send link");
const SENT: Text = Text::new(
    "Pronto. Se houver uma conta com este e-mail, o link chega em instantes. Ele vale por 1 hora.",
    "Done. If an account has this e-mail, the link arrives shortly. It is valid for 1 hour.",
);
const BACK: Text = Text::new("Voltar para a entrada", "Back to sign-in");

/// The form posts to the reset server function. The page ships no wasm (`routes::server_rendered_only`): a plain
/// post comes back here with `?enviado=1` (the link went out) or with the error and the e-mail as typed
/// (`platform::form_echo`). After a client-side navigation here, `ActionForm` sends it with `fetch`.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let slug = tenant_slug();
    let email = RwSignal::new(form_echo::take::<String>(RESET_ECHO).unwrap_or_default());
    let action = ServerAction::<RequestPasswordReset>::new();
    let result = action.value();
    let sent_before = use_query_map().with_untracked(|query| query.get(form_echo::SENT_PARAM).is_some());
    let sent = move || sent_before || matches!(result.get(), Some(Ok(())));
    view! {
        <Title text=t_now(TITLE) />
        <PublicFrame>
            <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-xs">
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(EXPLAIN)}</p>
                <Show
                    when=sent
                    fallback=move || {
                        view! {
                            <ActionForm action attr:class="mt-6 space-y-4" attr:novalidate=true>
                                <input type="hidden" name="tenant" value=slug />
                                <TextField label=ts(EMAIL) name="email" input_type="email" value=email required=true autocomplete="email" error=field_error(result, "email") test_id="email" />
                                <FormAlert message=form_error(result, &["email"]) />
                                <Button button_type="submit" busy=action.pending() test_id="send-reset">{t(SUBMIT)}</Button>
                            </ActionForm>
                        }
                    }
                >
                    <p role="status" class="mt-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="reset-sent">{t(SENT)}</p>
                </Show>
                <a href=move || format!("/{}/entrar", slug()) class=format!("mt-6 inline-block rounded text-sm font-medium text-indigo-600 hover:text-indigo-500 {FOCUS_RING}")>
                    {t(BACK)}
                </a>
            </div>
        </PublicFrame>
    }
}
