//! Error-code counts cover the caller's projects only and match whole codes.

use domain::messages::log::NewMessage;
use rules::Role;
use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn counts_are_per_organization_and_match_whole_codes() {
    let app = TestApp::spawn().await;
    let (org_a, org_b) = (app.org("A").await, app.org("B").await);
    let (pa, pb) = (
        app.project(org_a, "A", "255700000001").await,
        app.project(org_b, "B", "255700000002").await,
    );
    let now = domain::platform::db::now_ms();
    let row = |project_id, codes: &str, age_ms: i64| NewMessage {
        created_at: now - age_ms,
        project_id,
        direction: "outbound",
        decision: "accepted".into(),
        status: "failed".into(),
        error_codes: codes.into(),
        ..Default::default()
    };
    // Around the 24-hour edge (read from the log) and days back (read from hourly counts).
    let (day, minute) = (rules::time::DAY_MS, rules::time::MINUTE_MS);
    let rows = [
        row(pa, "470", 0),
        row(pa, "470", day - minute),
        row(pa, "470", day + minute),
        row(pa, "1013,470", 2 * day),
        row(pa, "470", 8 * day),
        row(pb, "470", 0),
        row(pa, "1013", 0),
    ];
    domain::messages::log::insert_batch(&app.services.db, &rows)
        .await
        .unwrap();
    app.user("a@a.test", Role::Partner, Some(org_a)).await;
    app.user("admin@tujenge.test", Role::Admin, None).await;

    let partner = app.logged_in("a@a.test").await;
    let counts = |v: Value| {
        (
            v["last_day"].as_i64().unwrap(),
            v["last_week"].as_i64().unwrap(),
        )
    };
    assert_eq!(
        counts(
            partner
                .call("error_code_counts", &[("code", "470")])
                .await
                .ok()
        ),
        (2, 4)
    );
    assert_eq!(
        counts(
            partner
                .call("error_code_counts", &[("code", "101")])
                .await
                .ok()
        ),
        (0, 0),
        "101 is not 1013"
    );
    let admin = app.logged_in("admin@tujenge.test").await;
    assert_eq!(
        counts(
            admin
                .call("error_code_counts", &[("code", "470")])
                .await
                .ok()
        ),
        (3, 5)
    );
    // The counts link to exactly those messages.
    let page = partner.get("/error-codes/470").await.text().await.unwrap();
    let href = page
        .split("href=\"")
        .map(|s| &s[..s.find('"').unwrap_or(0)])
        .find(|h| h.starts_with("/messages?code=470"))
        .unwrap()
        .replace("&amp;", "&");
    let listed = partner
        .get(&href)
        .await
        .text()
        .await
        .unwrap()
        .matches("aria-label=\"Trace of message ")
        .count();
    assert_eq!(
        listed, 2,
        "the last-24-hours link lists those two messages: {href}"
    );
}
