//! Server functions of the student's status page: their own application only (anyone else's is not found).

use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::status_types::ApplicationStatusView;
use crate::platform::AppError;

#[server(endpoint = "enrollment/status/mine")]
pub async fn my_application_status(id: Uuid) -> Result<ApplicationStatusView, AppError> {
    use crate::platform::{auth, tenancy::Module};

    let mut access = auth::require(&[auth::Role::Student]).await?.module(Module::Enrollment)?;
    let view = crate::enrollment::status::of_student(&mut access.tx, access.viewer.user_id, id).await?;
    access.tx.commit().await?;
    Ok(view)
}

/// "Desistir da inscrição": the student gives up application `id`, with an optional `reason`. The status page
/// ships no wasm: a plain form post that was taken goes back to it (a refused one goes back with its error).
#[server(endpoint = "enrollment/status/withdraw")]
pub async fn withdraw_application(id: Uuid, #[server(default)] reason: String) -> Result<(), AppError> {
    use crate::platform::{auth, tenancy::Module};

    let mut access = auth::require(&[auth::Role::Student]).await?.module(Module::Enrollment)?;
    crate::enrollment::status::withdraw(&mut access.tx, access.viewer.user_id, id, &reason).await?;
    access.tx.commit().await?;
    auth::redirect_plain_post(&crate::enrollment::links::status_path(&access.viewer.tenant.slug, id));
    Ok(())
}
