//! Rows written straight to the database, for the states no door of the product reaches
//! in a test's time: deliveries due at a chosen moment, notifications from weeks ago. Every
//! other set-up goes through the domain, as the console and the gateway do.

use super::TestApp;

impl TestApp {
    /// A pending delivery of `project` due at `due_at` (with its notification, already
    /// processed, and a status event whose payload is `{}`), as inbound processing queues
    /// one; returns its id. The queue's claim order is about due times, which only this can
    /// choose. (An unprocessed notification would be processed by the server into one more
    /// delivery, racing the test.)
    pub async fn queue_delivery(&self, project: i64, due_at: i64) -> i64 {
        let db = self.services.db.pool();
        let notification: i64 = sqlx::query_scalar(
            "INSERT INTO notifications (project_id, received_at, body, processed_at)
             VALUES ($1, $2, '{}', $2) RETURNING id",
        )
        .bind(project)
        .bind(due_at)
        .fetch_one(db)
        .await
        .unwrap();
        let event: i64 = sqlx::query_scalar(
            "INSERT INTO events (project_id, notification_id, dedupe_key, kind, payload, created_at)
             VALUES ($1, $2, $3, 'status', '{}', $4) RETURNING id",
        )
        .bind(project)
        .bind(notification)
        .bind(format!("status:{notification}"))
        .bind(due_at)
        .fetch_one(db)
        .await
        .unwrap();
        sqlx::query_scalar(
            "INSERT INTO deliveries (project_id, event_id, status, next_attempt_at, created_at)
             VALUES ($1, $2, 'pending', $3, $3) RETURNING id",
        )
        .bind(project)
        .bind(event)
        .bind(due_at)
        .fetch_one(db)
        .await
        .unwrap()
    }

    /// Moves the event `dedupe_key` and the notification it came from back to `at`, as if
    /// they had been received then.
    pub async fn age_event(&self, dedupe_key: &str, at: i64) {
        let db = self.services.db.pool();
        sqlx::query(
            "UPDATE notifications SET received_at = $1
             WHERE id = (SELECT notification_id FROM events WHERE dedupe_key = $2)",
        )
        .bind(at)
        .bind(dedupe_key)
        .execute(db)
        .await
        .unwrap();
        let aged = sqlx::query("UPDATE events SET created_at = $1 WHERE dedupe_key = $2")
            .bind(at)
            .bind(dedupe_key)
            .execute(db)
            .await
            .unwrap();
        assert_eq!(aged.rows_affected(), 1, "the event {dedupe_key} exists");
    }
}
