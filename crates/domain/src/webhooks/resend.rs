//! Sending notifications again from the console (support included, like anyone who may
//! see the project): one now, its answer shown at once, or every failed one since a time
//! once the person has seen how many. Both are recorded in the audit log.

use rules::webhooks::deliveries::{DeliveryView, Resent, event_name};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change};
use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::webhooks::queue::{self, Attempt, Due};
use crate::webhooks::{config, deliveries};
use crate::{Actor, Error, Result, Services};

/// Sends one delivery again now, whatever its state, and answers it as it then stands
/// (delivered, retrying on the schedule, or still given up when the schedule is over).
pub async fn now(services: &Services, actor: &Actor, delivery_id: i64) -> Result<DeliveryView> {
    let project_id: i64 = sqlx::query_scalar("SELECT project_id FROM deliveries WHERE id = $1")
        .bind(delivery_id)
        .fetch_optional(services.db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    settings::get(services, actor, project_id).await?;
    let due = claim(services, delivery_id).await?.ok_or_else(|| {
        Error::field(
            "delivery",
            "This notification is being sent right now. Look again in a moment.",
        )
    })?;
    let attempt = match config::target(services, project_id).await? {
        Some(target) => {
            let event = event_name(due.event_id);
            target.send(services, &event, &due.payload).await
        }
        None => Attempt::no_webhook(),
    };
    let after = json!({"event": event_name(due.event_id), "answer": attempt.http_status});
    queue::finish(&services.db, &[(due, attempt)], &services.retries).await?;
    let change = Change {
        action: "delivery.resend",
        subject_type: "project",
        subject_id: Some(project_id),
        project_id: Some(project_id),
        after: Some(after),
        ..Change::default()
    };
    audit::record(services.db.pool(), actor, change).await?;
    deliveries::one(&services.db, project_id, delivery_id).await
}

/// Takes the delivery for this attempt, unless another attempt holds it.
async fn claim(services: &Services, delivery_id: i64) -> Result<Option<Due>> {
    let now = now_ms();
    let lease_until = now + services.webhooks.lease().as_millis() as i64;
    let taken = sqlx::query(
        "UPDATE deliveries SET locked_until = $1
         WHERE id = $2 AND (locked_until IS NULL OR locked_until < $3)",
    )
    .bind(lease_until)
    .bind(delivery_id)
    .bind(now)
    .execute(services.db.pool())
    .await?
    .rows_affected();
    if taken == 0 {
        return Ok(None);
    }
    let row = sqlx::query(
        r"SELECT d.id, d.project_id, d.event_id, d.attempts, d.created_at, e.payload
          FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = $1",
    )
    .bind(delivery_id)
    .fetch_one(services.db.pool())
    .await?;
    Ok(Some(Due {
        id: row.try_get("id")?,
        project_id: row.try_get("project_id")?,
        event_id: row.try_get("event_id")?,
        attempts: row.try_get("attempts")?,
        created_at: row.try_get("created_at")?,
        payload: row.try_get("payload")?,
        lease_until,
    }))
}

/// The project's retrying or given-up deliveries created since `since`.
const FAILED_SINCE: &str = "project_id = $1 AND created_at >= $2
    AND (status = 'dead' OR (status = 'pending' AND attempts > 0))";

/// Every failed delivery (retrying or given up) of a project created since `since`: how
/// many there are, and once `confirmed`, all of them queued to be sent now.
pub async fn failed_since(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    since: i64,
    confirmed: bool,
) -> Result<Resent> {
    settings::get(services, actor, project_id).await?;
    if !confirmed {
        let count: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM deliveries WHERE {FAILED_SINCE}"
        ))
        .bind(project_id)
        .bind(since)
        .fetch_one(services.db.pool())
        .await?;
        return Ok(Resent {
            count: count.max(0) as u64,
            queued: false,
            since,
            day: String::new(),
        });
    }
    let mut tx = services.db.pool().begin().await?;
    let count = sqlx::query(&format!(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = $3, locked_until = NULL
         WHERE {FAILED_SINCE}"
    ))
    .bind(project_id)
    .bind(since)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let change = Change {
        action: "deliveries.resend",
        subject_type: "project",
        subject_id: Some(project_id),
        project_id: Some(project_id),
        after: Some(json!({"since": rules::time::iso_utc(since), "count": count})),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    Ok(Resent {
        count,
        queued: true,
        since,
        day: String::new(),
    })
}
