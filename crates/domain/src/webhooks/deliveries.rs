//! Deliveries as the console sees them: a project's latest deliveries (all, or those in
//! one state), and the deliveries behind one message's trace; each with what it is about,
//! the logged message it concerns, its payload and every attempt.

use std::collections::HashMap;

use rules::webhooks::deliveries::{DeliveryState, summarize};
use sqlx::Row;

use crate::projects::settings;
use crate::{Actor, Db, Result, Services};

pub use rules::webhooks::deliveries::{AttemptView, DeliveryView};

/// Rows on the delivery log.
pub const LOG_SIZE: i64 = 50;

const COLUMNS: &str = "d.id, d.event_id, e.kind, e.payload, d.status, d.attempts, d.created_at,
    d.next_attempt_at";

/// The project's latest deliveries, optionally only those in `only`.
pub async fn list(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    only: Option<DeliveryState>,
) -> Result<Vec<DeliveryView>> {
    settings::get(services, actor, project_id).await?;
    let filter = only.map_or(String::new(), |s| format!("AND {}", s.condition()));
    let rows = sqlx::query(&format!(
        r"SELECT {COLUMNS} FROM deliveries d JOIN events e ON e.id = d.event_id
          WHERE d.project_id = $1 {filter} ORDER BY d.id DESC LIMIT {LOG_SIZE}"
    ))
    .bind(project_id)
    .fetch_all(services.db.pool())
    .await?;
    with_attempts(&services.db, project_id, &rows).await
}

/// One delivery (the caller has checked its project).
pub(crate) async fn one(db: &Db, project_id: i64, delivery_id: i64) -> Result<DeliveryView> {
    let rows = sqlx::query(&format!(
        r"SELECT {COLUMNS} FROM deliveries d JOIN events e ON e.id = d.event_id
          WHERE d.id = $1"
    ))
    .bind(delivery_id)
    .fetch_all(db.pool())
    .await?;
    let mut views = with_attempts(db, project_id, &rows).await?;
    views.pop().ok_or(crate::Error::NotFound)
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
    let sql = format!(
        r"SELECT {COLUMNS} FROM events e JOIN deliveries d ON d.event_id = e.id
          WHERE e.project_id = $1 AND e.dedupe_key IN ({}) ORDER BY d.id",
        Db::list_placeholders(2, keys.len())
    );
    let mut query = sqlx::query(&sql).bind(project_id);
    for key in &keys {
        query = query.bind(key);
    }
    let rows = query.fetch_all(services.db.pool()).await?;
    with_attempts(&services.db, project_id, &rows).await
}

/// The deliveries in `rows`, each with its attempts (newest first) and the logged
/// message it is about, read in two more queries.
async fn with_attempts(
    db: &Db,
    project_id: i64,
    rows: &[sqlx::any::AnyRow],
) -> Result<Vec<DeliveryView>> {
    let mut out = rows
        .iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let payload: String = row.try_get("payload")?;
            let status: String = row.try_get("status")?;
            Ok(DeliveryView {
                id: row.try_get("id")?,
                event_id: row.try_get("event_id")?,
                summary: summarize(&kind, &payload),
                state: DeliveryState::of(&status, row.try_get("attempts")?),
                kind,
                created_at: row.try_get("created_at")?,
                next_attempt_at: row.try_get("next_attempt_at")?,
                message: None,
                payload,
                attempts: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let position: HashMap<i64, usize> = out.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    let sql = format!(
        r"SELECT delivery_id, at, url, http_status, error, latency_ms, response_excerpt
          FROM delivery_attempts WHERE delivery_id IN ({}) ORDER BY id DESC",
        Db::list_placeholders(1, out.len())
    );
    let mut query = sqlx::query(&sql);
    for delivery in &out {
        query = query.bind(delivery.id);
    }
    for a in query.fetch_all(db.pool()).await? {
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
    link_messages(db, project_id, &mut out).await?;
    Ok(out)
}

/// Sets each delivery's logged message, found by the WhatsApp id its notification names.
async fn link_messages(db: &Db, project_id: i64, deliveries: &mut [DeliveryView]) -> Result<()> {
    let mut ids: Vec<&str> = deliveries
        .iter()
        .filter_map(|d| d.summary.message_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        r"SELECT id, upstream_message_id FROM messages
          WHERE project_id = $1 AND upstream_message_id IN ({})",
        Db::list_placeholders(2, ids.len())
    );
    let mut query = sqlx::query(&sql).bind(project_id);
    for id in &ids {
        query = query.bind(*id);
    }
    let mut logged = HashMap::new();
    for row in query.fetch_all(db.pool()).await? {
        logged.insert(
            row.try_get::<String, _>("upstream_message_id")?,
            row.try_get::<i64, _>("id")?,
        );
    }
    for d in deliveries {
        d.message = d
            .summary
            .message_id
            .as_ref()
            .and_then(|id| logged.get(id).copied());
    }
    Ok(())
}
