//! The application wizard, as a service every caller (the portal's pages, later the WhatsApp agent) goes through:
//! choose an open class (creates the draft), personal data, financial guardian, [documents], contract, submit.
//! Each step checks the application is the student's own and still editable, saves, and records the step reached
//! in `applications.wizard_step` so a return visit resumes there.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::{
    applications::{self, Actor, Transition},
    store::{open_classes, wizard as store},
    students,
    types::ApplicationStatus,
    wizard_types::{GuardianForm, MyApplication, PersonalForm, WizardState, WizardStep},
};
use crate::i18n::Text;
use crate::platform::{
    AppError,
    fields::{Cpf, Email, PersonName, Phone},
    tenancy::TenantTx,
};

const CLASS_NOT_OPEN: Text = Text::new(
    "Esta turma não está com inscrições abertas. Escolha outra no catálogo.",
    "This class is not open for applications. Choose another in the catalog.",
);
const NOT_EDITABLE: Text = Text::new(
    "Esta inscrição já foi enviada e não pode ser alterada agora.",
    "This application was already submitted and cannot be changed now.",
);
const BIRTH_DATE: Text = Text::new("Informe a data de nascimento.", "Enter the date of birth.");
const POSTAL_CODE: Text = Text::new("O CEP tem 8 números, como 58000-000.", "A CEP has 8 digits, like 58000-000.");
const STATE: Text = Text::new("Informe a UF com 2 letras, como PB.", "Enter the state as 2 letters, like PB.");
const REQUIRED: Text = Text::new("Preencha este campo.", "Fill in this field.");
const CONTACT: Text =
    Text::new("Informe o e-mail ou o celular do responsável.", "Enter the guardian's e-mail or mobile phone.");
const NO_CONTRACT: Text = Text::new(
    "A instituição ainda não publicou o contrato. Tente mais tarde.",
    "The institution has not published its contract yet. Try later.",
);
const CONTRACT_CHANGED: Text = Text::new(
    "O contrato foi atualizado enquanto você lia. Leia a nova versão e aceite de novo.",
    "The contract changed while you were reading. Read the new version and accept again.",
);
const MUST_ACCEPT: Text = Text::new("Marque “Li e aceito” para continuar.", "Tick “I have read and accept” to go on.");
const STEPS_MISSING: Text = Text::new(
    "Complete todas as etapas (dados, responsável e contrato) antes de enviar.",
    "Complete every step (details, guardian and contract) before submitting.",
);

/// Starts (or resumes) `student`'s application to `class_id`: only an open class with seats left.
pub async fn start(tx: &mut TenantTx, student: Uuid, class_id: Uuid) -> Result<Uuid, AppError> {
    if let Some(id) = store::ongoing_application(tx, student, class_id).await? {
        return Ok(id);
    }
    let open = open_classes::list(tx, Some(class_id)).await?;
    match open.first() {
        None => Err(AppError::invalid("class_id", CLASS_NOT_OPEN)),
        Some(class) if class.seats_left <= 0 => Err(AppError::conflict(applications::CLASS_FULL)),
        Some(_) => applications::create_draft(tx, student, class_id).await,
    }
}

/// What the wizard's pages show of application `id` (`NotFound` unless it is `student`'s).
pub async fn state(tx: &mut TenantTx, student: Uuid, id: Uuid) -> Result<WizardState, AppError> {
    let row = store::application(tx, id, student).await?.ok_or(AppError::NotFound)?;
    let profile = store::profile(tx, student).await?;
    let class = open_classes::list(tx, Some(row.class_id)).await?.into_iter().next();
    let text = |value: Option<String>| value.unwrap_or_default();
    let personal = match profile {
        Some(p) => PersonalForm {
            birth_date: p.birth_date.map(|date| date.to_string()).unwrap_or_default(),
            phone: text(p.phone),
            postal_code: text(p.postal_code),
            street: text(p.street),
            street_number: text(p.street_number),
            complement: text(p.complement),
            district: text(p.district),
            city: text(p.city),
            state: text(p.state),
        },
        None => PersonalForm::default(),
    };
    Ok(WizardState {
        id,
        status: ApplicationStatus::from_code(&row.status).ok_or(AppError::NotFound)?,
        completed: WizardStep::from_code(&row.wizard_step).unwrap_or(WizardStep::Class),
        class,
        course_name: row.course_name,
        personal,
        guardian: GuardianForm {
            is_student: row.guardian_is_student,
            name: text(row.guardian_name),
            cpf: text(row.guardian_cpf),
            email: text(row.guardian_email),
            phone: text(row.guardian_phone),
        },
        contract: store::current_contract(tx).await?,
        contract_accepted_at: row.contract_accepted_at,
        contract_accepted_version: row.contract_version,
        email_verified: students::email_verified(tx, student).await?,
    })
}

/// The application, if it is `student`'s and still theirs to edit (a draft, or changes were requested).
async fn editable(tx: &mut TenantTx, student: Uuid, id: Uuid) -> Result<store::ApplicationRow, AppError> {
    let row = store::application(tx, id, student).await?.ok_or(AppError::NotFound)?;
    let status = ApplicationStatus::from_code(&row.status);
    if !matches!(status, Some(ApplicationStatus::Draft | ApplicationStatus::ChangesRequested)) {
        return Err(AppError::conflict(NOT_EDITABLE));
    }
    Ok(row)
}

