//! `/:tenant/verificar-email?token=…`: the link of the verification e-mail. Following it verifies the address
//! (on the server, while the page renders: it works without JavaScript and on any device).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::enrollment::api::students::verify_email;
use crate::i18n::{Text, t, t_now};
use crate::platform::layout::PublicFrame;
use crate::ui::{ErrorAlert, FOCUS_RING, Skeleton};

const TITLE: Text = Text::new("Confirmação de e-mail", "E-mail confirmation");
const DONE: Text = Text::new(
    "E-mail confirmado. Você já pode enviar a sua inscrição.",
    "E-mail confirmed. You can now submit your application.",
);
const TO_PORTAL: Text = Text::new("Ir para o portal", "Go to the portal");

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let slug = crate::platform::pages::tenant_slug();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let outcome = Resource::new_blocking(move || (slug(), token()), |(slug, token)| verify_email(slug, token));
    view! {
        <Title text=t_now(TITLE) />
        <PublicFrame>
            <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-xs">
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
                <Suspense fallback=|| view! { <Skeleton class="mt-4 h-16 w-full" /> }>
                    {move || Suspend::new(async move {
                        match outcome.await {
                            Ok(()) => view! { <p class="mt-4 text-sm text-emerald-800" data-testid="email-verified">{t(DONE)}</p> }.into_any(),
                            Err(error) => view! { <div class="mt-4"><ErrorAlert error /></div> }.into_any(),
                        }
                    })}
                </Suspense>
                <a href=move || format!("/{}/portal", slug()) data-testid="to-portal" class=format!("mt-6 inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3.5 py-2.5 text-sm font-semibold text-white hover:bg-indigo-500 sm:w-auto {FOCUS_RING}")>
                    {t(TO_PORTAL)}
                </a>
            </div>
        </PublicFrame>
    }
}
