//! The notification pipeline and customers' numbers are kept as long as the message log:
//! past the retention, raw notifications, events, deliveries, attempts and silent
//! contacts go; forwarding still retrying and recent ones stay.

use std::time::Duration;

use serde_json::json;

use crate::support::TestApp;
use crate::support::receiver::{Answer, Receiver};
use crate::support::upstream::{Partner, Upstream};

const DAY: i64 = rules::time::DAY_MS;

fn delivered(id: &str) -> serde_json::Value {
    json!({"statuses": [{
        "id": id,
        "recipient_id": "15551234567",
        "status": "delivered",
        "timestamp": "1700000000"
    }]})
}

#[tokio::test]
async fn forwarded_notifications_past_the_retention_go_and_retrying_or_recent_ones_stay() {
    // A failed attempt is tried again a day later.
    let app = TestApp::spawn_with(|s| {
        s.delivery.schedule.pauses = vec![Duration::from_secs(86_400)];
    })
    .await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    let receiver = Receiver::start(vec![Answer::Status(500)]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    // The first one's attempt fails, so it is being retried; the others are delivered.
    p.notify(&delivered("gRetrying")).await;
    receiver.wait_for(1, Duration::from_secs(5)).await;
    for id in ["gOld", "gRecent"] {
        p.notify(&delivered(id)).await;
    }
    receiver.wait_for(3, Duration::from_secs(5)).await;
    p.attempts_recorded(3).await;
    let db = p.app.services.db.pool();
    let (old, retrying) = ("status:gOld:delivered", "status:gRetrying:delivered");
    // Forty days pass for two of them.
    let long_ago = domain::platform::db::now_ms() - 40 * DAY;
    p.app.age_event(old, long_ago).await;
    p.app.age_event(retrying, long_ago).await;

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
        "SELECT (SELECT COUNT(*) FROM notifications),
                (SELECT COUNT(*) FROM deliveries),
                (SELECT COUNT(*) FROM delivery_attempts)",
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
