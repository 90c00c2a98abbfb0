//! Forwarding to the partner's webhook: headers, event id, redirects, retries, timeouts,
//! and every attempt recorded.

use std::time::Duration;

use rules::webhooks::signing::Overlap;
use serde_json::{Value, json};

use crate::both_kinds;
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
async fn a_test_event_reports_status_latency_and_body() {
    let receiver = Receiver::start(vec![Answer::Status(201)]).await;
    let policy = domain::webhooks::client::WebhookPolicy {
        allow_http: true,
        allow: vec!["127.0.0.0/8".parse().unwrap()].into(),
        ..Default::default()
    };
    let client = domain::webhooks::client::WebhookClient::new(Duration::from_secs(2), policy);
    let attempt = client
        .send(
            &receiver.url,
            &Default::default(),
            "evt_test",
            r#"{"test":true}"#,
            &["secret".to_owned()],
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
        let secret = domain::webhooks::signing::rotate(
            &p.app.services,
            &domain::Actor::command_line(),
            p.project_id,
            Overlap::None,
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

/// The signatures a received delivery carries, checked against `secrets` in order.
fn signed_with(got: &crate::support::receiver::Received, secrets: &[&str]) -> bool {
    let timestamp: i64 = got.header("x-tujenge-timestamp").unwrap().parse().unwrap();
    let expected: Vec<String> = secrets
        .iter()
        .map(|s| domain::webhooks::client::signature(s, timestamp, &got.raw))
        .collect();
    got.header("x-tujenge-signature") == Some(expected.join(",").as_str())
}

#[tokio::test]
async fn a_rotation_with_an_overlap_signs_with_both_secrets_until_it_ends() {
    let p = fast_partner(Kind::OnPremises).await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    let actor = domain::Actor::command_line();
    let rotate =
        |overlap| domain::webhooks::signing::rotate(&p.app.services, &actor, p.project_id, overlap);
    let first = rotate(Overlap::None).await.unwrap();
    let second = rotate(Overlap::Day).await.unwrap();
    p.notify(&status("gBE8", "sent")).await;
    let got = receiver.wait_for(1, Duration::from_secs(5)).await;
    assert!(
        signed_with(&got[0], &[&second, &first]),
        "the new one first, then the old"
    );

    let view = domain::webhooks::signing::view(&p.app.services, &actor, p.project_id)
        .await
        .unwrap();
    let (current, old) = (view.current.unwrap(), view.previous.unwrap());
    assert_eq!(
        current.masked,
        format!("••••{}", &second[second.len() - 4..])
    );
    assert_eq!(old.masked, format!("••••{}", &first[first.len() - 4..]));
    let day = old.expires_at.unwrap() - current.created_at.unwrap();
    assert_eq!(
        day,
        rules::time::DAY_MS,
        "the old one stops a day after the rotation"
    );

    // The overlap over: only the new secret signs.
    sqlx::query("UPDATE webhook_configs SET previous_secret_expires_at = 1")
        .execute(p.app.services.db.pool())
        .await
        .unwrap();
    p.app.services.changes.bump();
    p.notify(&status("gBE8", "delivered")).await;
    let got = receiver.wait_for(2, Duration::from_secs(5)).await;
    assert!(signed_with(&got[1], &[&second]));

    // Without an overlap the old one stops at once.
    let third = rotate(Overlap::None).await.unwrap();
    p.notify(&status("gBE8", "read")).await;
    let got = receiver.wait_for(3, Duration::from_secs(5)).await;
    assert!(signed_with(&got[2], &[&third]));
    let view = domain::webhooks::signing::view(&p.app.services, &actor, p.project_id)
        .await
        .unwrap();
    assert_eq!(view.previous, None);
}
