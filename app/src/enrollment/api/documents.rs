//! Server functions of an application's documents. Uploads and downloads carry files and go through their own
//! HTTP routes (`server/src/http/documents.rs`); these carry the checklist.

use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::document_types::DocumentChecklist;
use crate::platform::AppError;

/// The student's checklist of their own application `application_id` (anyone else's is not found).
#[server(endpoint = "enrollment/documents/mine")]
pub async fn my_application_documents(application_id: Uuid) -> Result<DocumentChecklist, AppError> {
    use crate::enrollment::{applications, documents};
    use crate::platform::{auth, tenancy::Module};

    let mut access = auth::require(&[auth::Role::Student]).await?.module(Module::Enrollment)?;
    if !applications::belongs_to(&mut access.tx, application_id, access.viewer.user_id).await? {
        return Err(AppError::NotFound);
    }
    documents::checklist(&mut access.tx, application_id).await
}
