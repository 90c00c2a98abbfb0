//! Sending notifications again and the log that shows it: one at once (answered as it then
//! stands), every failed one after the count is seen, the waiting ones as soon as a
//! working URL is saved; a test event shaped like a real status, marked by a header, and
//! kept in the log; each row saying what it is about and which logged message.

use std::time::Duration;

use domain::messages::log::NewMessage;
use rules::webhooks::deliveries::{DeliveryState, Resent};
use serde_json::json;

use crate::support::receiver::{Answer, Receiver};
use crate::support::upstream::{Partner, Upstream};
use crate::support::{Browser, TestApp, status_notification as status};

/// A partner whose failed deliveries wait a minute before their next try.
async fn waiting_partner() -> Partner {
    let app =
        TestApp::spawn_with(|s| s.delivery.schedule.pauses = vec![Duration::from_secs(60)]).await;
    Partner::with(app, Upstream::spawn(&[])).await
}

fn support() -> domain::Actor {
    domain::Actor {
        user_id: None,
        label: "support".into(),
        role: rules::Role::Support,
        organization_id: None,
    }
}

#[tokio::test]
async fn one_delivery_or_all_failed_ones_can_be_sent_again() {
    // A failed attempt is not tried again: the delivery is dead at once.
    let app = TestApp::spawn_with(|s| s.delivery.schedule.give_up_after = Duration::ZERO).await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    // The third request (the second notification's first attempt) fails.
    let script = vec![
        Answer::Status(200),
        Answer::Status(200),
        Answer::Status(500),
    ];
    let receiver = Receiver::start(script).await;
    p.set_webhook(&receiver.url, json!({})).await;
    p.notify(&status("gBE6", "sent")).await;
    receiver.wait_for(1, Duration::from_secs(5)).await;
    p.attempts_recorded(1).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM deliveries")
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap();
    let support = support();
    let resent = domain::webhooks::resend::now(&p.app.services, &support, id)
        .await
        .unwrap();
    assert_eq!(
        (resent.state, resent.attempts.len()),
        (DeliveryState::Delivered, 2),
        "answered as it stands after the attempt"
    );
    assert!(resent.attempts[0].summary().starts_with("HTTP 200 in "));
    let got = receiver.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(
        got[0].header("x-tujenge-event-id"),
        got[1].header("x-tujenge-event-id")
    );
    p.attempts_recorded(2).await;

    p.notify(&status("gBE7", "sent")).await;
    receiver.wait_for(3, Duration::from_secs(5)).await;
    p.attempts_recorded(3).await;
    let given_up = Some(DeliveryState::GivenUp);
    let dead =
        domain::webhooks::deliveries::list(&p.app.services, &support, p.project_id, given_up)
            .await
            .unwrap();
    assert_eq!(
        dead.len(),
        1,
        "the failed one has given up, the first one delivered"
    );
    let resend_all = |confirmed| {
        domain::webhooks::resend::failed_since(
            &p.app.services,
            &support,
            p.project_id,
            0,
            confirmed,
        )
    };
    let asked = resend_all(false).await.unwrap();
    let resent = |count, queued| Resent {
        count,
        queued,
        since: 0,
        day: String::new(),
    };
    assert_eq!(asked, resent(1, false), "the count, first");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        receiver.received().len(),
        3,
        "nothing sent before the confirmation"
    );
    let confirmed = resend_all(true).await.unwrap();
    assert_eq!(confirmed, resent(1, true), "only the given-up one");
    receiver.wait_for(4, Duration::from_secs(5)).await;
}

#[tokio::test]
async fn saving_a_working_url_sends_the_waiting_notifications_to_it_now() {
    let p = waiting_partner().await;
    let down = Receiver::start(vec![Answer::Status(503), Answer::Status(503)]).await;
    p.set_webhook(&down.url, json!({})).await;
    p.notify(&status("gBE1", "sent")).await;
    p.notify(&status("gBE1", "delivered")).await;
    p.attempts_recorded(2).await;

    let working = Receiver::start(vec![]).await;
    let rows = Vec::<(String, String)>::new();
    let saved = domain::webhooks::config::set(
        &p.app.services,
        &domain::Actor::command_line(),
        p.project_id,
        &working.url,
        rows,
    )
    .await
    .unwrap();
    assert_eq!(saved.retrying_now, 2, "both were waiting a minute");
    let got = working.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 2, "sent now, not in a minute");
}

