use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of the audit log, as the owner reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// The person who acted; `None` for the system or somebody not signed in.
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    /// The details as compact JSON.
    pub details: String,
}
