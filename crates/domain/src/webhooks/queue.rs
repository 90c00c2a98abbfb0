//! The forwarding queue, as the forwarder sees it: each event's delivery to the partner's
//! webhook, leased to one instance at a time (a lease that is not finished or renewed
//! simply runs out, and the delivery is claimed again), every attempt recorded, retried on
//! the schedule, and marked dead when the schedule is over.

use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::platform::db::now_ms;
use crate::webhooks::schedule::RetrySchedule;
use crate::{Db, Result};

/// A leased delivery with what to send.
#[derive(Clone, Debug)]
pub struct Due {
    pub id: i64,
    pub project_id: i64,
    pub event_id: i64,
    pub attempts: i64,
    pub created_at: i64,
    pub payload: String,
    /// This instance's lease on it runs out then (ms): no attempt may outlast it.
    pub lease_until: i64,
}

/// Claims up to `limit` due deliveries for `lock`, at most `room(project)` of each
/// project's (none while its endpoint is full), oldest due first within a project. Each
/// project's queue is read on its own index range, so a long backlog behind a hanging
/// webhook costs the other projects' claims nothing.
pub async fn claim(
    db: &Db,
    limit: i64,
    lock: Duration,
    room: impl Fn(i64) -> i64 + Send,
) -> Result<Vec<Due>> {
    let now = now_ms();
    let lease_until = now + lock.as_millis() as i64;
    let mut queues = due_projects(db, now).await?;
    // Which projects go first changes from claim to claim, so none waits behind the others.
    let first = if queues.is_empty() {
        0
    } else {
        rand::thread_rng().gen_range(0..queues.len())
    };
    queues.rotate_left(first);
    // Projects with room are asked, at most `limit` of them (each has a free due row, so
    // each gives at least one unless another instance takes it first); the outer limit
    // takes from the first ones.
    let takes: Vec<(i64, i64)> = queues
        .into_iter()
        .map(|p| (p, room(p).min(limit)))
        .filter(|(_, take)| *take > 0)
        .take(limit.max(0) as usize)
        .collect();
    if takes.is_empty() {
        return Ok(Vec::new());
    }
    let free = "status = 'pending' AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2)";
    // The outer condition re-checks each row, so two instances never claim one delivery;
    // on PostgreSQL they also skip each other's locked rows instead of waiting for them.
    // The picks are made once (a materialized CTE): PostgreSQL may otherwise run a locking
    // subquery again for each row it updates, and its limits stop holding.
    let skip_locked = if db.is_postgres() {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    // $1 and $2 are the claim's end and now; each project's pick binds its id and how many
    // it takes; the overall limit comes last.
    let picks: Vec<String> = (0..takes.len())
        .map(|i| {
            let (project, take) = (3 + 2 * i, 4 + 2 * i);
            format!(
                r"SELECT id FROM (SELECT id FROM deliveries WHERE project_id = ${project} AND {free}
                  ORDER BY next_attempt_at, id LIMIT ${take} {skip_locked}) AS q{i}"
            )
        })
        .collect();
    let limit_param = 3 + 2 * takes.len();
    let sql = format!(
        r"WITH picked AS MATERIALIZED (SELECT id FROM ({}) AS picks LIMIT ${limit_param})
          UPDATE deliveries SET locked_until = $1 WHERE id IN (SELECT id FROM picked) AND {free}
          RETURNING id, project_id, event_id, attempts, created_at",
        picks.join(" UNION ALL ")
    );
    let mut query = sqlx::query(&sql).bind(lease_until).bind(now);
    for (project, take) in &takes {
        query = query.bind(*project).bind(*take);
    }
    let rows = query.bind(limit).fetch_all(db.pool()).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let event_ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("event_id"))
        .collect::<std::result::Result<_, _>>()?;
    let sql = format!(
        "SELECT id, payload FROM events WHERE id IN ({})",
        Db::list_placeholders(1, event_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in &event_ids {
        query = query.bind(*id);
    }
    let payloads: std::collections::HashMap<i64, String> = query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("payload")?)))
        .collect::<Result<_>>()?;
    rows.iter()
        .map(|row| {
            let event_id: i64 = row.try_get("event_id")?;
            Ok(Due {
                id: row.try_get("id")?,
                project_id: row.try_get("project_id")?,
                event_id,
                attempts: row.try_get("attempts")?,
                created_at: row.try_get("created_at")?,
                payload: payloads.get(&event_id).cloned().unwrap_or_default(),
                lease_until,
            })
        })
        .collect()
}

