//! Notifications from a project's upstream: the inbound URL's secret token, the durable
//! store that comes before the 200, and the processing after it (message log, statuses,
//! contacts' last-inbound time, one event per message or status, deliveries to forward).

use std::collections::HashMap;
use std::time::Duration;

use rand::RngCore;
use serde_json::{Value, json};
use sqlx::Row;
use subtle::ConstantTimeEq;

use crate::messages::timeline;
use crate::platform::cache::Recent;
use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::webhooks::queue::Due;
use crate::{Actor, Db, Result, Services};

/// The project's encrypted inbound token: `None` for no such project, `""` for none yet.
async fn stored_token(services: &Services, project_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT inbound_token_enc FROM projects WHERE id = $1")
            .bind(project_id)
            .fetch_optional(services.db.pool())
            .await?,
    )
}

/// The secret in the project's inbound URL, created the first time the URL is shown.
pub async fn token(services: &Services, project_id: i64) -> Result<String> {
    match stored_token(services, project_id).await? {
        None => Err(crate::Error::NotFound),
        Some(enc) if !enc.is_empty() => services.secrets.decrypt(&enc),
        Some(_) => {
            let mut bytes = [0u8; 24];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let token = hex::encode(bytes);
            sqlx::query("UPDATE projects SET inbound_token_enc = $1 WHERE id = $2 AND inbound_token_enc = ''")
                .bind(services.secrets.encrypt(&token)?)
                .bind(project_id)
                .execute(services.db.pool())
                .await?;
            services.changes.bump();
            // Another request may have set it first: read back whatever won.
            let enc = stored_token(services, project_id)
                .await?
                .ok_or(crate::Error::NotFound)?;
            services.secrets.decrypt(&enc)
        }
    }
}

/// The path the upstream posts notifications to (relative to the public URL).
pub async fn path(services: &Services, project_id: i64) -> Result<String> {
    Ok(format!(
        "/inbound/{project_id}/{}",
        token(services, project_id).await?
    ))
}

/// The URL the project's upstream posts its notifications to, under `public_url` (the
/// address upstreams reach this server at). It carries the project's secret token, so
/// only admins see it.
pub async fn url(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    public_url: &str,
) -> Result<String> {
    settings::get(services, actor, project_id).await?;
    actor.require_admin()?;
    let path = path(services, project_id).await?;
    Ok(format!("{}{path}", public_url.trim_end_matches('/')))
}

/// Projects' inbound tokens as recently read, decrypted (`None`: no such project, or no
/// token yet).
pub type Tokens = Recent<i64, Option<String>>;

/// Whether `presented` is the project's inbound token (compared in constant time). Only
/// reads: a request for a project without a token yet changes nothing.
pub async fn token_matches(
    services: &Services,
    tokens: &Tokens,
    project_id: i64,
    presented: &str,
) -> Result<bool> {
    let token = tokens
        .get_or_load(project_id, &services.changes, async {
            match stored_token(services, project_id).await? {
                Some(enc) if !enc.is_empty() => services.secrets.decrypt(&enc).map(Some),
                _ => Ok::<_, crate::Error>(None),
            }
        })
        .await?;
    Ok(token.is_some_and(|t| bool::from(t.as_bytes().ct_eq(presented.as_bytes()))))
}

