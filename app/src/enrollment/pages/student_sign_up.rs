//! `/:tenant/cadastro-aluno?turma=…`: a prospective student creates their account (name, CPF, e-mail, phone,
//! password), is signed in, and goes on to the application with the class chosen in the catalog. Plain HTML: the
//! page ships no wasm (a first visit, on a phone).

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use crate::enrollment::{
    api::{
        public::open_catalog,
        students::{SIGN_UP_ECHO, SignUpEcho, StudentSignUp},
    },
    types::PublicCatalog,
};
use crate::i18n::{Text, t, t_now, ts};
use crate::platform::{AppError, form_echo, layout::PublicFrame, pages::NotFoundPage};
use crate::ui::{Button, ErrorAlert, FOCUS_RING, FormAlert, Skeleton, TextField, field_error, form_error, go_to};

const TITLE: Text = Text::new("Criar cadastro", "Create your account");
const INTRO: Text = Text::new(
    "Com o cadastro você acompanha a inscrição, envia documentos e aceita o contrato pelo celular.",
    "With an account you follow your application, upload documents and accept the contract from your phone.",
);
const CHOSEN: Text = Text::new("Turma escolhida", "Chosen class");
const NAME: Text = Text::new("Nome completo", "Full name");
const CPF: Text = Text::new("CPF", "CPF");
const EMAIL: Text = Text::new("E-mail", "E-mail");
const EMAIL_HINT: Text =
    Text::new("Enviaremos um link para confirmar o e-mail.", "We will send a link to confirm the e-mail.");
const PHONE: Text = Text::new("Celular com DDD", "Mobile phone with area code");
const PASSWORD: Text = Text::new("Senha", "Password");
const PASSWORD_HINT: Text = Text::new("Pelo menos 10 caracteres.", "At least 10 characters.");
const SUBMIT: Text = Text::new("Criar cadastro e continuar", "Create account and continue");
const HAVE_ACCOUNT: Text = Text::new("Já tenho cadastro", "I already have an account");
const FIELDS: &[&str] = &["name", "cpf", "email", "phone", "password"];

#[component]
pub fn StudentSignUpPage() -> impl IntoView {
    let slug = crate::platform::pages::tenant_slug();
    let catalog = Resource::new_blocking(slug, open_catalog);
    view! {
        <Title text=t_now(TITLE) />
        <Suspense fallback=|| view! { <PublicFrame><Skeleton class="h-96 w-full" /></PublicFrame> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => view! { <PublicFrame><SignUpForm catalog slug=slug() /></PublicFrame> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(error) => view! { <PublicFrame><ErrorAlert error /></PublicFrame> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form posts to the sign-up server function. The page ships no wasm (`routes::server_rendered_only`): a plain
/// post that succeeds is answered with a redirect to the wizard; a refusal comes back here with the error, and what
/// was typed (but the password) is filled in again from `platform::form_echo`. After a client-side navigation here,
/// `ActionForm` sends the same fields with `fetch` and the page follows the answer.
#[component]
fn SignUpForm(catalog: PublicCatalog, slug: String) -> impl IntoView {
    let query = use_query_map();
    let class_id = query.read_untracked().get("turma").and_then(|id| Uuid::parse_str(&id).ok());
    let chosen = class_id
        .and_then(|id| catalog.classes.iter().find(|class| class.id == id))
        .map(|class| format!("{} · {} · {}", class.course_name, t_now(class.shift.label()), class.term));
    let typed = form_echo::take::<SignUpEcho>(SIGN_UP_ECHO).unwrap_or_default();
    let [name, cpf, email, phone] = [typed.name, typed.cpf, typed.email, typed.phone].map(RwSignal::new);
    let action = ServerAction::<StudentSignUp>::new();
    let result = action.value();
    Effect::new(move || {
        if let Some(Ok(next)) = result.get() {
            go_to(&next);
        }
    });
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-5 shadow-xs sm:p-6">
            <p class="text-sm font-medium text-indigo-700">{catalog.tenant_name.clone()}</p>
            <h1 class="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{t(TITLE)}</h1>
            <p class="mt-1 text-sm text-slate-600">{t(INTRO)}</p>
            {chosen.map(|chosen| view! {
                <p class="mt-4 rounded-lg bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="chosen-class">
                    <span class="font-medium">{t(CHOSEN)}": "</span>{chosen}
                </p>
            })}
            <ActionForm action attr:class="mt-6 space-y-4" attr:novalidate=true>
                <input type="hidden" name="tenant" value=slug.clone() />
                {class_id.map(|id| view! { <input type="hidden" name="form[class_id]" value=id.to_string() /> })}
                <TextField label=ts(NAME) name="form[name]" value=name required=true autocomplete="name" error=field_error(result, "name") test_id="name" />
                <TextField label=ts(CPF) name="form[cpf]" value=cpf required=true autocomplete="off" placeholder=Signal::stored("000.000.000-00".to_string()) error=field_error(result, "cpf") test_id="cpf" />
                <TextField label=ts(EMAIL) name="form[email]" input_type="email" value=email required=true autocomplete="email" hint=ts(EMAIL_HINT) error=field_error(result, "email") test_id="email" />
                <TextField label=ts(PHONE) name="form[phone]" input_type="tel" value=phone required=true autocomplete="tel" placeholder=Signal::stored("(83) 99999-1234".to_string()) error=field_error(result, "phone") test_id="phone" />
                <TextField label=ts(PASSWORD) name="form[password]" input_type="password" required=true autocomplete="new-password" hint=ts(PASSWORD_HINT) error=field_error(result, "password") test_id="password" />
                <FormAlert message=form_error(result, FIELDS) />
                <div class="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                    <Button button_type="submit" busy=action.pending() test_id="sign-up">{t(SUBMIT)}</Button>
                    <a href=format!("/{slug}/entrar") class=format!("rounded text-center text-sm font-medium text-indigo-600 hover:text-indigo-500 {FOCUS_RING}")>
                        {t(HAVE_ACCOUNT)}
                    </a>
                </div>
            </ActionForm>
        </div>
    }
}
