//! The enrollment dashboard's figures, as the page draws them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::enrollment::types::Shift;

/// How far a course's applications got. Each stage counts the applications that reached it: submitted and approved
/// once in their history, paid when the charge was paid, enrolled when enrolled now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseFunnel {
    pub course: String,
    /// started, submitted, approved, paid, enrolled.
    pub stages: [i64; 5],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSeats {
    pub course: String,
    pub term: String,
    pub shift: Shift,
    pub capacity: i32,
    pub reserved: i32,
}

/// An application whose money and seat disagree (see the payment contract migration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentFlag {
    pub application_id: Uuid,
    pub student: String,
    pub course: String,
    /// `paid_without_seat` or `chargeback`.
    pub flag: String,
    pub since: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentDashboard {
    pub funnel: Vec<CourseFunnel>,
    pub classes: Vec<ClassSeats>,
    /// Enrollment charges paid, and still to be paid (PENDING, OVERDUE, in risk analysis).
    pub received_cents: i64,
    pub pending_cents: i64,
    pub flags: Vec<PaymentFlag>,
}
