//! Times in the viewer's zone: the browser says its zone in the `tz` cookie; typed times
//! (the messages filter, the CSV export) are read in it and the overview's chart is drawn
//! in it. Without the cookie everything is UTC.

use rules::Role;

use super::messages::{csv_ids, message};
use crate::support::{Browser, TestApp};

/// The ids the CSV export lists for `query`, as a browser in `zone` asks.
async fn ids_in(browser: &Browser, zone: &str, query: &str) -> Vec<i64> {
    browser.set_cookie(&format!("tz={zone}; Path=/"));
    csv_ids(browser, query).await
}

#[tokio::test]
async fn typed_times_are_read_in_the_viewers_zone() {
    let app = TestApp::spawn().await;
    let org = app.org("Shop").await;
    let project = app.project(org, "East", "255700000001").await;
    // 10:00 UTC is 13:00 in Nairobi.
    let at = rules::time::parse_datetime("2026-11-25T10:00").unwrap();
    let row = message((
        project,
        at,
        "outbound",
        "255712000001",
        "text",
        "sent",
        "",
        "{}",
    ));
    domain::messages::log::insert_batch(&app.services.db, &[row])
        .await
        .unwrap();
    app.user("support@tujenge.test", Role::Support, None).await;
    let support = app.logged_in("support@tujenge.test").await;

    let from_noon = "from=2026-11-25T12:00";
    assert_eq!(ids_in(&support, "UTC", from_noon).await, Vec::<i64>::new());
    assert_eq!(
        ids_in(&support, "Africa/Nairobi", from_noon).await.len(),
        1,
        "noon in Nairobi is before 13:00 there"
    );
    let to_the_minute = "to=2026-11-25T13:00";
    assert_eq!(
        ids_in(&support, "Africa/Nairobi", to_the_minute)
            .await
            .len(),
        1,
        "'to 13:00' includes that minute"
    );
    // A day in Los Angeles (UTC-8) runs 08:00 UTC to 08:00 the next day.
    assert_eq!(
        ids_in(
            &support,
            "America/Los_Angeles",
            "from=2026-11-25&to=2026-11-25"
        )
        .await
        .len(),
        1
    );
    assert!(
        ids_in(&support, "America/Los_Angeles", "to=2026-11-24")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn the_overview_chart_is_drawn_in_the_viewers_zone() {
    let app = TestApp::spawn().await;
    let org = app.org("Shop").await;
    app.project(org, "East", "255700000001").await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let admin = app.logged_in("admin@tujenge.test").await;
    let labels = |zone: &'static str| {
        let admin = &admin;
        async move {
            admin.set_cookie(&format!("tz={zone}; Path=/"));
            let overview = admin.call("overview_stats", &[("range", "24h")]).await.ok();
            overview["buckets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["label"].as_str().unwrap().to_owned())
                .collect::<Vec<String>>()
        }
    };
    let (utc, kolkata) = (labels("UTC").await, labels("Asia/Kolkata").await);
    assert_eq!(utc.len(), 24);
    let hour = |label: &str| label[..2].parse::<i64>().unwrap();
    assert_eq!(
        (hour(&utc[0]) + 5) % 24,
        hour(&kolkata[0]) % 24,
        "{utc:?} / {kolkata:?}"
    );
    assert!(kolkata.iter().all(|l| l.ends_with(":30")), "{kolkata:?}");

    let week = admin.get("/?range=7d").await.text().await.unwrap();
    assert!(
        week.contains("Times in Asia/Kolkata"),
        "the chart names its zone"
    );
}
