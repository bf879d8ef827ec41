//! `/cadastro`: a new organization signs itself up and lands, signed in, in its empty workspace. Plain HTML
//! (`routes::server_rendered_only`): the form is a plain post; a refusal comes back with what was typed
//! (`platform::form_echo`), the password excepted.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::i18n::{Text, t, t_now, ts};
use crate::platform::{
    form_echo,
    layout::PublicFrame,
    tenancy::{
        Plan,
        api::{OrganizationEcho, SIGN_UP_ECHO, SignUp, suggest_slug},
    },
};
use crate::ui::{Button, FOCUS_RING, FormAlert, TextField, field_error, form_error, go_to};

const TITLE: Text = Text::new("Criar organização", "Create an organization");
const SUBTITLE: Text = Text::new(
    "Em um minuto: sua instituição, seu endereço no Atrium e a sua conta de proprietário.",
    "In a minute: your organization, its Atrium address and your owner account.",
);
const ORGANIZATION: Text = Text::new("Nome da organização", "Organization name");
const SLUG: Text = Text::new("Endereço no Atrium", "Atrium address");
const SLUG_HINT: Text = Text::new(
    "Letras minúsculas, números e hífens (em branco, vem do nome). Sua equipe entra por atrium/<endereço>/entrar.",
    "Lowercase letters, digits and hyphens (blank: from the name). Your team signs in at atrium/<address>/entrar.",
);
const STARTS_ON: Text = Text::new("Toda organização começa neste plano.", "Every organization starts on this plan.");
const OWNER: Text = Text::new("Sua conta", "Your account");
const NAME: Text = Text::new("Seu nome", "Your name");
const EMAIL: Text = Text::new("E-mail", "E-mail");
const PASSWORD: Text = Text::new("Senha", "Password");
const PASSWORD_HINT: Text = Text::new("Pelo menos 10 caracteres.", "At least 10 characters.");
const SUBMIT: Text = Text::new("Criar organização", "Create organization");
const HAVE_ACCOUNT: Text =
    Text::new("Já tem uma organização? Entre pela página inicial.", "Already have one? Sign in from the start page.");

const FIELDS: &[&str] = &["organization", "slug", "name", "email", "password"];

#[component]
pub fn SignUpPage() -> impl IntoView {
    // After a refused plain post, what was typed comes back (read once, on the server; never the password).
    let typed = form_echo::take::<OrganizationEcho>(SIGN_UP_ECHO).unwrap_or_default();
    let organization = RwSignal::new(typed.organization);
    let slug = RwSignal::new(typed.slug);
    let slug_edited = RwSignal::new(false);
    let name = RwSignal::new(typed.name);
    let email = RwSignal::new(typed.email);
    let password = RwSignal::new(String::new());

    // The address follows the name until the person edits it themselves (reached by client-side navigation; the
    // plain page does the same with `data-slug-from`, in `shell/enhance.js`).
    Effect::new(move || {
        let suggestion = suggest_slug(&organization.get());
        if !slug_edited.get_untracked() {
            slug.set(suggestion);
        }
    });
    Effect::new(move |previous: Option<String>| {
        let current = slug.get();
        if previous.is_some_and(|previous| previous != current)
            && current != suggest_slug(&organization.get_untracked())
        {
            slug_edited.set(true);
        }
        current
    });

    let action = ServerAction::<SignUp>::new();
    let result = action.value();
    Effect::new(move || {
        if let Some(Ok(home)) = result.get() {
            go_to(&home);
        }
    });

    // Plain HTML first (the page ships no wasm): the form posts itself; its inputs are named as the server
    // function's `form` argument.
    view! {
        <Title text=t_now(TITLE) />
        <PublicFrame>
            <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
            <p class="mt-1 text-sm text-slate-600">{t(SUBTITLE)}</p>
            <ActionForm action attr:class="mt-6 space-y-5 rounded-xl border border-slate-200 bg-white p-5 shadow-xs" attr:novalidate=true>
                <TextField label=ts(ORGANIZATION) name="form[organization]" id="field-organization" value=organization required=true autocomplete="organization" error=field_error(result, "organization") test_id="organization" />
                <div data-slug-from="field-organization">
                    <TextField label=ts(SLUG) name="form[slug]" id="field-slug" value=slug required=true autocomplete="off" hint=ts(SLUG_HINT) error=field_error(result, "slug") test_id="slug" />
                </div>
                <p class="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700" data-testid="starting-plan">
                    <span class="font-semibold text-slate-900">{t(Plan::Starter.label())}</span>
                    {" · "}
                    {t(STARTS_ON)}
                    {" "}
                    {t(Plan::Starter.description())}
                </p>
                <fieldset class="space-y-4 border-t border-slate-100 pt-4">
                    <legend class="sr-only">{t(OWNER)}</legend>
                    <p aria-hidden="true" class="text-sm font-semibold text-slate-900">{t(OWNER)}</p>
                    <TextField label=ts(NAME) name="form[name]" id="field-name" value=name required=true autocomplete="name" error=field_error(result, "name") test_id="name" />
                    <TextField label=ts(EMAIL) name="form[email]" id="field-email" input_type="email" value=email required=true autocomplete="email" error=field_error(result, "email") test_id="email" />
                    <TextField label=ts(PASSWORD) name="form[password]" id="field-password" input_type="password" value=password required=true autocomplete="new-password" hint=ts(PASSWORD_HINT) error=field_error(result, "password") test_id="password" />
                </fieldset>
                <FormAlert message=form_error(result, FIELDS) />
                <Button button_type="submit" busy=action.pending() test_id="submit-sign-up">{t(SUBMIT)}</Button>
            </ActionForm>
            <p class="mt-4 text-center text-sm text-slate-600">
                <a href="/" class=format!("rounded font-medium text-indigo-600 hover:text-indigo-500 {FOCUS_RING}")>{t(HAVE_ACCOUNT)}</a>
            </p>
        </PublicFrame>
    }
}
