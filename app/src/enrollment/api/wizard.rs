//! Server functions of the application wizard: the signed-in student, on their own applications only. Each one
//! runs a step of `enrollment::wizard` in the request's `TenantTx`.

use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::wizard_types::{GuardianForm, PersonalForm, WizardState};
use crate::platform::AppError;
#[cfg(feature = "ssr")]
use crate::{enrollment::wizard_types::WizardStep, platform::form_echo};

/// The names under which a refused plain post of the personal and guardian steps keeps what was typed
/// (`platform::form_echo`); the step pages ask for the same.
pub const PERSONAL_ECHO: &str = "wizard-personal";
pub const GUARDIAN_ECHO: &str = "wizard-guardian";

#[cfg(feature = "ssr")]
async fn student() -> Result<crate::platform::auth::Access, AppError> {
    use crate::platform::{auth, tenancy::Module};
    auth::require(&[auth::Role::Student]).await?.module(Module::Enrollment)
}

/// Starts (or resumes) an application to class `class_id`; answers its id.
#[server(endpoint = "enrollment/wizard/start")]
pub async fn start_application(class_id: Uuid) -> Result<Uuid, AppError> {
    let mut access = student().await?;
    let id = crate::enrollment::wizard::start(&mut access.tx, access.viewer.user_id, class_id).await?;
    access.tx.commit().await?;
    crate::platform::auth::redirect_plain_post(&WizardStep::Personal.path(&access.viewer.tenant.slug, id));
    Ok(id)
}

#[server(endpoint = "enrollment/wizard/state")]
pub async fn load_wizard(id: Uuid) -> Result<WizardState, AppError> {
    let mut access = student().await?;
    let state = crate::enrollment::wizard::state(&mut access.tx, access.viewer.user_id, id).await?;
    access.tx.commit().await?;
    Ok(state)
}

#[server(endpoint = "enrollment/wizard/personal")]
pub async fn save_personal(id: Uuid, form: PersonalForm) -> Result<(), AppError> {
    let saved = async {
        let mut access = student().await?;
        crate::enrollment::wizard::save_personal(&mut access.tx, access.viewer.user_id, id, &form).await?;
        access.tx.commit().await?;
        Ok::<_, AppError>(access.viewer.tenant.slug)
    }
    .await;
    form_echo::keep_on_refusal(&saved, PERSONAL_ECHO, &form);
    crate::platform::auth::redirect_plain_post(&WizardStep::Guardian.path(&saved?, id));
    Ok(())
}

#[server(endpoint = "enrollment/wizard/guardian")]
pub async fn save_guardian(id: Uuid, form: GuardianForm) -> Result<(), AppError> {
    let saved = async {
        let mut access = student().await?;
        crate::enrollment::wizard::save_guardian(&mut access.tx, access.viewer.user_id, id, &form).await?;
        access.tx.commit().await?;
        Ok::<_, AppError>(access.viewer.tenant.slug)
    }
    .await;
    form_echo::keep_on_refusal(&saved, GUARDIAN_ECHO, &form);
    crate::platform::auth::redirect_plain_post(&WizardStep::Documents.path(&saved?, id));
    Ok(())
}

/// Accepts contract `contract_id` (the version the page showed), from the request's client address. `accepted`
/// is absent from a plain form post whose box was left unticked.
#[server(endpoint = "enrollment/wizard/contract")]
pub async fn accept_contract(id: Uuid, contract_id: Uuid, #[server(default)] accepted: bool) -> Result<(), AppError> {
    let mut access = student().await?;
    let client = crate::platform::auth::current_client_addr().0;
    let student = access.viewer.user_id;
    crate::enrollment::wizard::accept_contract(&mut access.tx, student, id, contract_id, accepted, client).await?;
    access.tx.commit().await?;
    crate::platform::auth::redirect_plain_post(&WizardStep::Review.path(&access.viewer.tenant.slug, id));
    Ok(())
}

/// Submits the application; a plain form post then goes to the portal's home, which lists it.
#[server(endpoint = "enrollment/wizard/submit")]
pub async fn submit_application(id: Uuid) -> Result<(), AppError> {
    let mut access = student().await?;
    crate::enrollment::wizard::submit(&mut access.tx, access.viewer.user_id, id).await?;
    access.tx.commit().await?;
    crate::platform::auth::redirect_plain_post(
        &crate::platform::auth::Role::Student.home_path(&access.viewer.tenant.slug),
    );
    Ok(())
}

/// The signed-in student's applications (their portal's home).
#[server(endpoint = "enrollment/wizard/mine")]
pub async fn my_applications() -> Result<Vec<crate::enrollment::wizard_types::MyApplication>, AppError> {
    let mut access = student().await?;
    let mine = crate::enrollment::wizard::applications_of(&mut access.tx, access.viewer.user_id).await?;
    access.tx.commit().await?;
    Ok(mine)
}
