//! A project's API keys as lists show them (never the secret), with their status, and a
//! key just created with its secret, shown once.

use serde::{Deserialize, Serialize};

/// An API key as lists show it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct ApiKey {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

impl ApiKey {
    /// "active", "expired", "revoked", or "retiring" (revoked at a future time: a rotation's
    /// grace).
    pub fn status(&self, now: i64) -> &'static str {
        match (self.revoked_at, self.expires_at) {
            (Some(at), _) if at <= now => "revoked",
            (_, Some(at)) if at <= now => "expired",
            (Some(_), _) => "retiring",
            _ => "active",
        }
    }
}

/// A project's keys with the server's time of reading them, so their status reads the
/// same when rendered on the server and again in the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyList {
    pub as_of: i64,
    pub keys: Vec<ApiKey>,
}

/// A key just created: its secret, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub key: ApiKey,
    pub secret: String,
}
