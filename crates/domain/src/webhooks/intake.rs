//! The intake's group commit: what upstreams posted (an On-Premises client's
//! notifications, Meta's posts split by change) stored and processed in one transaction —
//! the notification rows, their events, the message log's statuses, Meta's other changes,
//! and the deliveries to forward, leased to this instance so that it sends them at once
//! from memory. One disk flush for many posts; the next write is the attempt's outcome.

use std::collections::HashMap;
use std::time::Duration;

use sqlx::Row;

use crate::cloud::intake::{Split, keep};
use crate::platform::db::now_ms;
use crate::webhooks::inbound::{ROWS, Stored, process};
use crate::webhooks::queue::Due;
use crate::{Db, Result};

/// Stores and processes `posts` in one transaction; returns the deliveries they made,
/// leased for `lease`. Once this returns, every post may be acknowledged.
pub async fn take(db: &Db, posts: &[Split], lease: Duration) -> Result<Vec<Due>> {
    let redact = redacting(db, posts).await?;
    let now = now_ms();
    let received: Vec<&(i64, String)> = posts.iter().flat_map(|p| &p.notifications).collect();
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    let mut stored = Vec::with_capacity(received.len());
    for chunk in received.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO notifications (project_id, received_at, body, processed_at) VALUES {}
             RETURNING id",
            db.values_placeholders(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (project_id, body) in chunk {
            query = query
                .bind(*project_id)
                .bind(now)
                .bind(body.as_str())
                .bind(now);
        }
        // Ids are handed out in the order the rows were given.
        let mut ids: Vec<i64> = query
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        ids.sort_unstable();
        for ((project_id, body), id) in chunk.iter().zip(ids) {
            stored.push(Stored {
                id,
                project_id: *project_id,
                redact: redact.get(project_id).copied().unwrap_or(false),
                body: body.clone(),
            });
        }
    }
    let dues = process(db, &mut tx, &stored, now, lease).await?;
    for kept in posts.iter().flat_map(|p| &p.kept) {
        keep(&mut tx, kept, now).await?;
    }
    tx.commit().await?;
    Ok(dues)
}

/// Stores `posts` as they came, unprocessed, in one transaction: what the intake does when
/// processing failed, so that nothing is refused that can be kept (the processor takes
/// them up).
pub async fn store(db: &Db, posts: &[Split]) -> Result<()> {
    let now = now_ms();
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    for post in posts {
        for (project_id, body) in &post.notifications {
            sqlx::query(
                "INSERT INTO notifications (project_id, received_at, body) VALUES ($1, $2, $3)",
            )
            .bind(project_id)
            .bind(now)
            .bind(body)
            .execute(&mut *tx)
            .await?;
        }
        for kept in &post.kept {
            keep(&mut tx, kept, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Which of the posts' projects keep no message bodies.
async fn redacting(db: &Db, posts: &[Split]) -> Result<HashMap<i64, bool>> {
    let mut projects: Vec<i64> = posts
        .iter()
        .flat_map(|p| p.notifications.iter().map(|(project, _)| *project))
        .collect();
    projects.sort_unstable();
    projects.dedup();
    if projects.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT id, redact_bodies FROM projects WHERE id IN ({})",
        Db::list_placeholders(1, projects.len())
    );
    let mut query = sqlx::query(&sql);
    for project in &projects {
        query = query.bind(*project);
    }
    query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get::<i64, _>("redact_bodies")? != 0)))
        .collect()
}
