//! Forwarding to the partner's webhook: headers, event id, redirects, retries, timeouts,
//! and every attempt recorded.

use crate::both_kinds;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::cloud::Kind;
use crate::support::receiver::{Answer, Receiver};
use crate::support::upstream::{Partner, Upstream};

fn status(id: &str, status: &str) -> Value {
    crate::support::status_notification(id, status)
}

/// A gateway that retries quickly and gives up on an attempt after one second.
async fn fast_partner(kind: Kind) -> Partner {
    let app = TestApp::spawn_with(|s| {
        s.delivery.attempt_timeout = Duration::from_secs(1);
        s.delivery.schedule.pauses = vec![Duration::from_millis(200)];
    })
    .await;
    match kind {
        Kind::OnPremises => Partner::with(app, Upstream::spawn(&[])).await,
        Kind::Cloud => Partner::on_cloud(app, &[]).await,
    }
}

async fn attempts(p: &Partner) -> Vec<(Option<i64>, Option<String>)> {
    sqlx::query_as("SELECT http_status, error FROM delivery_attempts ORDER BY id")
        .fetch_all(p.app.services.db.pool())
        .await
        .unwrap()
}

both_kinds!(
    the_configured_headers_and_a_stable_event_id_arrive,
    |kind| async move {
        let p = fast_partner(kind).await;
        let receiver = Receiver::start(vec![]).await;
        p.set_webhook(
            &receiver.url,
            json!({"Authorization": "Basic dGVzdA==", "X-Partner": "acme"}),
        )
        .await;
        assert_eq!(p.notify(&status("gBE1", "delivered")).await, 200);

        let got = receiver.wait_for(1, Duration::from_secs(5)).await;
        assert_eq!(got[0].header("authorization"), Some("Basic dGVzdA=="));
        assert_eq!(got[0].header("x-partner"), Some("acme"));
        assert!(
            got[0]
                .header("x-tujenge-event-id")
                .is_some_and(|id| id.starts_with("evt_"))
        );
        assert_eq!(got[0].body, status("gBE1", "delivered"));
    }
);

both_kinds!(
    a_redirect_is_not_followed_and_is_retried,
    |kind| async move {
        let p = fast_partner(kind).await;
        let receiver = Receiver::start(vec![Answer::Redirect]).await;
        p.set_webhook(&receiver.url, json!({})).await;
        p.notify(&status("gBE2", "sent")).await;

        let got = receiver.wait_for(2, Duration::from_secs(5)).await;
        assert!(
            got.iter().all(|r| r.path == "/hook"),
            "the redirect target was never requested"
        );
        assert_eq!(
            got[0].header("x-tujenge-event-id"),
            got[1].header("x-tujenge-event-id"),
            "the retry carries the same event id"
        );
        p.attempts_recorded(2).await;
        let a = attempts(&p).await;
        assert_eq!(a[0].0, Some(302));
        assert!(a[0].1.as_deref().unwrap().contains("not followed"));
        assert_eq!(a[1], (Some(200), None));
    }
);

both_kinds!(
    a_500_then_a_200_makes_two_recorded_attempts,
    |kind| async move {
        let p = fast_partner(kind).await;
        let receiver = Receiver::start(vec![Answer::Status(500)]).await;
        p.set_webhook(&receiver.url, json!({})).await;
        p.notify(&status("gBE3", "read")).await;
        receiver.wait_for(2, Duration::from_secs(5)).await;
        p.attempts_recorded(2).await;
        assert_eq!(attempts(&p).await, [(Some(500), None), (Some(200), None)]);
        let state: (String, i64) = sqlx::query_as("SELECT status, attempts FROM deliveries")
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap();
        assert_eq!(state, ("delivered".into(), 2));
    }
);

both_kinds!(
    the_delivery_log_shows_each_delivery_with_its_own_attempts_newest_first,
    |kind| async move {
        let p = fast_partner(kind).await;
        let receiver = Receiver::start(vec![Answer::Status(500)]).await;
        p.set_webhook(&receiver.url, json!({})).await;
        p.notify(&status("gBE5", "sent")).await;
        receiver.wait_for(2, Duration::from_secs(5)).await;
        p.notify(&status("gBE6", "sent")).await;
        receiver.wait_for(3, Duration::from_secs(5)).await;
        p.attempts_recorded(3).await;

        let log = domain::webhooks::deliveries::list(
            &p.app.services,
            &domain::Actor::command_line(),
            p.project_id,
            None,
        )
        .await
        .unwrap();
        let shown: Vec<Vec<Option<i64>>> = log
            .iter()
            .map(|d| d.attempts.iter().map(|a| a.http_status).collect())
            .collect();
        assert_eq!(
            shown,
            [vec![Some(200)], vec![Some(200), Some(500)]],
            "the second notification first; the first's retry above its failure"
        );
    }
);

both_kinds!(
    a_receiver_that_hangs_is_cut_at_the_timeout,
    |kind| async move {
        let p = fast_partner(kind).await;
        let receiver = Receiver::start(vec![Answer::Hang]).await;
        p.set_webhook(&receiver.url, json!({})).await;
        p.notify(&status("gBE4", "sent")).await;
        receiver.wait_for(2, Duration::from_secs(6)).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let a = attempts(&p).await;
        assert!(
            a[0].1.as_deref().unwrap().contains("no answer within 1 s"),
            "{a:?}"
        );
        let latency: i64 =
            sqlx::query_scalar("SELECT latency_ms FROM delivery_attempts ORDER BY id LIMIT 1")
                .fetch_one(p.app.services.db.pool())
                .await
                .unwrap();
        assert!(
            (900..3000).contains(&latency),
            "cut after about a second: {latency} ms"
        );
    }
);

