//! The audit log as the console reads it: entries (with redacted snapshots and their
//! subject's name), each action and change in words, the page size and the filter.

use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// The subject's name as it is now (a project's or organization's name, a user's
    /// email), when it still exists.
    #[cfg_attr(feature = "sqlx", sqlx(default))]
    pub subject_name: Option<String>,
}

/// What was done, in words ("changed the webhook"); an action without words reads as its
/// code with spaces.
pub fn action_words(action: &str) -> String {
    let words = match action {
        "api_key.create" => "created an API key",
        "api_key.revoke" => "revoked an API key",
        "api_key.rotate" => "rotated an API key",
        "deliveries.resend" => "resent failed notifications",
        "delivery.resend" => "sent a notification again",
        "meta_app.create" => "registered a Meta app",
        "number.health_change" => "saw the number's standing at Meta change",
        "number.meta_notice" => "received Meta's notice about the account",
        "number.warmup_set" => "set a warm-up plan",
        "number.warmup_clear" => "removed the warm-up plan",
        "organization.create" => "created the organization",
        "profile.about" => "changed the \"about\" text",
        "profile.photo" => "changed the profile photo",
        "profile.update" => "changed the business profile",
        "project.create" => "created the project",
        "project.set_upstream" => "moved the number to another upstream",
        "project.update" => "changed the project's settings",
        "template.create" => "created a template",
        "template.update" => "changed a template",
        "template.submit" => "submitted a template to Meta",
        "template.edit_at_meta" => "sent a template's changes to Meta",
        "template.delete" => "deleted a template",
        "template.delete_at_meta" => "deleted a template at Meta",
        "template.delete_language" => "deleted one language of a template",
        "template.delete_language_at_meta" => "deleted one language of a template at Meta",
        "template.import" => "imported templates",
        "template.sync" => "read the templates from Meta",
        "user.create" => "created the user",
        "user.update" => "changed the user",
        "user.password_set" => "set a new password for the user",
        "user.password_change" => "changed their password",
        "webhook.signing_secret" => "made a new signing secret",
        "webhook.update" => "changed the webhook",
        other => return other.replace(['.', '_'], " "),
    };
    words.to_owned()
}

/// The top-level fields that differ between two snapshots, in words: "name: Shop → Duka",
/// "upstream password changed" (a secret is never shown, only that it changed).
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<String> {
    let read = |text: Option<&str>| {
        text.and_then(|t| serde_json::from_str::<Value>(t).ok())
            .unwrap_or(Value::Null)
    };
    let (before, after) = (read(before), read(after));
    let Some(fields) = after.as_object() else {
        return Vec::new();
    };
    let shown = |v: &Value| match v {
        Value::String(s) if s == "[redacted]" => "set".into(),
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    };
    // What a creation left empty says nothing.
    let said = |v: &Value| {
        let empty = v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty);
        !(v.is_null() || empty)
    };
    fields
        .iter()
        .filter(|(key, value)| before.get(key.as_str()) != Some(value))
        .filter(|(key, value)| before.get(key.as_str()).is_some() || said(value))
        .map(|(key, value)| {
            let name = key.replace('_', " ");
            match (value.as_str(), before.get(key.as_str())) {
                (Some("changed"), _) => format!("{name} changed"),
                (_, Some(old)) if !before.is_null() => {
                    format!("{name}: {} → {}", shown(old), shown(value))
                }
                _ => format!("{name}: {}", shown(value)),
            }
        })
        .collect()
}

/// Entries per page of the audit log.
pub const AUDIT_PAGE_SIZE: i64 = 50;

/// What the audit list can be narrowed to; every part optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor_user_id: Option<i64>,
    pub project_id: Option<i64>,
    /// Dates as typed (`2026-11-25`), in the viewer's time zone; `to` includes its day.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Keyset paging: only entries older than this id.
    pub before_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_in_words_and_unknown_ones_as_their_code() {
        assert_eq!(action_words("webhook.update"), "changed the webhook");
        assert_eq!(action_words("thing.made_up"), "thing made up");
    }

    #[test]
    fn changes_name_each_field_and_never_a_secret() {
        let before = r#"{"name":"Shop","notes":"","upstream_password":"[redacted]"}"#;
        let after = r#"{"name":"Duka","notes":"","upstream_password":"changed","kind":"cloud"}"#;
        assert_eq!(
            changes(Some(before), Some(after)),
            [
                "kind: cloud",
                "name: Shop → Duka",
                "upstream password changed"
            ]
        );
        assert_eq!(
            changes(
                None,
                Some(r#"{"name":"Shop","notes":"","cloud":null,"upstream_password":"[redacted]"}"#)
            ),
            ["name: Shop", "upstream password: set"],
            "a creation lists what was set, a secret only as set"
        );
    }
}
