//! The overview's numbers come from running counts; they must always equal what the
//! message log holds, through new rows, status notifications and purges.

use domain::messages::log::NewMessage;
use rules::Role;
use serde_json::{Value, json};

use crate::support::TestApp;

fn sent(project_id: i64, created_at: i64, wa_id: &str) -> NewMessage {
    NewMessage {
        created_at,
        project_id,
        direction: "outbound",
        decision: "accepted".into(),
        status: "accepted".into(),
        upstream_message_id: Some(wa_id.into()),
        ..Default::default()
    }
}

/// (delivered, pending, failed, received), summed over the chart's buckets.
type Outcomes = (i64, i64, i64, i64);

/// The outcomes summed over the chart's buckets, and the top codes with their counts.
fn numbers(overview: &Value) -> (Outcomes, Vec<(i64, i64)>) {
    let sum = |k: &str| {
        overview["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b[k].as_i64().unwrap())
            .sum::<i64>()
    };
    let codes = overview["top_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_i64().unwrap(), c[1].as_i64().unwrap()))
        .collect();
    (
        (
            sum("delivered"),
            sum("pending"),
            sum("failed"),
            sum("received"),
        ),
        codes,
    )
}

#[tokio::test]
async fn counts_follow_new_messages_statuses_and_purges() {
    // The server's own hourly purge would take the 40-day-old row whenever it runs; here
    // only the test purges.
    let app = TestApp::spawn_with(|s| s.gateway.message_retention_days = 3650).await;
    let org = app.org("Shop").await;
    let (project, other) = (
        app.project(org, "East", "255700000001").await,
        app.project(org, "West", "255700000002").await,
    );
    let now = domain::platform::db::now_ms();
    let day = rules::time::DAY_MS;
    let mut refused = sent(project, now - 60_000, "none");
    (
        refused.status,
        refused.error_codes,
        refused.upstream_message_id,
    ) = ("refused".into(), "470".into(), None);
    let rows = [
        sent(project, now - 1000, "w1"),
        sent(project, now - 2000, "w2"),
        refused,
        sent(other, now - 3000, "w3"),
        sent(project, now - 40 * day, "old"),
    ];
    domain::messages::log::insert_batch(&app.services.db, &rows)
        .await
        .unwrap();
    let not_valid = json!([{"code": 1013, "title": "User is not valid"}]);
    let inbound = json!({
        "statuses": [
            {"id": "w1", "status": "delivered"},
            {"id": "w1", "status": "read"},
            {"id": "w2", "status": "failed", "errors": not_valid}
        ],
        "messages": [{
            "from": "255712000001",
            "id": "in1",
            "type": "text",
            "text": {"body": "hi"},
            "timestamp": (now / 1000).to_string()
        }]
    })
    .to_string();
    domain::webhooks::inbound::store(&app.services.db, &[(project, inbound)])
        .await
        .unwrap();
    app.process_notifications().await;

    app.user("support@tujenge.test", Role::Support, None).await;
    let support = app.logged_in("support@tujenge.test").await;
    let week = support
        .call(
            "overview_stats",
            &[("range", "7d"), ("project", &project.to_string())],
        )
        .await
        .ok();
    assert_eq!(
        numbers(&week),
        ((1, 0, 2, 1), vec![(470, 1), (1013, 1)]),
        "read, refused + failed, one reply; the 40-day-old one is outside"
    );
    let everything = support
        .call("overview_stats", &[("range", "24h")])
        .await
        .ok();
    assert_eq!(numbers(&everything).0, (1, 1, 2, 1), "both projects");
    let month = support
        .call("overview_stats", &[("range", "30d")])
        .await
        .ok();
    assert_eq!(month["projects"].as_array().unwrap().len(), 2);

    // What the counts say equals what the log holds, per status.
    let from_log: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM messages GROUP BY status ORDER BY status")
            .fetch_all(app.services.db.pool())
            .await
            .unwrap();
    let from_counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, CAST(SUM(n) AS BIGINT) FROM message_counts
             GROUP BY status HAVING SUM(n) <> 0 ORDER BY status",
    )
    .fetch_all(app.services.db.pool())
    .await
    .unwrap();
    assert_eq!(from_counts, from_log);
    // The old message has a status timeline too: the purge takes it along.
    let old_status = format!(
        r#"{{"statuses":[{{"id":"old","status":"sent","timestamp":"{}"}}]}}"#,
        (now - 40 * day) / 1000
    );
    domain::webhooks::inbound::store(&app.services.db, &[(project, old_status)])
        .await
        .unwrap();
    app.process_notifications().await;
    domain::messages::retention::purge_messages_before(&app.services.db, now - 30 * day)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT CAST(SUM(n) AS BIGINT) FROM message_counts")
        .fetch_one(app.services.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 5, "the purged message is no longer counted");
}

#[tokio::test]
async fn metas_limits_are_counted_even_when_other_codes_are_more_frequent() {
    let app = TestApp::spawn().await;
    let org = app.org("Shop").await;
    let project = app.project(org, "East", "255700000001").await;
    let now = domain::platform::db::now_ms();
    let failed = |n: i64, codes: &str| NewMessage {
        status: "failed".into(),
        error_codes: codes.into(),
        ..sent(project, now - n * 1000, &format!("w{n}"))
    };
    // Eight ordinary codes twice each fill the top eight; one policy block is rarer.
    let mut rows: Vec<NewMessage> = (0..16)
        .map(|n| failed(n, &(1000 + n / 2).to_string()))
        .collect();
    rows.push(failed(20, "368"));
    rows.push(failed(21, "429,131056"));
    rows.push(failed(22, "429,131056"));
    domain::messages::log::insert_batch(&app.services.db, &rows)
        .await
        .unwrap();

    app.user("support@tujenge.test", Role::Support, None).await;
    let support = app.logged_in("support@tujenge.test").await;
    let day = support
        .call("overview_stats", &[("range", "24h")])
        .await
        .ok();
    assert_eq!(day["limits"], json!([[131056, 2], [131048, 0], [368, 1]]));
    let top = numbers(&day).1;
    assert_eq!(top.len(), 8);
    assert!(
        !top.iter().any(|(code, _)| *code == 368),
        "not among the top codes: {top:?}"
    );
    let page = support.visit("/").await.text().await.unwrap();
    assert!(page.contains("Meta holding numbers back"));
    assert!(page.contains("Temporarily blocked for policy violations"));
}
