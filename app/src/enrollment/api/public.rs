//! The public side of enrollment: what anyone may read before signing in (the catalog of open classes).

use leptos::prelude::*;

use crate::enrollment::types::PublicCatalog;
use crate::platform::AppError;

/// The open classes of tenant `slug`, for `/:tenant/cursos`. `NotFound` for an unknown tenant and for a tenant
/// without the enrollment module (its catalog does not exist).
#[server(endpoint = "enrollment/public_catalog")]
pub async fn open_catalog(slug: String) -> Result<PublicCatalog, AppError> {
    use crate::platform::{
        auth::{self, Role},
        context, tenancy,
    };
    let context = context::server_context()?;
    let tenant = context.directory.tenant_by_slug(&context.pool, &slug).await?.ok_or(AppError::NotFound)?;
    if !tenant.enrollment_enabled {
        return Err(AppError::NotFound);
    }
    let mut tx = tenancy::TenantTx::begin(&context.pool, tenant.id).await?;
    let classes = crate::enrollment::store::open_classes::list(&mut tx, None).await?;
    tx.commit().await?;
    let viewer = auth::current_viewer_for(&tenant.slug).await?;
    let signed_in_student = viewer.is_some_and(|viewer| viewer.role == Role::Student);
    Ok(PublicCatalog { tenant_name: tenant.name, signed_in_student, classes })
}
