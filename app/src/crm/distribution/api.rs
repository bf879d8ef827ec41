//! Server functions of the distribution: the consultant's toggle and badge (on the board), and the consultants
//! page for staff and owner. The rules are in `settings` and `rotation`.

use leptos::prelude::*;
use uuid::Uuid;

use super::types::{Desk, TeamMember};
use crate::platform::AppError;

/// The signed-in consultant's toggle and badge; a default desk for staff and owner (not in the rotation).
#[server(endpoint = "crm/desk")]
pub async fn load_desk() -> Result<Desk, AppError> {
    use crate::platform::auth::Role;
    let mut access = crate::crm::api::require_crm().await?;
    if access.viewer.role != Role::Consultant {
        return Ok(Desk::default());
    }
    let desk = super::settings::desk(&mut access.tx, access.viewer.user_id).await?;
    access.tx.commit().await?;
    Ok(desk)
}

/// The consultant switches "disponível" (consultants only).
#[server(endpoint = "crm/desk/available")]
pub async fn set_available(available: bool) -> Result<Desk, AppError> {
    use crate::platform::auth::Role;
    let mut access = crate::crm::api::require_crm().await?;
    if access.viewer.role != Role::Consultant {
        return Err(AppError::Forbidden);
    }
    let desk = super::settings::set_available(&mut access.tx, access.viewer.user_id, available).await?;
    access.tx.commit().await?;
    Ok(desk)
}

/// The consultant looked at the leads the badge counted.
#[server(endpoint = "crm/desk/seen")]
pub async fn mark_assignments_seen() -> Result<(), AppError> {
    let mut access = crate::crm::api::require_crm().await?;
    super::settings::mark_seen(&mut access.tx, access.viewer.user_id).await?;
    access.tx.commit().await?;
    Ok(())
}

/// The consultants with availability, capacity and load (staff and owner).
#[server(endpoint = "crm/team")]
pub async fn load_team() -> Result<Vec<TeamMember>, AppError> {
    let mut access = require_manager().await?;
    let team = super::settings::team(&mut access.tx).await?;
    access.tx.commit().await?;
    Ok(team)
}

/// Sets a consultant's capacity (staff and owner; audited). `capacity` as typed.
#[server(endpoint = "crm/team/capacity")]
pub async fn set_capacity(user_id: Uuid, capacity: String) -> Result<Vec<TeamMember>, AppError> {
    let mut access = require_manager().await?;
    let capacity: i32 =
        capacity.trim().parse().map_err(|_| AppError::invalid("capacity", super::settings::CAPACITY_RANGE))?;
    super::settings::set_capacity(&mut access.tx, user_id, capacity).await?;
    let details = serde_json::json!({ "user_id": user_id, "capacity": capacity });
    crate::platform::audit::record(&mut access.tx, Some(access.viewer.user_id), "crm.capacity_set", "crm", details)
        .await?;
    let team = super::settings::team(&mut access.tx).await?;
    access.tx.commit().await?;
    Ok(team)
}

#[cfg(feature = "ssr")]
async fn require_manager() -> Result<crate::platform::auth::Access, AppError> {
    let access = crate::crm::api::require_crm().await?;
    if !crate::crm::leads::Actor::of(&access.viewer).manages() {
        return Err(AppError::Forbidden);
    }
    Ok(access)
}