/// Stores notifications as received, in one transaction (one disk flush for many);
/// once this returns they will be processed.
pub async fn store(db: &Db, received: &[(i64, String)]) -> Result<()> {
    let now = now_ms();
    let mut tx = db.pool().begin().await?;
    for chunk in received.chunks(100) {
        let sql = format!(
            "INSERT INTO notifications (project_id, received_at, body) VALUES {}",
            db.values_placeholders(chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for (project_id, body) in chunk {
            query = query.bind(*project_id).bind(now).bind(body.as_str());
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One forwardable piece of a notification.
struct Event {
    dedupe_key: String,
    kind: &'static str,
    payload: Value,
}

/// Splits a notification into events: each inbound message, each status, each error.
fn events(notification_id: i64, body: &Value) -> Vec<Event> {
    let mut out = Vec::new();
    let contacts = body["contacts"].as_array().cloned().unwrap_or_default();
    for message in body["messages"].as_array().into_iter().flatten() {
        let id = message["id"].as_str().unwrap_or_default();
        let contact: Vec<Value> = contacts
            .iter()
            .filter(|c| c["wa_id"] == message["from"])
            .cloned()
            .collect();
        out.push(Event {
            dedupe_key: format!("message:{id}"),
            kind: "message",
            payload: json!({"contacts": contact, "messages": [message]}),
        });
    }
    for status in body["statuses"].as_array().into_iter().flatten() {
        let key = format!(
            "status:{}:{}",
            status["id"].as_str().unwrap_or_default(),
            status["status"].as_str().unwrap_or_default()
        );
        out.push(Event {
            dedupe_key: key,
            kind: "status",
            payload: json!({"statuses": [status]}),
        });
    }
    if out.is_empty() {
        out.push(Event {
            dedupe_key: format!("notification:{notification_id}"),
            kind: "other",
            payload: body.clone(),
        });
    }
    out
}

/// Processes up to `limit` stored notifications that the intake could not process as it
/// stored them, oldest first, in one transaction; returns their deliveries, leased for
/// `lease` to this instance.
pub async fn process_pending(services: &Services, limit: i64, lease: Duration) -> Result<Vec<Due>> {
    let db = &services.db;
    // Several instances: on PostgreSQL each takes its own notifications (row locks,
    // skipping the others'); on SQLite writers take turns anyway, and an event processed
    // twice is one event (its dedupe key).
    let select = format!(
        "SELECT n.id, n.project_id, n.body, p.redact_bodies FROM notifications n
         JOIN projects p ON p.id = n.project_id
         WHERE n.processed_at IS NULL ORDER BY n.id LIMIT $1 {}",
        if db.is_postgres() {
            "FOR UPDATE OF n SKIP LOCKED"
        } else {
            ""
        }
    );
    let mut tx = db.pool().begin().await?;
    let query = sqlx::query(&select).bind(limit);
    let rows = if db.is_postgres() {
        query.fetch_all(&mut *tx).await?
    } else {
        query.fetch_all(db.pool()).await?
    };
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let stored = rows
        .iter()
        .map(|row| {
            Ok(Stored {
                id: row.try_get("id")?,
                project_id: row.try_get("project_id")?,
                redact: row.try_get::<i64, _>("redact_bodies")? != 0,
                body: row.try_get("body")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let now = now_ms();
    let dues = process(db, &mut tx, &stored, now, lease).await?;
    let ids: Vec<i64> = stored.iter().map(|n| n.id).collect();
    let sql = format!(
        "UPDATE notifications SET processed_at = $1 WHERE id IN ({})",
        Db::list_placeholders(2, ids.len())
    );
    let mut query = sqlx::query(&sql).bind(now);
    for id in ids {
        query = query.bind(id);
    }
    query.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(dues)
}

/// A stored notification being processed.
pub(crate) struct Stored {
    pub id: i64,
    pub project_id: i64,
    /// The project keeps no message bodies.
    pub redact: bool,
    pub body: String,
}

/// Rows a multi-row statement takes at once (well under both engines' parameter limits).
pub(crate) const ROWS: usize = 100;

/// Turns stored notifications into their events (a repeated upstream id is one event),
/// the message log's rows, and the deliveries to forward, leased until `now + lease`,
/// which it returns in order. Events and deliveries go in as multi-row inserts.
pub(crate) async fn process(
    db: &Db,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    notifications: &[Stored],
    now: i64,
    lease: Duration,
) -> Result<Vec<Due>> {
    // Each event with its payload as sent (serialized once: stored, then forwarded).
    let split: Vec<(&Stored, Event, String)> = notifications
        .iter()
        .flat_map(|n| {
            let parsed: Value =
                serde_json::from_str(&n.body).unwrap_or_else(|_| json!({"unparsed": n.body}));
            events(n.id, &parsed).into_iter().map(move |e| {
                let text = e.payload.to_string();
                (n, e, text)
            })
        })
        .collect();
    // The events new to the database, each once: (project, dedupe key) → its id.
    let mut inserted: HashMap<(i64, String), i64> = HashMap::new();
    for chunk in split.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO events (project_id, notification_id, dedupe_key, kind, payload, created_at)
             VALUES {} ON CONFLICT (project_id, dedupe_key) DO NOTHING
             RETURNING id, project_id, dedupe_key",
            db.values_placeholders(chunk.len(), 6)
        );
        let mut query = sqlx::query(&sql);
        for (n, event, text) in chunk {
            query = query
                .bind(n.project_id)
                .bind(n.id)
                .bind(&event.dedupe_key)
                .bind(event.kind)
                .bind(text)
                .bind(now);
        }
        for row in query.fetch_all(&mut **tx).await? {
            let key = (row.try_get("project_id")?, row.try_get("dedupe_key")?);
            inserted.insert(key, row.try_get("id")?);
        }
    }
    // The same upstream id again (before, or earlier in this batch): already handled.
    let fresh: Vec<(&Stored, Event, String, i64)> = split
        .into_iter()
        .filter_map(|(n, event, text)| {
            let id = inserted.remove(&(n.project_id, event.dedupe_key.clone()))?;
            Some((n, event, text, id))
        })
        .collect();
    let mut statuses = Vec::new();
    for (n, event, _, _) in &fresh {
        match event.kind {
            "message" => {
                let message = &event.payload["messages"][0];
                timeline::record_inbound(tx, n.project_id, message, n.redact, now).await?
            }
            "status" => statuses.push((n.project_id, &event.payload["statuses"][0])),
            _ => {}
        }
    }
    timeline::record_statuses(db, tx, &statuses, now).await?;
    let lease_until = now + lease.as_millis() as i64;
    let mut dues = Vec::with_capacity(fresh.len());
    for chunk in fresh.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO deliveries (project_id, event_id, status, attempts, next_attempt_at,
             locked_until, created_at) VALUES {} RETURNING id",
            db.values_placeholders(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (n, _, _, event_id) in chunk {
            query = query
                .bind(n.project_id)
                .bind(*event_id)
                .bind("pending")
                .bind(0_i64)
                .bind(now)
                .bind(lease_until)
                .bind(now);
        }
        // Ids are handed out in the order the rows were given.
        let mut ids: Vec<i64> = query
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        ids.sort_unstable();
        for ((n, _, text, event_id), id) in chunk.iter().zip(ids) {
            dues.push(Due {
                id,
                project_id: n.project_id,
                event_id: *event_id,
                attempts: 0,
                created_at: now,
                payload: text.clone(),
                lease_until,
            });
        }
    }
    Ok(dues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_becomes_one_event_per_message_and_status() {
        let body = json!({
            "contacts": [{"profile": {"name": "Kerry"}, "wa_id": "15551234567"}],
            "messages": [{"from": "15551234567", "id": "ABG1", "type": "text", "text": {"body": "Hi"}}],
            "statuses": [{"id": "gBE1", "status": "delivered"}, {"id": "gBE1", "status": "read"}],
        });
        let split = events(7, &body);
        let keys: Vec<&str> = split.iter().map(|e| e.dedupe_key.as_str()).collect();
        assert_eq!(
            keys,
            ["message:ABG1", "status:gBE1:delivered", "status:gBE1:read"]
        );
        assert_eq!(split[0].payload["contacts"][0]["profile"]["name"], "Kerry");
        assert_eq!(
            events(8, &json!({"something": "else"}))[0].dedupe_key,
            "notification:8"
        );
    }
}