fn required<'a>(value: &'a str, field: &str) -> Result<&'a str, AppError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 200 { Err(AppError::invalid(field, REQUIRED)) } else { Ok(value) }
}

/// The personal step: birth date, phone and address, into the student's profile.
pub async fn save_personal(tx: &mut TenantTx, student: Uuid, id: Uuid, form: &PersonalForm) -> Result<(), AppError> {
    editable(tx, student, id).await?;
    let birth_date = NaiveDate::parse_from_str(form.birth_date.trim(), "%Y-%m-%d")
        .ok()
        .filter(|date| date.year() >= 1900)
        .ok_or_else(|| AppError::invalid("birth_date", BIRTH_DATE))?;
    let phone = Phone::parse(&form.phone).map_err(|message| AppError::invalid("phone", message))?;
    let postal_code: String = form.postal_code.chars().filter(char::is_ascii_digit).collect();
    if postal_code.len() != 8 || form.postal_code.chars().any(|c| !(c.is_ascii_digit() || "-. ".contains(c))) {
        return Err(AppError::invalid("postal_code", POSTAL_CODE));
    }
    let state = form.state.trim().to_uppercase();
    if state.len() != 2 || !state.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AppError::invalid("state", STATE));
    }
    let personal = store::Personal {
        birth_date,
        phone: phone.e164(),
        postal_code: &postal_code,
        street: required(&form.street, "street")?,
        street_number: required(&form.street_number, "street_number")?,
        complement: form.complement.trim(),
        district: required(&form.district, "district")?,
        city: required(&form.city, "city")?,
        state: &state,
    };
    if !store::save_personal(tx, student, &personal).await? {
        return Err(AppError::NotFound);
    }
    Ok(store::complete_step(tx, id, WizardStep::Personal.code()).await?)
}

/// The guardian step: the student pays, or another person (name, CPF with check digits, e-mail or phone).
pub async fn save_guardian(tx: &mut TenantTx, student: Uuid, id: Uuid, form: &GuardianForm) -> Result<(), AppError> {
    editable(tx, student, id).await?;
    let guardian = if form.is_student {
        GuardianForm { is_student: true, ..GuardianForm::default() }
    } else {
        let name = PersonName::parse(&form.name).map_err(|message| AppError::invalid("name", message))?;
        let cpf = Cpf::parse(&form.cpf).map_err(|message| AppError::invalid("cpf", message))?;
        let email = match form.email.trim() {
            "" => String::new(),
            email => Email::parse(email).map_err(|message| AppError::invalid("email", message))?.as_str().to_string(),
        };
        let phone = match form.phone.trim() {
            "" => String::new(),
            phone => Phone::parse(phone).map_err(|message| AppError::invalid("phone", message))?.e164().to_string(),
        };
        if email.is_empty() && phone.is_empty() {
            return Err(AppError::invalid("email", CONTACT));
        }
        GuardianForm { is_student: false, name: name.as_str().to_string(), cpf: cpf.digits().to_string(), email, phone }
    };
    store::save_guardian(tx, id, &guardian).await?;
    Ok(store::complete_step(tx, id, WizardStep::Guardian.code()).await?)
}

/// The contract step: `accepted` ticked on version `contract_id` (the one shown, still the newest), recorded with
/// the time and the client's address.
pub async fn accept_contract(
    tx: &mut TenantTx,
    student: Uuid,
    id: Uuid,
    contract_id: Uuid,
    accepted: bool,
    client: std::net::IpAddr,
) -> Result<(), AppError> {
    editable(tx, student, id).await?;
    if !accepted {
        return Err(AppError::invalid("accepted", MUST_ACCEPT));
    }
    let current = store::current_contract(tx).await?.ok_or_else(|| AppError::conflict(NO_CONTRACT))?;
    if current.id != contract_id {
        return Err(AppError::conflict(CONTRACT_CHANGED));
    }
    store::accept_contract(tx, id, contract_id, &client.to_string()).await?;
    Ok(store::complete_step(tx, id, WizardStep::Contract.code()).await?)
}

/// Submits the application: the e-mail must be verified and the steps done; then the state machine decides.
pub async fn submit(tx: &mut TenantTx, student: Uuid, id: Uuid) -> Result<Transition, AppError> {
    let row = editable(tx, student, id).await?;
    students::require_verified(tx, student).await?;
    if row.contract_accepted_at.is_none() || row.wizard_step != WizardStep::Contract.code() {
        return Err(AppError::conflict(STEPS_MISSING));
    }
    applications::transition(tx, id, ApplicationStatus::Submitted, Actor::Student(student), None).await
}

/// `student`'s applications for their portal.
pub async fn applications_of(tx: &mut TenantTx, student: Uuid) -> Result<Vec<MyApplication>, AppError> {
    let rows = store::applications_of(tx, student).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, course_name, term, status, step)| {
            Some(MyApplication {
                id,
                course_name,
                term,
                status: ApplicationStatus::from_code(&status)?,
                completed: WizardStep::from_code(&step).unwrap_or(WizardStep::Class),
            })
        })
        .collect())
}
