//! The audit log as the console reads it: entries (with redacted snapshots), the page
//! size and the filter.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub project_id: Option<i64>,
    /// Redacted JSON snapshots.
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Entries per page of the audit log.
pub const AUDIT_PAGE_SIZE: i64 = 50;

/// What the audit list can be narrowed to; every part optional. Times are UTC milliseconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor_user_id: Option<i64>,
    pub project_id: Option<i64>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Keyset paging: only entries older than this id.
    pub before_id: Option<i64>,
}
