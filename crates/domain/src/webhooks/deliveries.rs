//! Deliveries as the console sees them: a project's latest deliveries with their
//! attempts, the deliveries behind one message's trace, and sending one or all failed
//! ones again.

use sqlx::Row;

use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::{Actor, Error, Result, Services};

/// Sends one delivery again, now, whatever its state.
pub async fn resend(services: &Services, actor: &Actor, delivery_id: i64) -> Result<()> {
    let project_id: i64 = sqlx::query_scalar("SELECT project_id FROM deliveries WHERE id = $1")
        .bind(delivery_id)
        .fetch_optional(services.db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    // Anyone who may see the project may replay its deliveries (support included).
    settings::get(services, actor, project_id).await?;
    sqlx::query("UPDATE deliveries SET status = 'pending', next_attempt_at = $1, locked_until = NULL WHERE id = $2").bind(now_ms()).bind(delivery_id).execute(services.db.pool()).await?;
    Ok(())
}

/// Sends again every failed (pending after an attempt) or dead delivery of a project
/// created since `since`; returns how many.
pub async fn resend_failed_since(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    since: i64,
) -> Result<u64> {
    settings::get(services, actor, project_id).await?;
    let done = sqlx::query(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, locked_until = NULL
         WHERE project_id = $2 AND created_at >= $3 AND (status = 'dead' OR (status = 'pending' AND attempts > 0))",
    )
    .bind(now_ms())
    .bind(project_id)
    .bind(since)
    .execute(services.db.pool())
    .await?;
    Ok(done.rows_affected())
}

pub use rules::webhooks::deliveries::{AttemptView, DeliveryView};

/// The project's latest deliveries (50), optionally only "failed" (retrying) or "dead".
pub async fn list(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    only: Option<&str>,
) -> Result<Vec<DeliveryView>> {
    settings::get(services, actor, project_id).await?;
    let filter = match only {
        Some("failed") => "AND d.status = 'pending' AND d.attempts > 0",
        Some("dead") => "AND d.status = 'dead'",
        _ => "",
    };
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.event_id, e.kind, d.status, d.created_at, d.next_attempt_at FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.project_id = $1 {filter} ORDER BY d.id DESC LIMIT 50"
    ))
    .bind(project_id)
    .fetch_all(services.db.pool())
    .await?;
    with_attempts(services, &rows).await
}

/// The statuses WhatsApp notifies about a message.
const STATUSES: [&str; 5] = ["sent", "delivered", "read", "failed", "deleted"];

/// The deliveries of the events about one upstream message (the inbound message itself,
/// or each status of an outbound one), oldest first. The caller has checked the project.
pub(crate) async fn for_upstream_message(
    services: &Services,
    project_id: i64,
    wa_id: &str,
) -> Result<Vec<DeliveryView>> {
    // Event keys are "message:ID" and "status:ID:STATUS": exact keys, so the unique index
    // finds them whatever the database's collation.
    let keys: Vec<String> = std::iter::once(format!("message:{wa_id}"))
        .chain(STATUSES.iter().map(|s| format!("status:{wa_id}:{s}")))
        .collect();
    let placeholders: Vec<String> = (0..keys.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT d.id, d.event_id, e.kind, d.status, d.created_at, d.next_attempt_at FROM events e JOIN deliveries d ON d.event_id = e.id
         WHERE e.project_id = $1 AND e.dedupe_key IN ({}) ORDER BY d.id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(project_id);
    for key in &keys {
        query = query.bind(key);
    }
    let rows = query.fetch_all(services.db.pool()).await?;
    with_attempts(services, &rows).await
}

/// The deliveries in `rows`, each with its attempts (newest first), read in one query.
async fn with_attempts(
    services: &Services,
    rows: &[sqlx::any::AnyRow],
) -> Result<Vec<DeliveryView>> {
    let mut out = rows
        .iter()
        .map(|row| {
            Ok(DeliveryView {
                id: row.try_get("id")?,
                event_id: row.try_get("event_id")?,
                kind: row.try_get("kind")?,
                status: row.try_get("status")?,
                created_at: row.try_get("created_at")?,
                next_attempt_at: row.try_get("next_attempt_at")?,
                attempts: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let placeholders: Vec<String> = (1..=out.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT delivery_id, at, url, http_status, error, latency_ms, response_excerpt FROM delivery_attempts
         WHERE delivery_id IN ({}) ORDER BY id DESC",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for delivery in &out {
        query = query.bind(delivery.id);
    }
    let position: std::collections::HashMap<i64, usize> =
        out.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    for a in query.fetch_all(services.db.pool()).await? {
        let Some(&i) = position.get(&a.try_get::<i64, _>("delivery_id")?) else {
            continue;
        };
        out[i].attempts.push(AttemptView {
            at: a.try_get("at")?,
            url: a.try_get("url")?,
            http_status: a.try_get("http_status")?,
            error: a.try_get("error")?,
            latency_ms: a.try_get("latency_ms")?,
            response_excerpt: a.try_get("response_excerpt")?,
        });
    }
    Ok(out)
}
