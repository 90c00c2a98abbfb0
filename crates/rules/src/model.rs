//! The records the console shows, as plain data shared by the server (which loads them)
//! and the browser (which renders them). Secrets never appear in these types.

use serde::{Deserialize, Serialize};

use crate::Role;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub disabled: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

/// A project as the console shows it: the upstream password is never included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub name: String,
    pub phone_number: String,
    pub upstream_url: String,
    pub upstream_username: String,
    pub notes: String,
    /// Refuse non-template messages to contacts silent for 24 hours (WhatsApp's 470).
    pub enforce_24h_window: bool,
    /// Store message bodies redacted in the message log.
    pub redact_bodies: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The fields of the project form. On edit an empty `upstream_password` keeps the stored one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectInput {
    pub organization_id: i64,
    pub name: String,
    pub phone_number: String,
    pub upstream_url: String,
    pub upstream_username: String,
    pub upstream_password: String,
    pub notes: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub enforce_24h_window: bool,
    #[serde(default, deserialize_with = "checkbox")]
    pub redact_bodies: bool,
}

/// A form checkbox: "on" (HTML's default value), "true" or a JSON bool; absent is false.
fn checkbox<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Bool(bool),
        Text(String),
    }
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(b) => b,
        Value::Text(t) => matches!(t.as_str(), "on" | "true" | "1" | "yes"),
    })
}

/// What an admin can change about a user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserUpdate {
    pub role: Role,
    pub organization_id: Option<i64>,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// An API key as lists show it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// "active", "expired", "revoked", or "retiring" (revoked at a future time: a rotation's grace).
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

/// A project's webhook as the console shows it: header values masked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    pub url: String,
    /// (name, masked value)
    pub headers: Vec<(String, String)>,
    pub signed: bool,
    /// Whether http:// URLs are accepted by this server (development only).
    pub allow_insecure: bool,
}

/// One header row of the webhook form; an empty value keeps the stored one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderRow {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// `••••` and at most the last 4 characters, for stored secrets.
pub fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    if n <= 8 {
        "••••".into()
    } else {
        format!("••••{}", secret.chars().skip(n - 4).collect::<String>())
    }
}

/// The result of one attempt to reach a webhook, as the console shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub at: i64,
    pub url: String,
    pub http_status: Option<i64>,
    pub error: Option<String>,
    pub latency_ms: i64,
    pub response_excerpt: Option<String>,
}

/// One finding of the webhook check: what was checked, whether it passed, and if not why
/// and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// "ok", "warning" or "problem".
    pub level: String,
    pub check: String,
    pub cause: String,
    pub fix: String,
}

/// A notification's delivery to the partner, with its attempts (newest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub event_id: i64,
    pub kind: String,
    pub status: String,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub attempts: Vec<AttemptView>,
}
