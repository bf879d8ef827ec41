//! Availability and capacity: read for the consultants page and the board, written by their service functions.
//! Every write takes the rotation lock first (see `rotation`), then hands out the queue: a consultant who became
//! able to take leads gets the waiting ones at once.

use uuid::Uuid;

use super::{
    eligibility, rotation,
    types::{Desk, TeamMember},
};
use crate::i18n::Text;
use crate::platform::{AppError, live::publish::is_online, tenancy::TenantTx};

/// Highest capacity one may set (the table's check says the same).
pub const MAX_CAPACITY: i32 = 500;

/// The active consultants in rotation order, with their standing.
pub async fn team(tx: &mut TenantTx) -> Result<Vec<TeamMember>, AppError> {
    let candidates = eligibility::candidates(tx).await?;
    let names: Vec<(Uuid, String)> =
        sqlx::query_as("select id, name from users where active and role = 'consultant'").fetch_all(tx.conn()).await?;
    let mut team = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let name = names.iter().find(|(id, _)| *id == candidate.user_id).map(|(_, name)| name.clone());
        team.push(TeamMember {
            id: candidate.user_id,
            name: name.unwrap_or_default(),
            available: candidate.available,
            online: is_online(tx, candidate.user_id).await?,
            capacity: candidate.capacity,
            open_leads: candidate.open_leads,
        });
    }
    Ok(team)
}

/// `user`'s toggle and badge.
pub async fn desk(tx: &mut TenantTx, user: Uuid) -> Result<Desk, AppError> {
    let row: Option<(bool, i64)> = sqlx::query_as(
        "select c.available,
                (select count(*) from crm_leads l
                  where l.owner_id = c.user_id and l.closed_at is null and l.assigned_at > c.assignments_seen_at)
           from crm_consultant_settings c where c.user_id = $1",
    )
    .bind(user)
    .fetch_optional(tx.conn())
    .await?;
    let new_assignments =
        match row {
            Some((_, count)) => count,
            // No settings row yet: every open lead handed to them counts as new.
            None => sqlx::query_scalar(
                "select count(*) from crm_leads where owner_id = $1 and closed_at is null and assigned_at is not null",
            )
            .bind(user)
            .fetch_one(tx.conn())
            .await?,
        };
    Ok(Desk { available: row.is_some_and(|(available, _)| available), new_assignments })
}

/// The consultant switched "disponível" on or off. Switching on hands out waiting leads.
pub async fn set_available(tx: &mut TenantTx, user: Uuid, available: bool) -> Result<Desk, AppError> {
    consultant(tx, user).await?;
    rotation::lock(tx).await?;
    sqlx::query(
        "insert into crm_consultant_settings (user_id, available) values ($1, $2)
         on conflict (tenant_id, user_id) do update set available = excluded.available, updated_at = now()",
    )
    .bind(user)
    .bind(available)
    .execute(tx.conn())
    .await?;
    if available {
        rotation::drain_queue(tx).await?;
    }
    desk(tx, user).await
}

/// Staff or owner set a consultant's capacity (0 to [`MAX_CAPACITY`]); more room hands out waiting leads.
pub async fn set_capacity(tx: &mut TenantTx, user: Uuid, capacity: i32) -> Result<(), AppError> {
    if !(0..=MAX_CAPACITY).contains(&capacity) {
        return Err(AppError::invalid("capacity", CAPACITY_RANGE));
    }
    consultant(tx, user).await?;
    rotation::lock(tx).await?;
    sqlx::query(
        "insert into crm_consultant_settings (user_id, capacity) values ($1, $2)
         on conflict (tenant_id, user_id) do update set capacity = excluded.capacity, updated_at = now()",
    )
    .bind(user)
    .bind(capacity)
    .execute(tx.conn())
    .await?;
    rotation::drain_queue(tx).await?;
    Ok(())
}

/// The consultant looked at their new leads: the badge starts again from zero.
pub async fn mark_seen(tx: &mut TenantTx, user: Uuid) -> Result<(), AppError> {
    sqlx::query(
        "insert into crm_consultant_settings (user_id, assignments_seen_at) values ($1, now())
         on conflict (tenant_id, user_id) do update set assignments_seen_at = now()",
    )
    .bind(user)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Refuses anyone but an active consultant of the tenant (the rotation is theirs only).
async fn consultant(tx: &mut TenantTx, user: Uuid) -> Result<(), AppError> {
    let is: bool =
        sqlx::query_scalar("select exists (select 1 from users where id = $1 and active and role = 'consultant')")
            .bind(user)
            .fetch_one(tx.conn())
            .await?;
    if is { Ok(()) } else { Err(AppError::invalid("user_id", NOT_A_CONSULTANT)) }
}

pub const CAPACITY_RANGE: Text = Text::new(
    "Informe a capacidade: um número de 0 a 500 leads abertos.",
    "Enter the capacity: a number from 0 to 500 open leads.",
);
const NOT_A_CONSULTANT: Text =
    Text::new("Escolha um consultor ativo da equipe.", "Choose an active consultant of the team.");

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_capacity_is_within_the_range() {
        assert!((0..=super::MAX_CAPACITY).contains(&super::eligibility::DEFAULT_CAPACITY));
    }
}