#[tokio::test]
async fn the_log_says_what_each_notification_is_about_and_which_message() {
    let p = waiting_partner().await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    let logged = NewMessage {
        created_at: domain::platform::db::now_ms(),
        project_id: p.project_id,
        direction: "outbound",
        contact: "15551234567".into(),
        decision: "accepted".into(),
        status: "sent".into(),
        upstream_message_id: Some("gBE2".into()),
        ..Default::default()
    };
    domain::messages::log::insert_batch(&p.app.services.db, &[logged])
        .await
        .unwrap();
    let message_id: i64 = sqlx::query_scalar("SELECT id FROM messages")
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap();
    p.notify(&status("gBE2", "read")).await;
    p.attempts_recorded(1).await;

    let support = support();
    let list =
        |only| domain::webhooks::deliveries::list(&p.app.services, &support, p.project_id, only);
    let delivered = list(Some(DeliveryState::Delivered)).await.unwrap();
    let row = &delivered[0];
    assert_eq!(row.summary.event, "read");
    assert_eq!(row.summary.message_id.as_deref(), Some("gBE2"));
    assert_eq!(row.summary.contact.as_deref(), Some("15551234567"));
    assert_eq!(row.message, Some(message_id), "linked to its trace");
    assert!(
        row.payload.contains("\"status\":\"read\""),
        "{}",
        row.payload
    );
    assert!(
        list(Some(DeliveryState::Retrying))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_test_event_is_a_real_status_marked_by_a_header_and_kept_in_the_log() {
    let p = waiting_partner().await;
    let receiver = Receiver::start(vec![Answer::Status(200), Answer::Status(500)]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    p.app
        .user("admin@tujenge.test", rules::Role::Admin, None)
        .await;
    let admin: Browser = p.app.logged_in("admin@tujenge.test").await;
    let project = p.project_id.to_string();
    for expected in [200, 500] {
        let attempt = admin
            .call("send_test_event", &[("project_id", &project)])
            .await
            .ok();
        assert_eq!(attempt["http_status"], expected, "{attempt}");
    }
    let got = receiver.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(got[0].header("x-tujenge-test"), Some("true"));
    let sent = &got[0].body["statuses"][0];
    assert_eq!(sent["status"], "sent", "{}", got[0].raw);
    assert!(
        sent["id"].is_string() && sent["recipient_id"].is_string() && sent["timestamp"].is_string()
    );

    let log = domain::webhooks::deliveries::list(&p.app.services, &support(), p.project_id, None)
        .await
        .unwrap();
    let states: Vec<(&str, DeliveryState)> = log
        .iter()
        .map(|d| (d.summary.event.as_str(), d.state))
        .collect();
    assert_eq!(
        states,
        [
            ("test: sent", DeliveryState::GivenUp),
            ("test: sent", DeliveryState::Delivered),
        ],
        "a failed test is not retried"
    );
}

#[tokio::test]
async fn saving_a_working_url_ends_the_failing_endpoints_rest() {
    let app = TestApp::spawn_with(|s| {
        s.delivery.attempt_timeout = Duration::from_secs(1);
        s.delivery.schedule.pauses = vec![Duration::from_millis(100)];
    })
    .await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    let down = Receiver::start(vec![Answer::Status(500); 100]).await;
    p.set_webhook(&down.url, json!({})).await;
    for i in 0..5 {
        p.notify(&status(&format!("gBR{i}"), "sent")).await;
    }
    // 20 failures in a row give the endpoint a rest; each failed probe doubles it (1 s,
    // 2 s, 4 s): after the third probe it rests 8 s.
    let trip = rules::webhooks::concurrency::TRIP as i64;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM delivery_attempts")
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap();
        if made >= trip + 3 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{made} attempts");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let working = Receiver::start(vec![]).await;
    let saved = domain::webhooks::config::set(
        &p.app.services,
        &domain::Actor::command_line(),
        p.project_id,
        &working.url,
        Vec::<(String, String)>::new(),
    )
    .await
    .unwrap();
    assert!(saved.retrying_now > 0);
    let got = working.wait_for(5, Duration::from_secs(3)).await;
    assert_eq!(
        got.len(),
        5,
        "all five within the rest the endpoint had left"
    );
}