/// Projects with a pending delivery due by `now` and not claimed: one index seek per
/// project with a queue (the walk jumps from project to project), whatever the queues'
/// lengths.
async fn due_projects(db: &Db, now: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "WITH RECURSIVE queued (project_id) AS (
             SELECT MIN(project_id) FROM deliveries WHERE status = 'pending'
             UNION ALL
             SELECT (SELECT MIN(d.project_id) FROM deliveries d WHERE d.status = 'pending' AND d.project_id > queued.project_id)
             FROM queued WHERE queued.project_id IS NOT NULL
         )
         SELECT project_id FROM queued
         WHERE project_id IS NOT NULL
           AND (SELECT MIN(d.next_attempt_at) FROM deliveries d
                WHERE d.status = 'pending' AND d.project_id = queued.project_id AND (d.locked_until IS NULL OR d.locked_until < $1)) <= $1",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<i64, _>("project_id")?))
        .collect()
}

/// Gives leases back without an attempt (the forwarder had no room for them).
pub async fn release(db: &Db, ids: &[i64]) -> Result<()> {
    set_leases(db, ids, None).await
}

/// Extends this instance's leases on deliveries still waiting in its memory.
pub async fn renew(db: &Db, ids: &[i64], until: i64) -> Result<()> {
    set_leases(db, ids, Some(until)).await
}

async fn set_leases(db: &Db, ids: &[i64], until: Option<i64>) -> Result<()> {
    for chunk in ids.chunks(500) {
        let sql = format!(
            "UPDATE deliveries SET locked_until = $1 WHERE status = 'pending' AND id IN ({})",
            Db::list_placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(until);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(db.pool()).await?;
    }
    Ok(())
}

/// What one attempt gave.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub url: String,
    pub http_status: Option<i64>,
    pub error: Option<String>,
    pub latency_ms: i64,
    /// At most the first 1 KB of the answer.
    pub response_excerpt: Option<String>,
}

impl Attempt {
    /// The attempt of a delivery whose project has no webhook (yet): retried on the
    /// schedule like any failure, so saving a URL is enough.
    pub fn no_webhook() -> Attempt {
        Attempt {
            error: Some(
                "No webhook URL is configured for this project: set one with POST /v1/configs/webhook."
                    .into(),
            ),
            ..Attempt::default()
        }
    }

    pub fn succeeded(&self) -> bool {
        self.error.is_none() && self.http_status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Records attempts and moves each delivery on (delivered, retried later, or dead), in
/// one transaction; returns each delivery's new status. Attempts go in as multi-row
/// inserts and the delivered ones (nearly all) in one update.
pub async fn finish(
    db: &Db,
    done: &[(Due, Attempt)],
    schedule: &RetrySchedule,
) -> Result<Vec<&'static str>> {
    let now = now_ms();
    let outcomes: Vec<(&'static str, i64)> = done
        .iter()
        .map(|(due, attempt)| {
            if attempt.succeeded() {
                ("delivered", now)
            } else {
                match schedule.next_attempt(due.attempts as usize + 1, due.created_at, now) {
                    Some(next) => ("pending", next),
                    None => ("dead", now),
                }
            }
        })
        .collect();
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    for chunk in done.chunks(100) {
        let sql = format!(
            "INSERT INTO delivery_attempts (delivery_id, at, url, http_status, error, latency_ms,
             response_excerpt) VALUES {}",
            db.values_placeholders(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (due, attempt) in chunk {
            query = query
                .bind(due.id)
                .bind(now)
                .bind(&attempt.url)
                .bind(attempt.http_status)
                .bind(&attempt.error)
                .bind(attempt.latency_ms)
                .bind(&attempt.response_excerpt);
        }
        query.execute(&mut *tx).await?;
    }
    let delivered: Vec<i64> = done
        .iter()
        .zip(&outcomes)
        .filter(|(_, (status, _))| *status == "delivered")
        .map(|((due, _), _)| due.id)
        .collect();
    for chunk in delivered.chunks(500) {
        let sql = format!(
            "UPDATE deliveries SET status = 'delivered', attempts = attempts + 1,
             next_attempt_at = $1, locked_until = NULL, delivered_at = $1 WHERE id IN ({})",
            Db::list_placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(now);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut *tx).await?;
    }
    for ((due, _), (status, next)) in done.iter().zip(&outcomes) {
        if *status == "delivered" {
            continue;
        }
        sqlx::query(
            "UPDATE deliveries SET status = $1, attempts = $2, next_attempt_at = $3,
             locked_until = NULL WHERE id = $4",
        )
        .bind(*status)
        .bind(due.attempts + 1)
        .bind(*next)
        .bind(due.id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(outcomes.into_iter().map(|(status, _)| status).collect())
}

/// Deliveries waiting to be forwarded (for the queue-depth metric).
pub async fn queue_depth(db: &Db) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'")
            .fetch_one(db.pool())
            .await?,
    )
}
