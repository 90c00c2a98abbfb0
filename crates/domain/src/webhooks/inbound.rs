//! Notifications from a project's upstream: the inbound URL's secret token, the durable
//! store that comes before the 200, and the processing after it (message log, statuses,
//! contacts' last-inbound time, one event per message or status, deliveries to forward).

use rand::RngCore;
use serde_json::{Value, json};
use sqlx::Row;
use subtle::ConstantTimeEq;

use crate::platform::db::now_ms;
use crate::projects::settings;
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

/// Whether `presented` is the project's inbound token (compared in constant time). Only
/// reads: a request for a project without a token yet changes nothing.
pub async fn token_matches(services: &Services, project_id: i64, presented: &str) -> Result<bool> {
    match stored_token(services, project_id).await? {
        Some(enc) if !enc.is_empty() => Ok(bool::from(
            services
                .secrets
                .decrypt(&enc)?
                .as_bytes()
                .ct_eq(presented.as_bytes()),
        )),
        _ => Ok(false),
    }
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

/// Processes up to `limit` stored notifications, oldest first, in one transaction;
/// returns how many.
pub async fn process_pending(services: &Services, limit: i64) -> Result<usize> {
    let postgres = services.db.is_postgres();
    // Several instances: on PostgreSQL each takes its own notifications (row locks,
    // skipping the others'); on SQLite writers take turns anyway, and an event processed
    // twice is one event (its dedupe key).
    let select = format!(
        "SELECT n.id, n.project_id, n.body, p.redact_bodies FROM notifications n JOIN projects p ON p.id = n.project_id
         WHERE n.processed_at IS NULL ORDER BY n.id LIMIT $1 {}",
        if postgres { "FOR UPDATE OF n SKIP LOCKED" } else { "" }
    );
    let mut tx = services.db.pool().begin().await?;
    let query = sqlx::query(&select).bind(limit);
    let rows = if postgres {
        query.fetch_all(&mut *tx).await?
    } else {
        query.fetch_all(services.db.pool()).await?
    };
    if rows.is_empty() {
        return Ok(0);
    }
    for row in &rows {
        let redact = row.try_get::<i64, _>("redact_bodies")? != 0;
        process_one(
            &mut tx,
            row.try_get("id")?,
            row.try_get("project_id")?,
            &row.try_get::<String, _>("body")?,
            redact,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

async fn process_one(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    project_id: i64,
    body: &str,
    redact: bool,
) -> Result<()> {
    let parsed: Value = serde_json::from_str(body).unwrap_or_else(|_| json!({"unparsed": body}));
    let now = now_ms();
    for event in events(id, &parsed) {
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO events (project_id, notification_id, dedupe_key, kind, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (project_id, dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(project_id)
        .bind(id)
        .bind(&event.dedupe_key)
        .bind(event.kind)
        .bind(event.payload.to_string())
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(event_id) = inserted else { continue }; // the same upstream id again: already handled
        match event.kind {
            "message" => {
                crate::messages::timeline::record_inbound(
                    tx,
                    project_id,
                    &event.payload["messages"][0],
                    redact,
                    now,
                )
                .await?
            }
            "status" => {
                crate::messages::timeline::record_status(
                    tx,
                    project_id,
                    &event.payload["statuses"][0],
                    now,
                )
                .await?
            }
            _ => {}
        }
        sqlx::query("INSERT INTO deliveries (project_id, event_id, status, attempts, next_attempt_at, created_at) VALUES ($1, $2, 'pending', 0, $3, $3)")
            .bind(project_id)
            .bind(event_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE notifications SET processed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
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
