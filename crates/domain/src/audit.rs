//! The audit log: who changed what, when, with before and after snapshots. Snapshots
//! are redacted here, once, so no caller can store a secret by mistake.

pub use rules::audit::{AuditEntry, AuditFilter};
use rules::zone::Zone;
use serde_json::Value;
use sqlx::{Any, Executor};

use crate::platform::db::now_ms;
use crate::{Actor, Db, Result};

/// One change to record.
#[derive(Clone, Debug, Default)]
pub struct Change {
    pub action: &'static str,
    pub subject_type: &'static str,
    pub subject_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub project_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub const REDACTED: &str = "[redacted]";
/// What a snapshot holds for a secret that was replaced.
pub const CHANGED: &str = "changed";

/// Replaces the value of every key that names a secret, at any depth, and the secrets a
/// URL can carry in any string that is one (user info, query values).
pub fn redact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    // "changed" says a secret was replaced without saying what it is.
                    if is_secret_key(&k) && v != CHANGED {
                        (k, Value::String(REDACTED.into()))
                    } else {
                        (k, redact(v))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        Value::String(text) if is_url(&text) => Value::String(redact_url(&text)),
        other => other,
    }
}

fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A URL without what may be a credential: `user:pass@` becomes `[redacted]@`, each query
/// value `[redacted]` (the names stay, so one can still see what was set), no fragment.
pub fn redact_url(url: &str) -> String {
    let url = url.split('#').next().unwrap_or_default();
    let (before_query, query) = url.split_once('?').unwrap_or((url, ""));
    let (scheme, rest) = before_query.split_once("://").unwrap_or(("", before_query));
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = match authority.rsplit_once('@') {
        Some((_, host)) => format!("{REDACTED}@{host}"),
        None => authority.to_owned(),
    };
    let mut out = format!("{scheme}://{authority}{path}");
    if !query.is_empty() {
        let names: Vec<String> = query
            .split('&')
            .map(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                format!("{name}={REDACTED}")
            })
            .collect();
        out.push('?');
        out.push_str(&names.join("&"));
    }
    out
}

fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "password",
        "secret",
        "token",
        "api_key",
        "authorization",
        "hash",
    ]
    .iter()
    .any(|s| k.contains(s))
}

pub async fn record<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    actor: &Actor,
    change: Change,
) -> Result<()> {
    let text = |v: Option<Value>| v.map(|v| redact(v).to_string());
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_label, action, subject_type, subject_id, organization_id, project_id, before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(now_ms())
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(change.action)
    .bind(change.subject_type)
    .bind(change.subject_id)
    .bind(change.organization_id)
    .bind(change.project_id)
    .bind(text(change.before))
    .bind(text(change.after))
    .execute(executor)
    .await?;
    Ok(())
}

pub const PAGE_SIZE: i64 = rules::audit::AUDIT_PAGE_SIZE;

/// Newest first, one page; admins only. Typed dates are read in `zone`, the viewer's.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: &AuditFilter,
    zone: &Zone,
) -> Result<Vec<AuditEntry>> {
    actor.require_admin()?;
    let from = filter.from.as_deref().and_then(|d| zone.start_of(d));
    let to = filter.to.as_deref().and_then(|d| zone.end_of(d));
    let entries = sqlx::query_as(
        r"SELECT a.id, a.at, a.actor_user_id, a.actor_label, a.action, a.subject_type,
            a.subject_id, a.organization_id, a.project_id, a.before_json, a.after_json,
            CASE a.subject_type WHEN 'project' THEN p.name WHEN 'user' THEN u.email
              WHEN 'organization' THEN o.name WHEN 'template' THEN t.name
              WHEN 'api_key' THEN k.name WHEN 'meta_app' THEN m.name END AS subject_name
          FROM audit_log a
          LEFT JOIN projects p ON a.subject_type = 'project' AND p.id = a.subject_id
          LEFT JOIN users u ON a.subject_type = 'user' AND u.id = a.subject_id
          LEFT JOIN organizations o ON a.subject_type = 'organization' AND o.id = a.subject_id
          LEFT JOIN templates t ON a.subject_type = 'template' AND t.id = a.subject_id
          LEFT JOIN api_keys k ON a.subject_type = 'api_key' AND k.id = a.subject_id
          LEFT JOIN meta_apps m ON a.subject_type = 'meta_app' AND m.id = a.subject_id
          WHERE ($1 IS NULL OR a.actor_user_id = $1)
            AND ($2 IS NULL OR a.project_id = $2)
            AND ($3 IS NULL OR a.at >= $3)
            AND ($4 IS NULL OR a.at < $4)
            AND ($5 IS NULL OR a.id < $5)
          ORDER BY a.id DESC
          LIMIT $6",
    )
    .bind(filter.actor_user_id)
    .bind(filter.project_id)
    .bind(from)
    .bind(to)
    .bind(filter.before_id)
    .bind(PAGE_SIZE)
    .fetch_all(db.pool())
    .await?;
    Ok(entries)
}

#[cfg(test)]
mod tests {

    #[test]
    fn urls_lose_their_user_info_and_query_values() {
        let url = "https://u:pw@hooks.example.com/in?token=s3cr3t&tenant=7#frag";
        assert_eq!(
            super::redact_url(url),
            "https://[redacted]@hooks.example.com/in?token=[redacted]&tenant=[redacted]"
        );
        let snapshot =
            serde_json::json!({"webhook": {"url": url}, "note": "see https://x.test/?a=1"});
        let text = super::redact(snapshot).to_string();
        assert!(!text.contains("s3cr3t") && !text.contains("pw@"), "{text}");
        assert!(
            text.contains("see https://x.test/?a=1"),
            "only whole URLs: {text}"
        );
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_secret_keys_at_any_depth() {
        let v = redact(
            json!({"name": "Shop", "upstream_password": "hunter2", "nested": {"Api_Key": "k", "headers": [{"Authorization": "Basic x"}]}}),
        );
        assert_eq!(v["name"], "Shop");
        assert_eq!(v["upstream_password"], REDACTED);
        assert_eq!(v["nested"]["Api_Key"], REDACTED);
        assert_eq!(v["nested"]["headers"][0]["Authorization"], REDACTED);
        assert!(!v.to_string().contains("hunter2"));
        let replaced = redact(json!({"access_token": CHANGED}));
        assert_eq!(
            replaced["access_token"], CHANGED,
            "says it changed, not what to"
        );
    }
}
