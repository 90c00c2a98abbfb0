//! What notifications change in the message log: inbound messages become rows (and open
//! the 24-hour window), statuses move outbound messages along sent → delivered → read, or
//! to failed with their error codes, each step kept in `message_events`. A status that
//! comes before its message's log row waits in `waiting_statuses` until the row is there.

use std::collections::HashMap;

use rules::messages::status::MessageStatus;
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

/// A logged outbound message as statuses move it.
struct Logged {
    id: i64,
    created_at: i64,
    status: String,
    error_codes: String,
    moved: bool,
}

/// Applies `statuses` ((project, status) in the order they came) to the message log: each
/// becomes a step of its message's timeline and moves the message forward (never back:
/// notifications can arrive out of order); a status whose message is not logged yet
/// waits. Reads, inserts and counts go in batches, one update per message moved.
pub async fn record_statuses(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    statuses: &[(i64, &Value)],
    now: i64,
) -> Result<()> {
    let mut logged = logged(tx, statuses).await?;
    let (mut waiting, mut steps) = (Vec::new(), Vec::new());
    let mut counts = crate::messages::counts::Deltas::default();
    for (project_id, status) in statuses {
        let upstream_id = status["id"].as_str().unwrap_or_default();
        let Some(message) = logged.get_mut(&(*project_id, upstream_id.to_owned())) else {
            // Not in the log yet (or never sent through the gateway): it waits.
            waiting.push((*project_id, upstream_id, status.to_string()));
            continue;
        };
        let new = status["status"].as_str().unwrap_or_default();
        let (codes, detail) = rules::messages::log::failure(&status["errors"]);
        steps.push((
            message.id,
            new,
            timestamp_ms(status, now),
            codes.clone(),
            detail,
        ));
        if MessageStatus::moves_forward(&message.status, new) {
            let codes = if codes.is_empty() {
                message.error_codes.clone()
            } else {
                codes
            };
            let (created_at, old) = (message.created_at, &message.status);
            counts.add(*project_id, created_at, old, &message.error_codes, -1);
            counts.add(*project_id, created_at, new, &codes, 1);
            (message.status, message.error_codes, message.moved) = (new.to_owned(), codes, true);
        }
    }
    for chunk in waiting.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO waiting_statuses (project_id, upstream_message_id, status, received_at)
             VALUES {}",
            db.values_placeholders(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (project_id, upstream_id, status) in chunk {
            query = query
                .bind(*project_id)
                .bind(*upstream_id)
                .bind(status)
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }
    for chunk in steps.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO message_events (message_id, status, at, error_codes, detail) VALUES {}",
            db.values_placeholders(chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for (message_id, status, at, codes, detail) in chunk {
            query = query
                .bind(*message_id)
                .bind(*status)
                .bind(*at)
                .bind(codes)
                .bind(detail);
        }
        query.execute(&mut **tx).await?;
    }
    for message in logged.values().filter(|m| m.moved) {
        sqlx::query("UPDATE messages SET status = $1, error_codes = $2 WHERE id = $3")
            .bind(&message.status)
            .bind(&message.error_codes)
            .bind(message.id)
            .execute(&mut **tx)
            .await?;
    }
    counts.apply(&mut **tx).await?;
    Ok(())
}

/// Rows a multi-row statement takes at once (well under both engines' parameter limits).
const ROWS: usize = 100;

/// The logged outbound messages the statuses are about, by (project, upstream id).
async fn logged(
    tx: &mut Transaction<'static, Any>,
    statuses: &[(i64, &Value)],
) -> Result<HashMap<(i64, String), Logged>> {
    let mut wanted: Vec<(i64, &str)> = statuses
        .iter()
        .map(|(project_id, s)| (*project_id, s["id"].as_str().unwrap_or_default()))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found = HashMap::new();
    for chunk in wanted.chunks(ROWS) {
        let sql = format!(
            "SELECT id, project_id, upstream_message_id, created_at, status, error_codes
             FROM messages WHERE direction = 'outbound' AND upstream_message_id IN ({})",
            Db::list_placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for (_, upstream_id) in chunk {
            query = query.bind(*upstream_id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            let key: (i64, String) = (
                row.try_get("project_id")?,
                row.try_get("upstream_message_id")?,
            );
            // Another project's message with the same id is not this one.
            if chunk.binary_search(&(key.0, key.1.as_str())).is_ok() {
                let message = Logged {
                    id: row.try_get("id")?,
                    created_at: row.try_get("created_at")?,
                    status: row.try_get("status")?,
                    error_codes: row.try_get("error_codes")?,
                    moved: false,
                };
                found.insert(key, message);
            }
        }
    }
    Ok(found)
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
    let mut waited = Vec::with_capacity(rows.len());
    for row in &rows {
        let status: Value =
            serde_json::from_str(&row.try_get::<String, _>("status")?).unwrap_or_default();
        waited.push((
            row.try_get::<i64, _>("id")?,
            row.try_get::<i64, _>("project_id")?,
            status,
        ));
    }
    let statuses: Vec<(i64, &Value)> = waited.iter().map(|(_, p, s)| (*p, s)).collect();
    record_statuses(db, &mut tx, &statuses, now).await?;
    for chunk in waited.chunks(ROWS) {
        let sql = format!(
            "DELETE FROM waiting_statuses WHERE id IN ({})",
            Db::list_placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for (id, _, _) in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM waiting_statuses WHERE received_at < $1")
        .bind(now - STATUS_WAIT_MS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(rows.len())
}