both_kinds!(
    the_response_body_is_recorded_up_to_1_kb,
    |kind| async move {
        let p = fast_partner(kind).await;
        let receiver = Receiver::start(vec![]).await;
        p.set_webhook(&receiver.url, json!({})).await;
        p.notify(&status("gBE5", "sent")).await;
        receiver.wait_for(1, Duration::from_secs(5)).await;
        p.attempts_recorded(1).await;
        let excerpt: Option<String> =
            sqlx::query_scalar("SELECT response_excerpt FROM delivery_attempts")
                .fetch_one(p.app.services.db.pool())
                .await
                .unwrap();
        assert_eq!(excerpt.as_deref(), Some("ok"));
    }
);

both_kinds!(
    one_hanging_endpoint_does_not_hold_up_another_project,
    |kind| async move {
        let p = fast_partner(kind).await;
        let hanging = Receiver::start(vec![Answer::Hang; 50]).await;
        p.set_webhook(&hanging.url, json!({})).await;
        for i in 0..20 {
            p.notify(&status(&format!("slow{i}"), "sent")).await;
        }
        let healthy_upstream = Upstream::spawn(&[]);
        let org = p.app.org("Healthy").await;
        let healthy = p
            .app
            .project_at(
                org,
                "Healthy",
                "255700000009",
                &healthy_upstream.url,
                crate::support::upstream::UPSTREAM_PASSWORD,
            )
            .await;
        let key = p.app.api_key(healthy).await;
        let receiver = Receiver::start(vec![]).await;
        let client = reqwest::Client::new();
        let r = client
            .post(format!("{}/v1/configs/webhook", p.app.base))
            .header("WA-API-KEY", &key)
            .json(&json!({"url": receiver.url}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let inbound = format!(
            "{}{}",
            p.app.base,
            domain::webhooks::inbound::path(&p.app.services, healthy)
                .await
                .unwrap()
        );
        for i in 0..10 {
            client
                .post(&inbound)
                .json(&status(&format!("fast{i}"), "sent"))
                .send()
                .await
                .unwrap();
        }
        receiver.wait_for(10, Duration::from_secs(3)).await;
    }
);

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
    let support = domain::Actor {
        user_id: None,
        label: "support".into(),
        role: rules::Role::Support,
        organization_id: None,
    };
    domain::webhooks::deliveries::resend(&p.app.services, &support, id)
        .await
        .unwrap();
    let got = receiver.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(
        got[0].header("x-tujenge-event-id"),
        got[1].header("x-tujenge-event-id")
    );
    p.attempts_recorded(2).await;

    p.notify(&status("gBE7", "sent")).await;
    receiver.wait_for(3, Duration::from_secs(5)).await;
    p.attempts_recorded(3).await;
    let dead =
        domain::webhooks::deliveries::list(&p.app.services, &support, p.project_id, Some("dead"))
            .await
            .unwrap();
    assert_eq!(
        dead.len(),
        1,
        "the failed one is dead, the first one delivered"
    );
    let n = domain::webhooks::deliveries::resend_failed_since(
        &p.app.services,
        &support,
        p.project_id,
        0,
    )
    .await
    .unwrap();
    assert_eq!(n, 1, "only the dead one is sent again");
    receiver.wait_for(4, Duration::from_secs(5)).await;
}

#[tokio::test]
async fn a_test_event_reports_status_latency_and_body() {
    let receiver = Receiver::start(vec![Answer::Status(201)]).await;
    let policy = domain::webhooks::client::WebhookPolicy {
        allow_http: true,
        allow: vec!["127.0.0.0/8".parse().unwrap()].into(),
    };
    let client = domain::webhooks::client::WebhookClient::new(Duration::from_secs(2), policy);
    let attempt = client
        .send(
            &receiver.url,
            &Default::default(),
            "evt_test",
            r#"{"test":true}"#,
            Some("secret"),
        )
        .await;
    assert_eq!(
        (attempt.http_status, attempt.response_excerpt.as_deref()),
        (Some(201), Some("ok"))
    );
    assert!(attempt.latency_ms < 2000);
    let got = &receiver.received()[0];
    let expected = domain::webhooks::client::signature(
        "secret",
        got.header("x-tujenge-timestamp").unwrap().parse().unwrap(),
        &got.raw,
    );
    assert_eq!(got.header("x-tujenge-signature"), Some(expected.as_str()));
}

both_kinds!(
    with_a_signing_secret_every_delivery_is_signed,
    |kind| async move {
        let p = fast_partner(kind).await;
        let receiver = Receiver::start(vec![]).await;
        p.set_webhook(&receiver.url, json!({})).await;
        let secret = domain::webhooks::config::rotate_signing_secret(
            &p.app.services,
            &domain::Actor::command_line(),
            p.project_id,
        )
        .await
        .unwrap();
        p.notify(&status("gBE7", "delivered")).await;
        let got = receiver.wait_for(1, Duration::from_secs(5)).await;
        let timestamp: i64 = got[0]
            .header("x-tujenge-timestamp")
            .unwrap()
            .parse()
            .unwrap();
        let expected = domain::webhooks::client::signature(&secret, timestamp, &got[0].raw);
        assert_eq!(
            got[0].header("x-tujenge-signature"),
            Some(expected.as_str())
        );
    }
);
