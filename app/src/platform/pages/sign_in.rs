//! `/:tenant/entrar`: sign in to one organization.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{TenantNotFound, tenant_slug};
use crate::i18n::{Text, t, t_now, ts};
use crate::platform::{
    AppError,
    auth::api::{NEXT_PARAM, SignIn, find_tenant},
    layout::PublicFrame,
    tenancy::types::TenantPublic,
};
use crate::ui::{Button, ErrorAlert, FOCUS_RING, FormAlert, Skeleton, TextField, field_error, form_error, go_to};

const TITLE: Text = Text::new("Entrar", "Sign in");
const EMAIL: Text = Text::new("E-mail", "E-mail");
const PASSWORD: Text = Text::new("Senha", "Password");
const SUBMIT: Text = Text::new("Entrar", "Sign in");
const FORGOT: Text = Text::new("Esqueci minha senha", "I forgot my password");

#[component]
pub fn SignInPage() -> impl IntoView {
    let slug = tenant_slug();
    let tenant = Resource::new_blocking(slug, find_tenant);
    view! {
        <Title text=t_now(TITLE) />
        <PublicFrame>
            <Suspense fallback=|| view! { <Skeleton class="h-64 w-full" /> }>
                {move || Suspend::new(async move {
                    match tenant.await {
                        Ok(tenant) => view! { <SignInForm tenant /> }.into_any(),
                        Err(AppError::NotFound) => view! { <TenantNotFound /> }.into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    }
                })}
            </Suspense>
        </PublicFrame>
    }
}

/// The form posts to the sign-in server function. Without wasm (the page ships none: `routes::server_rendered_only`)
/// that is a plain form post: success answers with a redirect to where the person goes, a refusal with a redirect
/// back here carrying the error, which `ServerAction` reads while rendering. After a client-side navigation here,
/// `ActionForm` sends the same fields with `fetch` and the answer's path is followed.
#[component]
fn SignInForm(tenant: TenantPublic) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let result = action.value();
    let next = use_query_map().with_untracked(|query| query.get(NEXT_PARAM));
    Effect::new(move || {
        if let Some(Ok(destination)) = result.get() {
            go_to(&destination);
        }
    });
    let slug = tenant.slug.clone();
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-xs">
            <p class="text-sm font-medium text-indigo-700" data-testid="sign-in-tenant">{tenant.name.clone()}</p>
            <h1 class="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
            <ActionForm action attr:class="mt-6 space-y-4" attr:novalidate=true>
                <input type="hidden" name="tenant" value=slug.clone() />
                {next.map(|next| view! { <input type="hidden" name=NEXT_PARAM value=next /> })}
                <TextField label=ts(EMAIL) name="email" input_type="email" required=true autocomplete="username" error=field_error(result, "email") test_id="email" />
                <TextField label=ts(PASSWORD) name="password" input_type="password" required=true autocomplete="current-password" error=field_error(result, "password") test_id="password" />
                <FormAlert message=form_error(result, &["email", "password"]) />
                <div class="flex flex-wrap items-center justify-between gap-3">
                    <Button button_type="submit" busy=action.pending() test_id="sign-in">{t(SUBMIT)}</Button>
                    <a href=format!("/{slug}/esqueci-senha") class=format!("rounded text-sm font-medium text-indigo-600 hover:text-indigo-500 {FOCUS_RING}")>
                        {t(FORGOT)}
                    </a>
                </div>
            </ActionForm>
        </div>
    }
}
