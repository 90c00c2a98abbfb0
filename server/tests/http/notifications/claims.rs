//! Claiming due deliveries: each project's queue is read on its own, so a full endpoint's
//! backlog is left where it is, every project gets at most its room, oldest due first.

use std::time::Duration;

use domain::platform::db::now_ms;
use domain::webhooks::queue::{Due, claim};

use crate::support::TestApp;

const LOCK: Duration = Duration::from_secs(30);

/// A server whose own forwarder never claims (no slots), so only the test does.
async fn quiet_app() -> TestApp {
    TestApp::spawn_with(|s| s.delivery.total = 0).await
}

/// An organization `name` with one project per entry of `queues`, each with that many
/// deliveries due a few seconds ago; returns the projects.
async fn projects_with_queues(app: &TestApp, name: &str, queues: &[usize]) -> Vec<i64> {
    let org = app.org(name).await;
    let now = now_ms();
    let mut projects = Vec::new();
    for (i, length) in queues.iter().enumerate() {
        let project = app
            .project(
                org,
                &format!("{name} {i}"),
                &format!("2557{:08}", org * 100 + i as i64),
            )
            .await;
        for k in 0..*length {
            app.queue_delivery(project, now - 5_000 + k as i64).await;
        }
        projects.push(project);
    }
    projects
}

fn ids(claimed: &[Due]) -> Vec<i64> {
    let mut ids: Vec<i64> = claimed.iter().map(|d| d.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_full_endpoints_backlog_is_skipped_and_each_project_gets_its_room_oldest_first() {
    let app = quiet_app().await;
    let org = app.org("Queues").await;
    let (backlog, other) = (
        app.project(org, "Backlog", "255700000001").await,
        app.project(org, "Other", "255700000002").await,
    );
    let db = &app.services.db;
    let now = now_ms();
    let mut waiting = Vec::new();
    for i in 0..30 {
        waiting.push(app.queue_delivery(backlog, now - 60_000 + i).await);
    }
    let fresh = vec![
        app.queue_delivery(other, now - 1_000).await,
        app.queue_delivery(other, now - 999).await,
        app.queue_delivery(other, now - 998).await,
    ];
    let not_yet = app.queue_delivery(other, now + 60_000).await;

    // The backlog's endpoint is full: only the other project's due deliveries are claimed.
    let claimed = claim(db, 10, LOCK, |p| if p == backlog { 0 } else { 4 })
        .await
        .unwrap();
    assert_eq!(ids(&claimed), fresh);
    assert!(
        claimed
            .iter()
            .all(|d| d.project_id == other && d.payload == "{}")
    );

    // Room for two each: the backlog's two oldest; the other's are claimed, one is not due.
    let claimed = claim(db, 10, LOCK, |_| 2).await.unwrap();
    assert_eq!(ids(&claimed), waiting[..2].to_vec());
    assert!(!ids(&claimed).contains(&not_yet));

    // The limit holds across projects, and claimed rows are not claimed twice.
    let claimed = claim(db, 3, LOCK, |_| 10).await.unwrap();
    assert_eq!(ids(&claimed), waiting[2..5].to_vec());
}

#[tokio::test]
async fn every_project_with_due_work_is_found_whatever_its_queue_length() {
    let app = quiet_app().await;
    let db = &app.services.db;
    let projects = projects_with_queues(&app, "Many", &[1, 2, 3, 4, 5]).await;
    let claimed = claim(db, 100, LOCK, |_| 1).await.unwrap();
    let mut got: Vec<i64> = claimed.iter().map(|d| d.project_id).collect();
    got.sort();
    assert_eq!(got, projects, "one delivery from each of the five projects");
    assert!(
        claim(db, 100, LOCK, |_| 0).await.unwrap().is_empty(),
        "no room, no claims"
    );
}

#[tokio::test]
async fn a_small_limit_takes_turns_over_the_projects_without_losing_any() {
    let app = quiet_app().await;
    let db = &app.services.db;
    projects_with_queues(&app, "Turns", &[1; 5]).await;
    let mut sizes = Vec::new();
    let mut projects = std::collections::HashSet::new();
    for _ in 0..4 {
        let claimed = claim(db, 2, LOCK, |_| 1).await.unwrap();
        sizes.push(claimed.len());
        projects.extend(claimed.iter().map(|d| d.project_id));
    }
    assert_eq!(sizes, [2, 2, 1, 0]);
    assert_eq!(
        projects.len(),
        5,
        "every project's delivery was claimed once"
    );
}
