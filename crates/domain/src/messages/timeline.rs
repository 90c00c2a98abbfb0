//! What notifications change in the message log: inbound messages become rows (and open
//! the 24-hour window), statuses move outbound messages along sent → delivered → read, or
//! to failed with their error codes, each step kept in `message_events`. A status that
//! comes before its message's log row waits in `waiting_statuses` until the row is there.

use serde_json::Value;
use sqlx::{Any, Row, Transaction};

use crate::messages::contacts::WINDOW_MS;
use crate::{Db, Result};

/// How long a status waits for its message's log row before it is dropped (a message
/// not sent through the gateway never gets one).
pub const STATUS_WAIT_MS: i64 = rules::time::DAY_MS;

fn timestamp_ms(v: &Value, fallback: i64) -> i64 {
    v["timestamp"]
        .as_str()
        .and_then(|t| t.parse::<i64>().ok())
        .or_else(|| v["timestamp"].as_i64())
        .map(|s| s * 1000)
        .unwrap_or(fallback)
}

fn rank(status: &str) -> i32 {
    match status {
        "accepted" => 0,
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        "failed" => 4,
        _ => -1,
    }
}

pub async fn record_inbound(
    tx: &mut Transaction<'static, Any>,
    project_id: i64,
    message: &Value,
    redact: bool,
    now: i64,
) -> Result<()> {
    let from = message["from"].as_str().unwrap_or_default();
    let at = timestamp_ms(message, now).min(now);
    let body = if redact {
        crate::messages::log::redact_body(message)
    } else {
        message.clone()
    };
    sqlx::query(
        "INSERT INTO messages (created_at, project_id, direction, contact, message_type, request_body, decision, status, upstream_message_id)
         VALUES ($1, $2, 'inbound', $3, $4, $5, 'received', 'received', $6)",
    )
    .bind(at)
    .bind(project_id)
    .bind(from)
    .bind(message["type"].as_str().unwrap_or("text"))
    .bind(body.to_string())
    .bind(message["id"].as_str())
    .execute(&mut **tx)
    .await?;
    let mut counts = crate::messages::counts::Deltas::default();
    counts.add(project_id, at, "received", "", 1);
    counts.apply(&mut **tx).await?;
    // Only a message from the last 24 hours opens the window.
    if now - at < WINDOW_MS {
        crate::messages::contacts::record_inbound(&mut **tx, project_id, from, at).await?;
    }
    Ok(())
}

pub async fn record_status(
    tx: &mut Transaction<'static, Any>,
    project_id: i64,
    status: &Value,
    now: i64,
) -> Result<()> {
    let id = status["id"].as_str().unwrap_or_default();
    let new = status["status"].as_str().unwrap_or_default();
    let row = sqlx::query("SELECT id, created_at, status, error_codes FROM messages WHERE project_id = $1 AND upstream_message_id = $2 AND direction = 'outbound'")
        .bind(project_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else {
        // Not in the log yet (or never sent through the gateway): it waits.
        sqlx::query("INSERT INTO waiting_statuses (project_id, upstream_message_id, status, received_at) VALUES ($1, $2, $3, $4)")
            .bind(project_id)
            .bind(id)
            .bind(status.to_string())
            .bind(now)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    };
    let message_id: i64 = row.try_get("id")?;
    let current: String = row.try_get("status")?;
    // A Cloud number's error carries Meta's own code beside its On-Premises twin.
    let mut codes: Vec<String> = Vec::new();
    let errors = status["errors"].as_array().into_iter().flatten();
    for code in errors
        .flat_map(|e| [e["code"].as_i64(), e["cloud_code"].as_i64()])
        .flatten()
    {
        if !codes.contains(&code.to_string()) {
            codes.push(code.to_string());
        }
    }
    let codes = codes.join(",");
    // Meta's words (title, then details) for the trace and the message list.
    let detail = status["errors"]
        .as_array()
        .and_then(|e| e.first())
        .map(|e| {
            let title = e["title"].as_str().unwrap_or_default();
            match e["details"].as_str().filter(|d| !d.is_empty()) {
                Some(details) => format!("{title}: {details}"),
                None => title.to_owned(),
            }
        });
    sqlx::query("INSERT INTO message_events (message_id, status, at, error_codes, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(message_id)
        .bind(new)
        .bind(timestamp_ms(status, now))
        .bind(&codes)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    // Notifications can arrive out of order: the status only moves forward.
    if rank(new) > rank(&current) {
        let existing: String = row.try_get("error_codes")?;
        let codes = if codes.is_empty() {
            existing.clone()
        } else {
            codes
        };
        sqlx::query("UPDATE messages SET status = $1, error_codes = $2 WHERE id = $3")
            .bind(new)
            .bind(&codes)
            .bind(message_id)
            .execute(&mut **tx)
            .await?;
        let created_at: i64 = row.try_get("created_at")?;
        let mut counts = crate::messages::counts::Deltas::default();
        counts.add(project_id, created_at, &current, &existing, -1);
        counts.add(project_id, created_at, new, &codes, 1);
        counts.apply(&mut **tx).await?;
    }
    Ok(())
}

/// Applies the waiting statuses whose message is now in the log, in the order they came,
/// and drops those that waited longer than [`STATUS_WAIT_MS`]; returns how many applied.
pub async fn apply_waiting_statuses(db: &Db, now: i64) -> Result<usize> {
    // Almost always nothing waits: a read, not a write transaction, each sweep then.
    let waiting: Option<i64> = sqlx::query_scalar("SELECT id FROM waiting_statuses LIMIT 1")
        .fetch_optional(db.pool())
        .await?;
    if waiting.is_none() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    // Several instances: on PostgreSQL each takes rows the others have not locked.
    let rows = sqlx::query(&format!(
        "SELECT w.id, w.project_id, w.status FROM waiting_statuses w
         WHERE EXISTS (SELECT 1 FROM messages m WHERE m.upstream_message_id = w.upstream_message_id AND m.project_id = w.project_id AND m.direction = 'outbound')
         ORDER BY w.id LIMIT 500 {}",
        if db.is_postgres() { "FOR UPDATE OF w SKIP LOCKED" } else { "" }
    ))
    .fetch_all(&mut *tx)
    .await?;
    for row in &rows {
        let status: Value =
            serde_json::from_str(&row.try_get::<String, _>("status")?).unwrap_or_default();
        record_status(&mut tx, row.try_get("project_id")?, &status, now).await?;
        sqlx::query("DELETE FROM waiting_statuses WHERE id = $1")
            .bind(row.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM waiting_statuses WHERE received_at < $1")
        .bind(now - STATUS_WAIT_MS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(rows.len())
}
