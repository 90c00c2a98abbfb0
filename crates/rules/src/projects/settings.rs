//! A project's settings as the console shows and edits them: the record (never the
//! upstream password) and the project form's fields.

use serde::{Deserialize, Serialize};

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
