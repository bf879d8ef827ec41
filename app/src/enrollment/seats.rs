//! Seats of a class: reserved when an application is approved, given back when it is rejected, withdrawn or
//! cancelled. seats left = capacity − (approved + awaiting_payment + enrolled); `classes.seats_reserved` holds that
//! sum (kept by a trigger on applications, bounded by a CHECK on the capacity).

use uuid::Uuid;

use super::applications::CLASS_FULL;
use crate::platform::{AppError, tenancy::TenantTx};

/// Checks that class `class_id` has a seat for one more application, holding the class's row lock until the
/// transaction ends: concurrent approvals of one class queue here, and each sees the seats the previous ones took.
/// The caller then moves the application into a seat-holding status (the trigger counts the seat).
pub async fn reserve(tx: &mut TenantTx, class_id: Uuid) -> Result<(), AppError> {
    let seats: Option<(i32, i32)> =
        sqlx::query_as("select capacity, seats_reserved from classes where id = $1 for update")
            .bind(class_id)
            .fetch_optional(tx.conn())
            .await?;
    match seats {
        None => Err(AppError::NotFound),
        Some((capacity, reserved)) if reserved >= capacity => Err(AppError::conflict(CLASS_FULL)),
        Some(_) => Ok(()),
    }
}

/// Seats still free in class `class_id` (`None` if there is no such class).
pub async fn left(tx: &mut TenantTx, class_id: Uuid) -> Result<Option<i32>, AppError> {
    Ok(sqlx::query_scalar("select capacity - seats_reserved from classes where id = $1")
        .bind(class_id)
        .fetch_optional(tx.conn())
        .await?)
}
