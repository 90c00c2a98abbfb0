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
    /// The kind of WhatsApp client the number runs on.
    #[serde(default)]
    pub kind: UpstreamKind,
    /// For a Cloud number: where it is in Meta's systems.
    #[serde(default)]
    pub cloud: Option<CloudView>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Which kind of WhatsApp client a project's number runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UpstreamKind {
    /// An On-Premises Business API client (retired by Meta on 2025-10-23; kept for
    /// providers still holding one, and for tests).
    #[default]
    #[serde(rename = "onprem")]
    OnPremises,
    /// Meta's WhatsApp Cloud API.
    #[serde(rename = "cloud")]
    Cloud,
}

impl UpstreamKind {
    pub const ALL: [UpstreamKind; 2] = [UpstreamKind::Cloud, UpstreamKind::OnPremises];

    pub fn as_str(self) -> &'static str {
        match self {
            UpstreamKind::OnPremises => "onprem",
            UpstreamKind::Cloud => "cloud",
        }
    }

    pub fn parse(text: &str) -> Option<UpstreamKind> {
        UpstreamKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            UpstreamKind::OnPremises => "On-Premises client",
            UpstreamKind::Cloud => "WhatsApp Cloud API",
        }
    }
}

/// A Cloud number as the console shows it (the token only as `••••` and its last four).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudView {
    /// Meta's id of the provider's app the number is called through.
    pub meta_app: String,
    pub phone_number_id: String,
    pub waba_id: String,
    pub token_hint: String,
    /// Why the access token must be replaced, when Meta refused it.
    pub token_problem: Option<String>,
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
    /// The kind of client; a Cloud project fills `cloud` and leaves the upstream URL,
    /// user and password empty.
    #[serde(default)]
    pub kind: UpstreamKind,
    #[serde(default)]
    pub cloud: crate::cloud::CloudUpstreamInput,
}

impl ProjectInput {
    /// The form filled with `project`'s current settings, secrets left empty (kept).
    pub fn editing(project: &Project) -> Self {
        let cloud = project
            .cloud
            .as_ref()
            .map(|c| crate::cloud::CloudUpstreamInput {
                meta_app: c.meta_app.clone(),
                phone_number_id: c.phone_number_id.clone(),
                waba_id: c.waba_id.clone(),
                access_token: String::new(),
            });
        Self {
            organization_id: project.organization_id,
            name: project.name.clone(),
            phone_number: project.phone_number.clone(),
            upstream_url: project.upstream_url.clone(),
            upstream_username: project.upstream_username.clone(),
            upstream_password: String::new(),
            notes: project.notes.clone(),
            enforce_24h_window: project.enforce_24h_window,
            redact_bodies: project.redact_bodies,
            kind: project.kind,
            cloud: cloud.unwrap_or_default(),
        }
    }
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
