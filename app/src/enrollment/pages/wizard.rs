//! The application wizard's pages, `/:tenant/portal/inscricao/…`: `nova?turma=…` (start with the class chosen in
//! the catalog), then `:id/dados`, `:id/responsavel`, [`:id/documentos`, the documents page], `:id/contrato`,
//! `:id/revisao`. Each step saves through its server function and goes on to the next; `WizardSteps` links them.
//! These pages ship no wasm (`routes::server_rendered_only`; students use them on phones): each form is a plain post
//! that the server answers with the next step, or with this page again showing the error and, through
//! `platform::form_echo`, what was typed. Reached by client-side navigation, `ActionForm` sends the same fields with
//! `fetch` and `on_success` goes on.

use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use crate::enrollment::{
    api::{
        public::open_catalog,
        wizard::{
            AcceptContract, GUARDIAN_ECHO, PERSONAL_ECHO, SaveGuardian, SavePersonal, StartApplication,
            SubmitApplication, load_wizard,
        },
    },
    components::WizardSteps,
    types::ApplicationStatus,
    wizard_types::{GuardianForm, PersonalForm, WizardState, WizardStep},
};
use crate::i18n::{Text, format_brl, t, ts};
use crate::platform::{AppError, auth::Role, form_echo, layout::Allowed, layout::use_viewer, tenancy::Module};
use crate::ui::{
    Button, Card, EmptyState, ErrorAlert, FOCUS_RING, FormAlert, PageHeader, Skeleton, TextField, field_error,
    form_error, go_to,
};

const STUDENT: &[Role] = &[Role::Student];
const NEW_TITLE: Text = Text::new("Nova inscrição", "New application");
const START: Text = Text::new("Começar inscrição", "Start the application");
const NO_CLASS: Text = Text::new("Escolha uma turma no catálogo", "Choose a class in the catalog");
const NO_CLASS_TEXT: Text = Text::new(
    "A inscrição começa pela turma: veja as turmas com inscrições abertas.",
    "An application starts with a class: see the classes open for applications.",
);
const TO_CATALOG: Text = Text::new("Ver turmas", "See classes");
const CONTINUE: Text = Text::new("Salvar e continuar", "Save and continue");
const NOT_EDITABLE: Text = Text::new(
    "Esta inscrição já foi enviada. Acompanhe o andamento no portal.",
    "This application was submitted. Follow it in the portal.",
);
const BIRTH_DATE: Text = Text::new("Data de nascimento", "Date of birth");
const PHONE: Text = Text::new("Celular com DDD", "Mobile phone with area code");
const POSTAL_CODE: Text = Text::new("CEP", "Postal code (CEP)");
const STREET: Text = Text::new("Rua", "Street");
const NUMBER: Text = Text::new("Número", "Number");
const COMPLEMENT: Text = Text::new("Complemento (opcional)", "Complement (optional)");
const DISTRICT: Text = Text::new("Bairro", "District");
const CITY: Text = Text::new("Cidade", "City");
const STATE: Text = Text::new("UF", "State");
const PERSONAL_FIELDS: &[&str] =
    &["birth_date", "phone", "postal_code", "street", "street_number", "district", "city", "state"];
const GUARDIAN_INTRO: Text = Text::new(
    "Quem paga a matrícula e as mensalidades (o responsável financeiro)?",
    "Who pays the enrollment fee and the monthly fees (the financial guardian)?",
);
const GUARDIAN_SELF: Text = Text::new("Eu mesmo(a)", "Myself");
const GUARDIAN_OTHER: Text = Text::new("Outra pessoa", "Another person");
const GUARDIAN_NAME: Text = Text::new("Nome completo do responsável", "Guardian's full name");
const GUARDIAN_CPF: Text = Text::new("CPF do responsável", "Guardian's CPF");
const GUARDIAN_EMAIL: Text = Text::new("E-mail do responsável", "Guardian's e-mail");
const GUARDIAN_PHONE: Text = Text::new("Celular do responsável", "Guardian's mobile phone");
const GUARDIAN_FIELDS: &[&str] = &["name", "cpf", "email", "phone"];
const ACCEPT: Text = Text::new("Li e aceito o contrato", "I have read and accept the contract");
const ACCEPT_SUBMIT: Text = Text::new("Aceitar e continuar", "Accept and continue");
const ACCEPTED: Text =
    Text::new("Você aceitou a versão {v} deste contrato.", "You accepted version {v} of this contract.");
