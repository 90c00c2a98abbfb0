//! How long what the gateway records is kept: the message log, the notification pipeline
//! behind it (raw notifications, their events, deliveries and attempts) and the customers'
//! numbers (last inbound message per contact), for the same number of days. Deleted
//! oldest first in small transactions, so partners' requests (which wait for their log
//! row) and stored notifications never wait long behind it.

use std::time::Duration;

use crate::messages::counts;
use crate::{Db, Result};

/// Rows a purge transaction deletes at most.
const CHUNK: i64 = 250;
/// Room left for other writers between two purge transactions.
const PAUSE: Duration = Duration::from_millis(5);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub messages: u64,
    pub events: u64,
    pub notifications: u64,
    pub contacts: u64,
    /// What Meta posted that was kept for the console (not forwarded).
    pub meta_changes: u64,
}

/// Deletes what was recorded before `cutoff` (UTC ms). Forwarding still under way (a
/// pending delivery, retrying) is kept until it ends, however old.
pub async fn purge_before(db: &Db, cutoff: i64) -> Result<Purged> {
    Ok(Purged {
        messages: purge_messages_before(db, cutoff).await?,
        events: events_before(db, cutoff).await?,
        notifications: notifications_before(db, cutoff).await?,
        contacts: contacts_before(db, cutoff).await?,
        meta_changes: meta_changes_before(db, cutoff).await?,
    })
}

/// Deletes messages older than `cutoff`; returns how many.
pub async fn purge_messages_before(db: &Db, cutoff: i64) -> Result<u64> {
    // Whole hours only, so the counts of the hour holding the cutoff stay right.
    let cutoff = cutoff.div_euclid(counts::HOUR_MS) * counts::HOUR_MS;
    // An hour's worth of rows at once would hold the write lock for seconds, and the
    // gateway answers a partner only once its log row is written: small transactions,
    // the oldest rows first, with room for other writers between them (`CHUNK`, `PAUSE`).
    let oldest = "SELECT id FROM messages WHERE created_at < $1 ORDER BY created_at, id LIMIT $2";
    let mut purged = 0;
    loop {
        let mut tx = db.pool().begin().await?;
        // Their status timelines first (they reference the rows).
        sqlx::query(&format!(
            "DELETE FROM message_events WHERE message_id IN ({oldest})"
        ))
        .bind(cutoff)
        .bind(CHUNK)
        .execute(&mut *tx)
        .await?;
        let deleted = sqlx::query(&format!("DELETE FROM messages WHERE id IN ({oldest})"))
            .bind(cutoff)
            .bind(CHUNK)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        purged += deleted;
        if deleted == 0 {
            break;
        }
        tokio::time::sleep(PAUSE).await;
    }
    counts::purge_before(db.pool(), cutoff).await?;
    Ok(purged)
}

/// Events whose forwarding is over (delivered or given up), with their deliveries and
/// attempts.
async fn events_before(db: &Db, cutoff: i64) -> Result<u64> {
    let mut purged = 0;
    loop {
        let mut tx = db.pool().begin().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT e.id FROM events e WHERE e.created_at < $1
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
             ORDER BY e.created_at, e.id LIMIT $2",
        )
        .bind(cutoff)
        .bind(CHUNK)
        .fetch_all(&mut *tx)
        .await?;
        if ids.is_empty() {
            return Ok(purged);
        }
        let list = (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        for sql in [
            format!(
                "DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IN ({list}))"
            ),
            format!("DELETE FROM deliveries WHERE event_id IN ({list})"),
            format!("DELETE FROM events WHERE id IN ({list})"),
        ] {
            let mut query = sqlx::query(&sql);
            for id in &ids {
                query = query.bind(id);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        purged += ids.len() as u64;
        tokio::time::sleep(PAUSE).await;
    }
}

/// Raw notifications that are processed and have no event left.
async fn notifications_before(db: &Db, cutoff: i64) -> Result<u64> {
    delete_in_chunks(
        db,
        cutoff,
        "DELETE FROM notifications WHERE id IN (
           SELECT n.id FROM notifications n
           WHERE n.received_at < $1 AND n.processed_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM events e WHERE e.notification_id = n.id)
           ORDER BY n.received_at, n.id LIMIT $2)",
    )
    .await
}

/// Meta's template and number updates, and notifications for unknown numbers.
async fn meta_changes_before(db: &Db, cutoff: i64) -> Result<u64> {
    delete_in_chunks(
        db,
        cutoff,
        "DELETE FROM meta_changes WHERE id IN (
           SELECT id FROM meta_changes WHERE received_at < $1 ORDER BY received_at, id LIMIT $2)",
    )
    .await
}

/// Customers who have not written since the cutoff: their number is no longer kept (their
/// 24-hour window closed long ago; a new message from them records them again).
async fn contacts_before(db: &Db, cutoff: i64) -> Result<u64> {
    delete_in_chunks(
        db,
        cutoff,
        "DELETE FROM contacts WHERE (project_id, wa_id) IN (
           SELECT project_id, wa_id FROM contacts WHERE last_inbound_at < $1 ORDER BY last_inbound_at LIMIT $2)",
    )
    .await
}

/// Runs `delete` (`$1`: the cutoff, `$2`: at most how many rows) until it deletes nothing.
async fn delete_in_chunks(db: &Db, cutoff: i64, delete: &str) -> Result<u64> {
    let mut purged = 0;
    loop {
        let deleted = sqlx::query(delete)
            .bind(cutoff)
            .bind(CHUNK)
            .execute(db.pool())
            .await?
            .rows_affected();
        if deleted == 0 {
            return Ok(purged);
        }
        purged += deleted;
        tokio::time::sleep(PAUSE).await;
    }
}
