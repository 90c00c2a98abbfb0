//! The message log: every message through the gateway (including those refused by its
//! checks) and every inbound message, with what the gateway decided and the upstream said.

use serde::{Deserialize, Serialize};

use crate::{Db, Result};

/// One row to write. The gateway collects these and writes them in batches.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewMessage {
    pub created_at: i64,
    pub project_id: i64,
    pub api_key_id: Option<i64>,
    /// "outbound" or "inbound".
    pub direction: &'static str,
    pub contact: String,
    pub message_type: String,
    /// The request body as stored: already redacted when the project asks for it.
    pub request_body: Option<String>,
    /// "accepted", or the check that refused it.
    pub decision: String,
    /// Current status: "refused", "accepted", "failed", "sent", "delivered", "read", "received".
    pub status: String,
    pub upstream_status: Option<i64>,
    pub upstream_response: Option<String>,
    pub upstream_message_id: Option<String>,
    /// Comma-separated error codes.
    pub error_codes: String,
    pub latency_ms: Option<i64>,
    /// The partner's request headers as a JSON list of pairs, secrets left out.
    pub request_headers: Option<String>,
    /// What the gateway answered when it refused or failed the message.
    pub decision_detail: Option<String>,
}

/// Headers that carry credentials: never stored, never shown.
/// Header names that say they carry a credential, in any spelling (`X-Auth-Token`,
/// `X-Client-Secret`, `WA-API-KEY`, `Cookie`…): never stored or shown.
const SECRET_HEADER_WORDS: [&str; 5] = ["auth", "key", "token", "secret", "cookie"];

pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_HEADER_WORDS.iter().any(|w| name.contains(w))
}

/// The request's headers as the trace shows them: names and values, credentials dropped.
pub fn loggable_headers<'a>(headers: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let pairs: Vec<(String, String)> = headers
        .into_iter()
        .filter(|(name, _)| !is_secret_header(name))
        .map(|(name, value)| (name.to_owned(), String::from_utf8_lossy(value).into_owned()))
        .collect();
    serde_json::to_string(&pairs).unwrap_or_default()
}

/// Writes rows with multi-row INSERTs (fewer round trips than one statement a row).
pub async fn insert_batch(db: &Db, rows: &[NewMessage]) -> Result<()> {
    const COLUMNS: usize = 16;
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    for chunk in rows.chunks(50) {
        let sql = format!(
            "INSERT INTO messages (created_at, project_id, api_key_id, direction, contact, message_type, request_body, decision, status,
             upstream_status, upstream_response, upstream_message_id, error_codes, latency_ms, request_headers, decision_detail) VALUES {}",
            db.values_placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for m in chunk {
            query = query
                .bind(m.created_at)
                .bind(m.project_id)
                .bind(m.api_key_id)
                .bind(m.direction)
                .bind(&m.contact)
                .bind(&m.message_type)
                .bind(&m.request_body)
                .bind(&m.decision)
                .bind(&m.status)
                .bind(m.upstream_status)
                .bind(&m.upstream_response)
                .bind(&m.upstream_message_id)
                .bind(&m.error_codes)
                .bind(m.latency_ms)
                .bind(&m.request_headers)
                .bind(&m.decision_detail);
        }
        query.execute(&mut *tx).await?;
    }
    let mut counts = crate::messages::counts::Deltas::default();
    for m in rows {
        counts.add(m.project_id, m.created_at, &m.status, &m.error_codes, 1);
    }
    counts.apply(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// How many messages the actor may see hit `code` since `since` (UTC ms): the log itself
/// up to the next whole hour, the running counts from there on (so a week costs a few
/// hundred count rows, not a scan of the week's log).
pub async fn count_with_code(
    services: &crate::Services,
    actor: &crate::Actor,
    code: u32,
    since: i64,
) -> Result<i64> {
    let hour = crate::messages::counts::HOUR_MS;
    let first_whole_hour = since.div_euclid(hour) + i64::from(since.rem_euclid(hour) != 0);
    let pattern = format!("%,{code},%");
    let partial: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages m JOIN projects p ON p.id = m.project_id
         WHERE m.created_at >= $1 AND m.created_at < $2 AND (',' || m.error_codes || ',') LIKE $3 AND ($4 IS NULL OR p.organization_id = $4)",
    )
    .bind(since)
    .bind(first_whole_hour * hour)
    .bind(&pattern)
    .bind(actor.organization_scope())
    .fetch_one(services.db.pool())
    .await?;
    let whole = crate::messages::counts::with_code_from_hour(
        services.db.pool(),
        &pattern,
        first_whole_hour,
        actor.organization_scope(),
    )
    .await?;
    Ok(partial + whole)
}

/// Replaces text bodies (`text.body`, media captions) with a marker, keeping the shape.
pub fn redact_body(body: &serde_json::Value) -> serde_json::Value {
    let mut v = body.clone();
    if let Some(text) = v.get_mut("text").and_then(|t| t.get_mut("body")) {
        *text = serde_json::Value::String("[redacted]".into());
    }
    for kind in ["image", "video", "document"] {
        if let Some(caption) = v.get_mut(kind).and_then(|m| m.get_mut("caption")) {
            *caption = serde_json::Value::String("[redacted]".into());
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::redact_body;
    use serde_json::json;

    #[test]
    fn credentials_never_reach_the_log() {
        let logged = super::loggable_headers([
            ("WA-API-KEY", &b"tj_secret"[..]),
            ("Authorization", b"Bearer x"),
            ("content-type", b"application/json"),
        ]);
        assert_eq!(logged, r#"[["content-type","application/json"]]"#);
    }

    #[test]
    fn redaction_removes_text_but_keeps_the_shape() {
        let v = redact_body(
            &json!({"to": "1555", "text": {"body": "my secret"}, "image": {"caption": "c", "link": "https://x"}}),
        );
        assert_eq!(
            v,
            json!({"to": "1555", "text": {"body": "[redacted]"}, "image": {"caption": "[redacted]", "link": "https://x"}})
        );
    }
}