const VERSION: Text = Text::new("Versão {v}", "Version {v}");
const NO_CONTRACT: Text = Text::new(
    "A instituição ainda não publicou o contrato. Volte mais tarde.",
    "The institution has not published its contract yet. Come back later.",
);
const REVIEW_TEXT: Text = Text::new(
    "Confira e envie. Depois do envio, a secretaria analisa os seus documentos.",
    "Check and submit. Once submitted, the office reviews your documents.",
);
const UNVERIFIED: Text = Text::new(
    "Confirme seu e-mail (pelo link que enviamos) para poder enviar a inscrição.",
    "Confirm your e-mail (with the link we sent) to be able to submit.",
);
const SUBMIT: Text = Text::new("Enviar inscrição", "Submit the application");
const COURSE: Text = Text::new("Curso", "Course");
const MONTHLY: Text = Text::new("Mensalidade", "Monthly fee");
const GUARDIAN: Text = Text::new("Responsável financeiro", "Financial guardian");
const CONTRACT: Text = Text::new("Contrato", "Contract");
const PENDING: Text = Text::new("Pendente", "Pending");

fn with_version(text: Text, version: i32) -> impl Fn() -> String + Send + Sync + 'static {
    let text = t(text);
    move || text().replace("{v}", &version.to_string())
}

fn slug() -> String {
    use_viewer().map(|viewer| viewer.tenant.slug).unwrap_or_default()
}

/// `/:tenant/portal/inscricao/nova?turma=…`: the class chosen in the catalog, and the button that starts.
#[component]
pub fn NewApplicationPage() -> impl IntoView {
    view! {
        <Allowed roles=STUDENT module=Module::Enrollment>
            <NewApplication />
        </Allowed>
    }
}

#[component]
fn NewApplication() -> impl IntoView {
    let slug = slug();
    let class_id = use_query_map().read_untracked().get("turma").and_then(|id| Uuid::parse_str(&id).ok());
    let catalog = Resource::new(move || (), {
        let slug = slug.clone();
        move |()| open_catalog(slug.clone())
    });
    let action = ServerAction::<StartApplication>::new();
    let result = action.value();
    let next_slug = slug.clone();
    Effect::new(move || {
        if let Some(Ok(id)) = result.get() {
            go_to(&WizardStep::Personal.path(&next_slug, id));
        }
    });
    view! {
        <PageHeader title=ts(NEW_TITLE) />
        <Suspense fallback=|| view! { <Skeleton class="h-48 w-full" /> }>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    let class = match catalog.await {
                        Ok(catalog) => catalog.classes.into_iter().find(|class| Some(class.id) == class_id),
                        Err(error) => return view! { <ErrorAlert error /> }.into_any(),
                    };
                    let Some(class) = class else {
                        return view! {
                            <EmptyState title=t(NO_CLASS) description=t(NO_CLASS_TEXT)>
                                <a href=format!("/{slug}/cursos") class=format!("text-sm font-semibold text-indigo-600 {FOCUS_RING}")>{t(TO_CATALOG)}</a>
                            </EmptyState>
                        }
                        .into_any();
                    };
                    view! {
                        <Card class="space-y-3">
                            <h2 class="text-lg font-semibold text-slate-900">{class.course_name.clone()}</h2>
                            <p class="text-sm text-slate-600">{t(class.shift.label())}" · "{class.term.clone()}" · "{format_brl(class.monthly_fee_cents)}</p>
                            <FormAlert message=form_error(result, &["class_id"]) />
                            <ActionForm action>
                                <input type="hidden" name="class_id" value=class.id.to_string() />
                                <Button button_type="submit" busy=action.pending() test_id="start-application">{t(START)}</Button>
                            </ActionForm>
                        </Card>
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

/// One step's page: the application loaded, the steps, and the step's form (or why it cannot be edited).
fn step_page(step: WizardStep) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok());
    let state = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_wizard(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Allowed roles=STUDENT module=Module::Enrollment>
            <PageHeader title=ts(step.label()) />
            <Suspense fallback=|| view! { <Skeleton class="h-96 w-full" /> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(state) => view! { <Step step state /> }.into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Allowed>
    }
}

#[component]
fn Step(step: WizardStep, state: WizardState) -> impl IntoView {
    let editable = matches!(state.status, ApplicationStatus::Draft | ApplicationStatus::ChangesRequested);
    let id = state.id;
    let body = if !editable {
        view! { <Card><p class="text-sm text-slate-700" data-testid="not-editable">{t(NOT_EDITABLE)}</p></Card> }
            .into_any()
    } else {
        match step {
            WizardStep::Guardian => view! { <GuardianStep state /> }.into_any(),
            WizardStep::Contract => view! { <ContractStep state /> }.into_any(),
            WizardStep::Review => view! { <ReviewStep state /> }.into_any(),
            _ => view! { <PersonalStep state /> }.into_any(),
        }
    };
    view! {
        <WizardSteps current=step application_id=id />
        {body}
    }
}

/// Goes to `next` (the following step) once the step's action succeeded.
fn on_success(result: impl Get<Value = Option<Result<(), AppError>>> + Send + Sync + 'static, next: String) {
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            go_to(&next);
        }
    });
}

