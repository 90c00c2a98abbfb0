//! How many attempts go to one endpoint at once: more while it answers well (up to the
//! ceiling), and rests for an endpoint that fails everything.

use crate::both_kinds;
use std::time::Duration;

use serde_json::json;

use crate::support::cloud::Kind;
use crate::support::receiver::{Answer, Receiver};
use crate::support::upstream::{Partner, Upstream};
use crate::support::{TestApp, status_notification};

both_kinds!(
    a_slow_endpoint_gets_more_attempts_at_once_up_to_the_ceiling,
    |kind| async move {
        // Answers take 100 ms: at the starting 4 at once, 120 would take 3 s.
        let app = TestApp::spawn_with(|s| {
            s.delivery.attempt_timeout = Duration::from_secs(2);
            s.delivery.per_endpoint = 12;
        })
        .await;
        let p = match kind {
            Kind::OnPremises => Partner::with(app, Upstream::spawn(&[])).await,
            Kind::Cloud => Partner::on_cloud(app, &[]).await,
        };
        let receiver = Receiver::slow(Duration::from_millis(100)).await;
        p.set_webhook(&receiver.url, json!({})).await;
        let partner = &p;
        let posts = (0..120).map(|i| {
            let body = status_notification(&format!("busy{i}"), "delivered");
            async move { partner.notify(&body).await }
        });
        let answers = futures::future::join_all(posts).await;
        assert!(answers.iter().all(|a| *a == 200));
        receiver.wait_for(120, Duration::from_secs(20)).await;
        let most = receiver.most_at_once();
        assert!(
            most > rules::webhooks::concurrency::START,
            "the limit grew while the endpoint answered well: {most} at once"
        );
        assert!(most <= 12, "never beyond the ceiling: {most} at once");
    }
);

#[tokio::test]
async fn an_endpoint_failing_everything_gets_rests_and_every_delivery_once_it_answers() {
    use rules::webhooks::concurrency::TRIP;
    let app = TestApp::spawn_with(|s| {
        s.delivery.attempt_timeout = Duration::from_secs(2);
        s.delivery.schedule.pauses = vec![Duration::from_millis(200)];
    })
    .await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    let failing = Receiver::start(vec![Answer::Status(500); 1_000]).await;
    p.set_webhook(&failing.url, json!({})).await;
    for i in 0..100 {
        p.notify(&status_notification(&format!("rest{i}"), "delivered"))
            .await;
    }
    // 100 deliveries due, retried every 200 ms: without rests every one is tried; with
    // them, the ones that tripped it (and those already out), then one probe after a
    // second.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let tried = failing.received().len();
    assert!(tried >= TRIP as usize, "it was tried: {tried}");
    assert!(
        tried <= TRIP as usize + 8,
        "then it rested: {tried} requests"
    );
    // Fixed: the next probe gets through and everything waiting follows.
    let fixed = Receiver::start(vec![]).await;
    p.set_webhook(&fixed.url, json!({})).await;
    let ids: std::collections::HashSet<String> = (0..100).map(|i| format!("rest{i}")).collect();
    let missing = fixed.missing_statuses(&ids, Duration::from_secs(20)).await;
    missing.assert_none();
}
