//! The notification pipeline and customers' numbers are kept as long as the message log:
//! past the retention, raw notifications, events, deliveries, attempts and silent
//! contacts go; forwarding still retrying and recent ones stay.

use std::time::Duration;

use serde_json::json;

use crate::support::receiver::Receiver;
use crate::support::upstream::Partner;

const DAY: i64 = 86_400_000;

#[tokio::test]
async fn forwarded_notifications_past_the_retention_go_and_retrying_or_recent_ones_stay() {
    let p = Partner::new().await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    for id in ["gOld", "gRetrying", "gRecent"] {
        p.notify(&json!({"statuses": [{"id": id, "recipient_id": "15551234567", "status": "delivered", "timestamp": "1700000000"}]})).await;
    }
    receiver.wait_for(3, Duration::from_secs(5)).await;
    p.attempts_recorded(3).await;
    let db = p.app.services.db.pool();
    let (old, retrying) = ("status:gOld:delivered", "status:gRetrying:delivered");
    // Forty days pass for two of them; the second is being retried again.
    let long_ago = domain::platform::db::now_ms() - 40 * DAY;
    sqlx::query("UPDATE notifications SET received_at = $1 WHERE id IN (SELECT notification_id FROM events WHERE dedupe_key IN ($2, $3))")
        .bind(long_ago).bind(old).bind(retrying).execute(db).await.unwrap();
    sqlx::query("UPDATE events SET created_at = $1 WHERE dedupe_key IN ($2, $3)")
        .bind(long_ago)
        .bind(old)
        .bind(retrying)
        .execute(db)
        .await
        .unwrap();
    sqlx::query("UPDATE deliveries SET status = 'pending', next_attempt_at = $1 WHERE event_id = (SELECT id FROM events WHERE dedupe_key = $2)")
        .bind(domain::platform::db::now_ms() + DAY).bind(retrying).execute(db).await.unwrap();

    // (The server's own hourly purge may get there first; either way the same rows go.)
    domain::messages::retention::purge_before(
        &p.app.services.db,
        domain::platform::db::now_ms() - 30 * DAY,
    )
    .await
    .unwrap();

    let events: Vec<String> = sqlx::query_scalar("SELECT dedupe_key FROM events ORDER BY id")
        .fetch_all(db)
        .await
        .unwrap();
    assert_eq!(events, [retrying, "status:gRecent:delivered"]);
    let left: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM notifications), (SELECT COUNT(*) FROM deliveries), (SELECT COUNT(*) FROM delivery_attempts)",
    )
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(
        left,
        (2, 2, 2),
        "the old one's notification, delivery and attempt are gone"
    );
}

#[tokio::test]
async fn a_customer_silent_since_before_the_retention_is_no_longer_kept() {
    let p = Partner::new().await;
    let db = &p.app.services.db;
    let now = domain::platform::db::now_ms();
    domain::messages::contacts::record_inbound(
        db.pool(),
        p.project_id,
        "15550000001",
        now - 40 * DAY,
    )
    .await
    .unwrap();
    domain::messages::contacts::record_inbound(db.pool(), p.project_id, "15550000002", now - DAY)
        .await
        .unwrap();

    // (The server's own hourly purge may get there first; either way the old one goes.)
    domain::messages::retention::purge_before(db, now - 30 * DAY)
        .await
        .unwrap();

    assert_eq!(
        domain::messages::contacts::last_inbound(db, p.project_id, "15550000001")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        domain::messages::contacts::last_inbound(db, p.project_id, "15550000002")
            .await
            .unwrap(),
        Some(now - DAY)
    );
}
