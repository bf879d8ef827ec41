//! The rotation: who gets a new lead, and handing out the queue.
//!
//! Every pick happens under the tenant's rotation lock (`crm_rotation`'s row, `for update` through an upsert),
//! inside the caller's `TenantTx`: picks of one tenant are serialized across server processes, and each sees the
//! loads the previous one committed (read committed: every statement reads the latest commits). The lock is
//! taken before the transaction publishes anything on a board, so two writers never wait on each other in the
//! opposite order; a service that also writes leads takes the lock before announcing. The queue is read with
//! `skip locked`, so a pick never waits on a lead another transaction holds.

use uuid::Uuid;

use super::{eligibility, notify};
use crate::crm::leads;
use crate::platform::{AppError, tenancy::TenantTx};

/// Why a lead went to a consultant (the timeline shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Next in the rotation.
    Rotation,
    /// The phone came back after its lead was won or lost: offered first to that lead's consultant.
    ReturningLead,
    /// Staff or owner chose (or a consultant took an unassigned lead).
    Manual,
    /// It waited in the queue until someone could take it.
    QueueDrain,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Self::Rotation => "rotation",
            Self::ReturningLead => "returning_lead",
            Self::Manual => "manual",
            Self::QueueDrain => "queue_drain",
        }
    }
}

/// What [`assign_new`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    Assigned {
        to: Uuid,
        reason: Reason,
    },
    /// The lead stays with the owner it has.
    Kept(Uuid),
    /// Nobody could take it: it waits (owner none, `queued_at` set).
    Queued,
}

/// A lead as `assign_new` reads it: owner, whether that owner is a consultant, the previous lead's owner, queued,
/// closed.
type Placing = (Option<Uuid>, bool, Option<Uuid>, bool, bool);

/// Most leads one drain hands out (the periodic job picks up any rest).
const DRAIN_BATCH: usize = 200;

/// Takes the tenant's rotation lock until the transaction ends.
pub(super) async fn lock(tx: &mut TenantTx) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into crm_rotation (tenant_id) values (current_tenant_id())
         on conflict (tenant_id) do update set turn = crm_rotation.turn",
    )
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Places a lead that just arrived (or whose phone wrote again while it is open):
/// - an open lead with a consultant stays with them while they are present (capacity aside: it is already
///   theirs); when they are not, it goes to the next eligible consultant, or stays if there is none. A lead
///   owned by staff or the owner stays where they put it.
/// - a lead that follows a won or lost one is offered first to that one's consultant, if eligible;
/// - otherwise the next eligible consultant in rotation; with none, it waits in the queue (keeping its place if
///   it was already waiting).
pub async fn assign_new(tx: &mut TenantTx, lead: Uuid) -> Result<Assignment, AppError> {
    lock(tx).await?;
    let row: Option<Placing> = sqlx::query_as(
        "select l.owner_id, coalesce(o.role = 'consultant', false), p.owner_id, l.queued_at is not null,
                l.closed_at is not null
           from crm_leads l left join users o on o.id = l.owner_id
                left join crm_leads p on p.id = l.previous_lead_id
          where l.id = $1",
    )
    .bind(lead)
    .fetch_optional(tx.conn())
    .await?;
    let (owner, owner_rotates, previous_owner, queued, closed) = row.ok_or(AppError::NotFound)?;
    if let Some(owner) = owner {
        if closed || !owner_rotates || eligibility::can_take(tx, owner, false).await? {
            return Ok(Assignment::Kept(owner));
        }
        return match eligibility::next(tx, Some(owner)).await? {
            Some(to) => give(tx, lead, to, Reason::Rotation).await,
            None => Ok(Assignment::Kept(owner)),
        };
    }
    if closed {
        return Ok(Assignment::Queued);
    }
    if let Some(previous) = previous_owner
        && eligibility::can_take(tx, previous, true).await?
    {
        return give(tx, lead, previous, Reason::ReturningLead).await;
    }
    if let Some(to) = eligibility::next(tx, None).await? {
        return give(tx, lead, to, Reason::Rotation).await;
    }
    if !queued {
        leads::queue(tx, lead).await?;
    }
    Ok(Assignment::Queued)
}

/// Hands waiting leads out, oldest first, while someone eligible remains; answers how many. Call it when a
/// consultant may have become able to take one: a lead of theirs was won, lost or reassigned, they switched
/// "disponível" on or raised their capacity, they came online; the `crm.queue` job does it periodically as well.
pub async fn drain_queue(tx: &mut TenantTx) -> Result<usize, AppError> {
    let waiting: bool = sqlx::query_scalar("select exists (select 1 from crm_leads where queued_at is not null)")
        .fetch_one(tx.conn())
        .await?;
    if !waiting {
        return Ok(0);
    }
    lock(tx).await?;
    let mut handed = 0;
    while handed < DRAIN_BATCH {
        let oldest: Option<Uuid> = sqlx::query_scalar(
            "select id from crm_leads where queued_at is not null and owner_id is null and closed_at is null
              order by queued_at, id limit 1 for update skip locked",
        )
        .fetch_optional(tx.conn())
        .await?;
        let Some(lead) = oldest else { break };
        let Some(to) = eligibility::next(tx, None).await? else { break };
        give(tx, lead, to, Reason::QueueDrain).await?;
        handed += 1;
    }
    Ok(handed)
}

/// Gives `lead` to `to` for `reason`, moves `to` to the back of the rotation and tells them.
async fn give(tx: &mut TenantTx, lead: Uuid, to: Uuid, reason: Reason) -> Result<Assignment, AppError> {
    sqlx::query(
        "with turn as (update crm_rotation set turn = turn + 1 returning turn)
         insert into crm_consultant_settings (user_id, last_turn) select $1, turn from turn
         on conflict (tenant_id, user_id) do update set last_turn = excluded.last_turn",
    )
    .bind(to)
    .execute(tx.conn())
    .await?;
    leads::hand_over(tx, lead, to, None, reason.code()).await?;
    notify::assigned(tx, lead, to).await?;
    Ok(Assignment::Assigned { to, reason })
}