#[component]
fn PersonalStep(state: WizardState) -> impl IntoView {
    let form = form_echo::take::<PersonalForm>(PERSONAL_ECHO).unwrap_or(state.personal);
    let signal = RwSignal::new;
    let action = ServerAction::<SavePersonal>::new();
    let result = action.value();
    on_success(result, WizardStep::Guardian.path(&slug(), state.id));
    view! {
        <Card>
            <ActionForm action attr:class="grid grid-cols-2 gap-4" attr:novalidate=true>
                <input type="hidden" name="id" value=state.id.to_string() />
                <div class="col-span-2 sm:col-span-1"><TextField label=ts(BIRTH_DATE) name="form[birth_date]" input_type="date" value=signal(form.birth_date) required=true autocomplete="bday" error=field_error(result, "birth_date") test_id="birth-date" /></div>
                <div class="col-span-2 sm:col-span-1"><TextField label=ts(PHONE) name="form[phone]" input_type="tel" value=signal(form.phone) required=true autocomplete="tel" error=field_error(result, "phone") test_id="phone" /></div>
                <div class="col-span-2 sm:col-span-1"><TextField label=ts(POSTAL_CODE) name="form[postal_code]" value=signal(form.postal_code) required=true autocomplete="postal-code" error=field_error(result, "postal_code") test_id="postal-code" /></div>
                <div class="col-span-2 sm:col-span-1"><TextField label=ts(STREET) name="form[street]" value=signal(form.street) required=true autocomplete="address-line1" error=field_error(result, "street") test_id="street" /></div>
                <TextField label=ts(NUMBER) name="form[street_number]" value=signal(form.street_number) required=true error=field_error(result, "street_number") test_id="street-number" />
                <TextField label=ts(COMPLEMENT) name="form[complement]" value=signal(form.complement) autocomplete="address-line2" test_id="complement" />
                <div class="col-span-2 sm:col-span-1"><TextField label=ts(DISTRICT) name="form[district]" value=signal(form.district) required=true error=field_error(result, "district") test_id="district" /></div>
                <TextField label=ts(CITY) name="form[city]" value=signal(form.city) required=true autocomplete="address-level2" error=field_error(result, "city") test_id="city" />
                <TextField label=ts(STATE) name="form[state]" value=signal(form.state) required=true autocomplete="address-level1" error=field_error(result, "state") test_id="uf" />
                <div class="col-span-2"><FormAlert message=form_error(result, PERSONAL_FIELDS) /></div>
                <div class="col-span-2"><Button button_type="submit" busy=action.pending() test_id="save-step">{t(CONTINUE)}</Button></div>
            </ActionForm>
        </Card>
    }
}

/// The guardian's fields hide with CSS while "myself" is chosen (`group-has-[#guardian-self:checked]`), so the
/// choice works with no wasm. Hidden fields are still sent; the server ignores them for "myself".
#[component]
fn GuardianStep(state: WizardState) -> impl IntoView {
    let form = form_echo::take::<GuardianForm>(GUARDIAN_ECHO).unwrap_or(state.guardian);
    let signal = RwSignal::new;
    let action = ServerAction::<SaveGuardian>::new();
    let result = action.value();
    on_success(result, WizardStep::Documents.path(&slug(), state.id));
    let is_student = form.is_student;
    let choice = move |value: bool, label: Text, test_id: &'static str| {
        view! {
            <label class="flex cursor-pointer items-center gap-3 rounded-lg border border-slate-200 px-4 py-3 has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50">
                <input type="radio" id=test_id name="form[is_student]" value=value.to_string() class="size-4 accent-indigo-600" data-testid=test_id
                    checked=is_student == value />
                <span class="text-sm font-medium text-slate-900">{t(label)}</span>
            </label>
        }
    };
    view! {
        <Card>
            <ActionForm action attr:class="group space-y-4" attr:novalidate=true>
                <input type="hidden" name="id" value=state.id.to_string() />
                <fieldset class="space-y-2">
                    <legend class="mb-2 text-sm text-slate-700">{t(GUARDIAN_INTRO)}</legend>
                    {choice(true, GUARDIAN_SELF, "guardian-self")}
                    {choice(false, GUARDIAN_OTHER, "guardian-other")}
                </fieldset>
                <div class="space-y-4 group-has-[#guardian-self:checked]:hidden" data-testid="guardian-fields">
                    <TextField label=ts(GUARDIAN_NAME) name="form[name]" value=signal(form.name) required=true error=field_error(result, "name") test_id="guardian-name" />
                    <TextField label=ts(GUARDIAN_CPF) name="form[cpf]" value=signal(form.cpf) required=true error=field_error(result, "cpf") test_id="guardian-cpf" />
                    <TextField label=ts(GUARDIAN_EMAIL) name="form[email]" input_type="email" value=signal(form.email) error=field_error(result, "email") test_id="guardian-email" />
                    <TextField label=ts(GUARDIAN_PHONE) name="form[phone]" input_type="tel" value=signal(form.phone) error=field_error(result, "phone") test_id="guardian-phone" />
                </div>
                <FormAlert message=form_error(result, GUARDIAN_FIELDS) />
                <Button button_type="submit" busy=action.pending() test_id="save-step">{t(CONTINUE)}</Button>
            </ActionForm>
        </Card>
    }
}

