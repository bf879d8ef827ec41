//! Wire types of the distribution: the consultants page's rows and the consultant's own desk on the board.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A consultant on the consultants page (staff and owner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: Uuid,
    pub name: String,
    /// The manual "disponível" toggle.
    pub available: bool,
    /// A live socket of theirs is open (on any server process).
    pub online: bool,
    /// Most open leads at once.
    pub capacity: i32,
    /// Leads of theirs not won or lost.
    pub open_leads: i64,
}

/// What a consultant sees of their own standing on the board: the toggle and the badge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub available: bool,
    /// Open leads assigned to them since they last cleared the badge.
    pub new_assignments: i64,
}
