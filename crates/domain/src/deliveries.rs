//! The forwarding queue: each event's delivery to the partner's webhook, claimed by one
//! worker at a time (a claim that is not finished simply runs out), every attempt recorded,
//! retried on a schedule with jitter, and marked dead when the schedule is over.

use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::db::now_ms;
use crate::{Actor, Db, Error, Result, Services, projects};

/// When to try again after each failure, and when to give up.
#[derive(Clone, Debug)]
pub struct RetrySchedule {
    /// Pause after the 1st, 2nd, ... failure; the last one repeats.
    pub pauses: Vec<Duration>,
    /// Counted from the delivery's creation.
    pub give_up_after: Duration,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        let m = |n: u64| Duration::from_secs(60 * n);
        RetrySchedule {
            pauses: vec![
                Duration::from_secs(5),
                m(1),
                m(5),
                m(30),
                m(120),
                m(360),
                m(720),
            ],
            give_up_after: Duration::from_secs(3 * 86_400),
        }
    }
}

impl RetrySchedule {
    /// Parses "5s,1m,5m,30m,2h,6h,12h".
    pub fn parse_pauses(text: &str) -> std::result::Result<Vec<Duration>, String> {
        text.split(',').map(|p| parse_duration(p.trim())).collect()
    }

    /// The next attempt time after `failures` failures, or `None` when it is time to give up.
    pub fn next_attempt(&self, failures: usize, created_at: i64, now: i64) -> Option<i64> {
        let pause = self
            .pauses
            .get(failures.saturating_sub(1))
            .or(self.pauses.last())?;
        let jitter = rand::thread_rng().gen_range(0.8..1.2);
        let next = now + (pause.as_millis() as f64 * jitter) as i64;
        (next - created_at <= self.give_up_after.as_millis() as i64).then_some(next)
    }
}

pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration like 5s, 10m, 2h or 3d"))?;
    let secs = match unit {
        "ms" => return Ok(Duration::from_millis(n)),
        "s" | "" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("'{text}': use ms, s, m, h or d")),
    };
    Ok(Duration::from_secs(secs))
}

/// A claimed delivery with what to send.
#[derive(Clone, Debug)]
pub struct Due {
    pub id: i64,
    pub project_id: i64,
    pub event_id: i64,
    pub attempts: i64,
    pub created_at: i64,
    pub payload: String,
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
    let picks: Vec<String> = takes
        .iter()
        .enumerate()
        .map(|(i, (project, take))| {
            format!("SELECT id FROM (SELECT id FROM deliveries WHERE project_id = {project} AND {free} ORDER BY next_attempt_at, id LIMIT {take} {skip_locked}) AS q{i}")
        })
        .collect();
    let rows = sqlx::query(&format!(
        "WITH picked AS MATERIALIZED (SELECT id FROM ({}) AS picks LIMIT {limit})
         UPDATE deliveries SET locked_until = $1 WHERE id IN (SELECT id FROM picked) AND {free}
         RETURNING id, project_id, event_id, attempts, created_at",
        picks.join(" UNION ALL ")
    ))
    .bind(now + lock.as_millis() as i64)
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let event_ids: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("event_id").map(|id| id.to_string()))
        .collect::<std::result::Result<_, _>>()?;
    let payloads: std::collections::HashMap<i64, String> = sqlx::query(&format!(
        "SELECT id, payload FROM events WHERE id IN ({})",
        event_ids.join(",")
    ))
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

/// Gives claims back without an attempt (the worker had no room for them).
pub async fn release(db: &Db, ids: &[i64]) -> Result<()> {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query(&format!(
        "UPDATE deliveries SET locked_until = NULL WHERE id IN ({list})"
    ))
    .execute(db.pool())
    .await?;
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
    pub fn succeeded(&self) -> bool {
        self.error.is_none() && self.http_status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Records attempts and moves each delivery on (delivered, retried later, or dead), in
/// one transaction; returns each delivery's new status.
pub async fn finish(
    db: &Db,
    done: &[(Due, Attempt)],
    schedule: &RetrySchedule,
) -> Result<Vec<&'static str>> {
    let mut tx = db.pool().begin().await?;
    let mut statuses = Vec::with_capacity(done.len());
    for (due, attempt) in done {
        statuses.push(finish_one(&mut tx, due, attempt, schedule).await?);
    }
    tx.commit().await?;
    Ok(statuses)
}

async fn finish_one(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    due: &Due,
    attempt: &Attempt,
    schedule: &RetrySchedule,
) -> Result<&'static str> {
    let now = now_ms();
    sqlx::query("INSERT INTO delivery_attempts (delivery_id, at, url, http_status, error, latency_ms, response_excerpt) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(due.id)
        .bind(now)
        .bind(&attempt.url)
        .bind(attempt.http_status)
        .bind(&attempt.error)
        .bind(attempt.latency_ms)
        .bind(&attempt.response_excerpt)
        .execute(&mut **tx)
        .await?;
    let attempts = due.attempts + 1;
    let (status, next) = if attempt.succeeded() {
        ("delivered", now)
    } else {
        match schedule.next_attempt(attempts as usize, due.created_at, now) {
            Some(next) => ("pending", next),
            None => ("dead", now),
        }
    };
    sqlx::query("UPDATE deliveries SET status = $1, attempts = $2, next_attempt_at = $3, locked_until = NULL, delivered_at = $4 WHERE id = $5")
        .bind(status)
        .bind(attempts)
        .bind(next)
        .bind((status == "delivered").then_some(now))
        .bind(due.id)
        .execute(&mut **tx)
        .await?;
    Ok(status)
}

/// Deliveries waiting to be forwarded (for the queue-depth metric).
pub async fn queue_depth(db: &Db) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'")
            .fetch_one(db.pool())
            .await?,
    )
}

/// Sends one delivery again, now, whatever its state.
pub async fn resend(services: &Services, actor: &Actor, delivery_id: i64) -> Result<()> {
    let project_id: i64 = sqlx::query_scalar("SELECT project_id FROM deliveries WHERE id = $1")
        .bind(delivery_id)
        .fetch_optional(services.db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    // Anyone who may see the project may replay its deliveries (support included).
    projects::get(services, actor, project_id).await?;
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
    projects::get(services, actor, project_id).await?;
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
    projects::get(services, actor, project_id).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_schedules() {
        assert_eq!(
            RetrySchedule::parse_pauses("5s,1m,2h,3d,250ms").unwrap(),
            [5, 60, 7200, 259_200]
                .map(Duration::from_secs)
                .into_iter()
                .chain([Duration::from_millis(250)])
                .collect::<Vec<_>>()
        );
        assert!(RetrySchedule::parse_pauses("5x").is_err());
    }

    #[test]
    fn backs_off_with_jitter_and_gives_up_after_the_limit() {
        let s = RetrySchedule::default();
        let first = s.next_attempt(1, 0, 0).unwrap();
        assert!((4_000..=6_000).contains(&first), "{first}");
        let second = s.next_attempt(2, 0, 0).unwrap();
        assert!((48_000..=72_000).contains(&second), "{second}");
        let late = s.next_attempt(20, 0, 2 * 86_400_000).unwrap();
        assert!(late - 2 * 86_400_000 >= 9 * 3_600_000, "12 h pauses repeat");
        assert_eq!(
            s.next_attempt(20, 0, 3 * 86_400_000),
            None,
            "dead after 3 days"
        );
    }
}
