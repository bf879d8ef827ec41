//! Who may get a lead now.
//!
//! A consultant is **eligible** when they are an active user with the consultant role, **present** (a live socket
//! of theirs was seen on any server process within `live::publish::ONLINE_WITHIN_SECONDS`, or their manual
//! "disponível" toggle is on), and hold fewer **open leads** than their capacity.
//!
//! An open lead is one that is not closed: `closed_at is null`, i.e. not sitting in a won or lost stage (the same
//! line that frees its phone for a new lead). Queued leads have no owner, so they load nobody. Staff and owners
//! are never in the rotation; they still may own leads by hand.

use uuid::Uuid;

use crate::platform::{live::publish::is_online, tenancy::TenantTx};

/// A consultant's capacity until someone sets it (the settings row is created on first change).
pub const DEFAULT_CAPACITY: i32 = 20;

/// A consultant as the rotation sees them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub user_id: Uuid,
    pub available: bool,
    pub capacity: i32,
    pub open_leads: i64,
}

impl Candidate {
    pub fn has_room(&self) -> bool {
        self.open_leads < i64::from(self.capacity)
    }

    /// Reachable now: the toggle is on, or a socket of theirs is open somewhere.
    pub async fn present(&self, tx: &mut TenantTx) -> Result<bool, sqlx::Error> {
        Ok(self.available || is_online(tx, self.user_id).await?)
    }
}

/// The tenant's active consultants in rotation order: whoever got a lead longest ago first (never: first of all),
/// then by id so the order is total.
pub async fn candidates(tx: &mut TenantTx) -> Result<Vec<Candidate>, sqlx::Error> {
    sqlx::query_as(
        "select u.id as user_id, coalesce(c.available, false) as available,
                coalesce(c.capacity, $1) as capacity,
                (select count(*) from crm_leads l where l.owner_id = u.id and l.closed_at is null) as open_leads
           from users u left join crm_consultant_settings c on c.user_id = u.id
          where u.active and u.role = 'consultant'
          order by c.last_turn asc nulls first, u.id",
    )
    .bind(DEFAULT_CAPACITY)
    .fetch_all(tx.conn())
    .await
}

/// The next eligible consultant in rotation, leaving out `except` (a consultant the lead is being taken from).
pub async fn next(tx: &mut TenantTx, except: Option<Uuid>) -> Result<Option<Uuid>, sqlx::Error> {
    for candidate in candidates(tx).await? {
        if Some(candidate.user_id) != except && candidate.has_room() && candidate.present(tx).await? {
            return Ok(Some(candidate.user_id));
        }
    }
    Ok(None)
}

/// Whether `user` is an active consultant who is present; `with_room` also asks for room under their capacity
/// (not asked when the lead in question is already theirs, and so already counted).
pub async fn can_take(tx: &mut TenantTx, user: Uuid, with_room: bool) -> Result<bool, sqlx::Error> {
    for candidate in candidates(tx).await? {
        if candidate.user_id == user {
            return Ok((!with_room || candidate.has_room()) && candidate.present(tx).await?);
        }
    }
    Ok(false)
}
