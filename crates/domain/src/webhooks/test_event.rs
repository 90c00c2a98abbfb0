//! The console's "send test event" and webhook check: a notification shaped exactly as a
//! real On-Premises status (so it exercises the partner's parser), marked as a test by the
//! `X-Tujenge-Test: true` header, sent once through the same client as deliveries and
//! kept in the delivery log like any other (a failed test is not retried).

use std::time::Duration;

use serde_json::json;

use crate::platform::db::now_ms;
use crate::webhooks::config;
use crate::webhooks::queue::{self, Attempt, Due};
use crate::webhooks::schedule::RetrySchedule;
use crate::{Actor, Error, Result, Services};

/// The header that marks a test event.
pub const TEST_HEADER: &str = "X-Tujenge-Test";

/// Sends a test event to the project's saved webhook; the URL it went to and the attempt.
pub async fn send(
    services: &Services,
    actor: &Actor,
    project_id: i64,
) -> Result<(String, Attempt)> {
    config::get(services, actor, project_id).await?;
    let mut target = config::target(services, project_id)
        .await?
        .ok_or_else(|| Error::field("url", "Save a webhook URL first."))?;
    let now = now_ms();
    let payload = json!({"statuses": [{
        "id": format!("gBEGTEST{now}"),
        "recipient_id": "16315555555",
        "status": "sent",
        "timestamp": (now / 1000).to_string(),
    }]})
    .to_string();
    let due = record(services, project_id, &payload, now).await?;
    target
        .config
        .headers
        .insert(TEST_HEADER.into(), "true".into());
    let event = rules::webhooks::deliveries::event_name(due.event_id);
    let attempt = target.send(services, &event, &payload).await;
    let once = RetrySchedule {
        pauses: Vec::new(),
        give_up_after: Duration::ZERO,
    };
    queue::finish(&services.db, &[(due, attempt.clone())], &once).await?;
    Ok((target.config.url, attempt))
}

/// Keeps the test event as a notification, an event and a delivery held for this attempt.
async fn record(services: &Services, project_id: i64, payload: &str, now: i64) -> Result<Due> {
    let lease_until = now + services.webhooks.lease().as_millis() as i64;
    let mut tx = services.db.pool().begin().await?;
    let notification: i64 = sqlx::query_scalar(
        "INSERT INTO notifications (project_id, received_at, body, processed_at)
         VALUES ($1, $2, $3, $2) RETURNING id",
    )
    .bind(project_id)
    .bind(now)
    .bind(payload)
    .fetch_one(&mut *tx)
    .await?;
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO events (project_id, notification_id, dedupe_key, kind, payload, created_at)
         VALUES ($1, $2, $3, 'test', $4, $5) RETURNING id",
    )
    .bind(project_id)
    .bind(notification)
    .bind(format!("test:{notification}"))
    .bind(payload)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO deliveries (project_id, event_id, status, attempts, next_attempt_at,
         locked_until, created_at) VALUES ($1, $2, 'pending', 0, $3, $4, $3) RETURNING id",
    )
    .bind(project_id)
    .bind(event_id)
    .bind(now)
    .bind(lease_until)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Due {
        id,
        project_id,
        event_id,
        attempts: 0,
        created_at: now,
        payload: payload.to_owned(),
        lease_until,
    })
}
