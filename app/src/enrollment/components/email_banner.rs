use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::use_query_map;

use crate::enrollment::api::students::{LINK_SENT_PARAM, ResendVerification, my_email_status};
use crate::i18n::{Text, t};
use crate::ui::{Button, ButtonKind, FormAlert, form_error};

const UNVERIFIED: Text = Text::new(
    "Confirme seu e-mail: enviamos um link para {email}. Sem a confirmação, a inscrição não pode ser enviada.",
    "Confirm your e-mail: we sent a link to {email}. Without it, the application cannot be submitted.",
);
const RESEND: Text = Text::new("Reenviar link", "Send the link again");
const SENT: Text = Text::new("Enviamos um novo link. Confira também o spam.", "We sent a new link. Check spam too.");

/// The student portal's banner while the student's e-mail is not verified, with "reenviar" (rate limited on the
/// server). Shows nothing for anyone else. "Reenviar" is a form: it works on the portal home, which ships no wasm.
#[component]
pub fn EmailBanner() -> impl IntoView {
    let status = Resource::new(|| (), |()| my_email_status());
    let action = ServerAction::<ResendVerification>::new();
    let result = action.value();
    let sent_before = use_query_map().with_untracked(|query| query.get(LINK_SENT_PARAM).is_some());
    let sent = move || sent_before || matches!(result.get(), Some(Ok(())));
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let status = status.await.ok().filter(|status| !status.verified)?;
                let text = t(UNVERIFIED);
                let message = move || text().replace("{email}", &status.email);
                Some(view! {
                    <div class="mb-5 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" role="status" data-testid="email-banner">
                        <p>{message}</p>
                        <ActionForm action attr:class="mt-3 flex flex-wrap items-center gap-3">
                            <Button kind=ButtonKind::Secondary button_type="submit" busy=action.pending() test_id="resend-verification">
                                {t(RESEND)}
                            </Button>
                            <Show when=sent><span class="text-emerald-800">{t(SENT)}</span></Show>
                        </ActionForm>
                        <FormAlert message=form_error(result, &[]) />
                    </div>
                })
            })}
        </Suspense>
    }
}