#[component]
fn ContractStep(state: WizardState) -> impl IntoView {
    let Some(contract) = state.contract else {
        return view! { <Card><p class="text-sm text-slate-700">{t(NO_CONTRACT)}</p></Card> }.into_any();
    };
    let already = state.contract_accepted_version.filter(|version| *version == contract.version);
    let action = ServerAction::<AcceptContract>::new();
    let result = action.value();
    on_success(result, WizardStep::Review.path(&slug(), state.id));
    view! {
        <Card class="space-y-4">
            <div>
                <h2 class="text-lg font-semibold text-slate-900">{contract.title.clone()}</h2>
                <p class="text-xs text-slate-500">{with_version(VERSION, contract.version)}</p>
            </div>
            <div class="max-h-[50vh] overflow-y-auto whitespace-pre-line rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm leading-relaxed text-slate-800" tabindex="0" data-testid="contract-body">
                {contract.body.clone()}
            </div>
            {already.map(|version| view! { <p class="text-sm text-emerald-800">{with_version(ACCEPTED, version)}</p> })}
            <ActionForm action attr:class="space-y-4" attr:novalidate=true>
                <input type="hidden" name="id" value=state.id.to_string() />
                <input type="hidden" name="contract_id" value=contract.id.to_string() />
                <label class="flex items-start gap-3 text-sm font-medium text-slate-900">
                    <input type="checkbox" name="accepted" value="true" class="mt-0.5 size-5 accent-indigo-600" data-testid="accept-contract"
                        checked=already.is_some() />
                    {t(ACCEPT)}
                </label>
                <FormAlert message=form_error(result, &[]) />
                <Button button_type="submit" busy=action.pending() test_id="save-step">{t(ACCEPT_SUBMIT)}</Button>
            </ActionForm>
        </Card>
    }
    .into_any()
}

#[component]
fn ReviewStep(state: WizardState) -> impl IntoView {
    let action = ServerAction::<SubmitApplication>::new();
    let result = action.value();
    on_success(result, format!("/{}/portal", slug()));
    let guardian = if state.guardian.is_student { t_string(GUARDIAN_SELF) } else { state.guardian.name.clone() };
    let contract = state.contract_accepted_version;
    let monthly = state.class.as_ref().map(|class| format_brl(class.monthly_fee_cents)).unwrap_or_default();
    let row = |label: Text, value: AnyView| {
        view! {
            <div class="flex justify-between gap-4 py-2">
                <dt class="text-sm text-slate-600">{t(label)}</dt>
                <dd class="text-right text-sm font-medium text-slate-900">{value}</dd>
            </div>
        }
    };
    view! {
        <Card class="space-y-4">
            <p class="text-sm text-slate-700">{t(REVIEW_TEXT)}</p>
            <dl class="divide-y divide-slate-100">
                {row(COURSE, state.course_name.clone().into_any())}
                {row(MONTHLY, monthly.into_any())}
                {row(GUARDIAN, guardian.into_any())}
                {row(CONTRACT, match contract {
                    Some(version) => with_version(VERSION, version).into_any(),
                    None => t(PENDING).into_any(),
                })}
            </dl>
            {(!state.email_verified).then(|| view! { <p class="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="unverified">{t(UNVERIFIED)}</p> })}
            <FormAlert message=form_error(result, &[]) />
            <ActionForm action>
                <input type="hidden" name="id" value=state.id.to_string() />
                <Button button_type="submit" busy=action.pending() test_id="submit-application">{t(SUBMIT)}</Button>
            </ActionForm>
        </Card>
    }
}

fn t_string(text: Text) -> String {
    crate::i18n::t_now(text).to_string()
}

#[component]
pub fn PersonalStepPage() -> impl IntoView {
    step_page(WizardStep::Personal)
}

#[component]
pub fn GuardianStepPage() -> impl IntoView {
    step_page(WizardStep::Guardian)
}

#[component]
pub fn ContractStepPage() -> impl IntoView {
    step_page(WizardStep::Contract)
}

#[component]
pub fn ReviewStepPage() -> impl IntoView {
    step_page(WizardStep::Review)
}
