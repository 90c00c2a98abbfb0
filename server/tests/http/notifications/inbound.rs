//! The inbound URL: its token, durable storage before the 200, duplicates recognised, and
//! what notifications change (message log, timeline, the 24-hour window).

use crate::both_kinds;
use std::time::Duration;

use serde_json::json;

use crate::support::receiver::Receiver;
use crate::support::upstream::Partner;

#[tokio::test]
async fn the_inbound_token_is_required() {
    let p = Partner::new().await;
    let wrong = format!("{}/inbound/{}/not-the-token", p.app.base, p.project_id);
    let r = p
        .client
        .post(&wrong)
        .json(&json!({"statuses": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let other_project = format!("{}/inbound/999/whatever", p.app.base);
    assert_eq!(
        p.client
            .post(&other_project)
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications")
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 0);
    let token: String = sqlx::query_scalar("SELECT inbound_token_enc FROM projects WHERE id = $1")
        .bind(p.project_id)
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap();
    assert_eq!(
        token, "",
        "an unauthenticated request does not create the project's token"
    );
}

#[tokio::test]
async fn the_inbound_token_never_appears_in_logs() {
    let p = Partner::new().await;
    let url = p.inbound_url().await;
    p.notify(&json!({"statuses": []})).await;
    let token = url.rsplit('/').next().unwrap();
    // The same request is logged, with its path's token left out.
    let logged_path = format!("/inbound/{}/[token]", p.project_id);
    crate::support::assert_logged_without(&logged_path, token);
}

both_kinds!(
    a_duplicate_inbound_id_is_forwarded_once,
    |kind| async move {
        let p = Partner::of(kind).await;
        let receiver = Receiver::start(vec![]).await;
        p.set_webhook(&receiver.url, json!({})).await;
        let message = json!({
            "contacts": [{"profile": {"name": "Kerry"}, "wa_id": "15551234567"}],
            "messages": [{
                "from": "15551234567",
                "id": "ABGGFlA5FpafAgo6EhgHUZ1n",
                "timestamp": chrono::Utc::now().timestamp().to_string(),
                "type": "text",
                "text": {"body": "Hi"}
            }]
        });
        assert_eq!(p.notify(&message).await, 200);
        assert_eq!(
            p.notify(&message).await,
            200,
            "the upstream's retry is acknowledged too"
        );
        receiver.wait_for(1, Duration::from_secs(5)).await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(receiver.received().len(), 1);
        let inbound: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'")
                .fetch_one(p.app.services.db.pool())
                .await
                .unwrap();
        assert_eq!(inbound, 1);
    }
);

#[tokio::test]
async fn a_customer_message_through_the_upstream_opens_the_24_hour_window() {
    let p = Partner::new().await;
    let text =
        json!({"to": "15557654321", "type": "text", "text": {"body": "Thanks for writing!"}});
    assert_eq!(
        p.post("/v1/messages", &text).await.0,
        400,
        "no inbound message yet: 470"
    );

    // The upstream (simulator) is told the inbound URL, then a customer writes.
    let inbound = p.inbound_url().await;
    let r = reqwest::Client::new()
        .post(format!("{}/v1/users/login", p.upstream.url))
        .basic_auth("admin", Some(crate::support::upstream::UPSTREAM_PASSWORD))
        .send()
        .await
        .unwrap();
    let token = r.json::<serde_json::Value>().await.unwrap()["users"][0]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    reqwest::Client::new()
        .patch(format!("{}/v1/settings/application", p.upstream.url))
        .bearer_auth(token)
        .json(&json!({"webhooks": {"url": inbound}}))
        .send()
        .await
        .unwrap();
    let sent = reqwest::Client::new()
        .post(format!("{}/control/inbound", p.upstream.url))
        .json(&json!({"from": "15557654321", "text": "Hello shop"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent.json::<serde_json::Value>().await.unwrap()["delivered"],
        true
    );

    let started = std::time::Instant::now();
    loop {
        if p.post("/v1/messages", &text).await.0 == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the window never opened"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

both_kinds!(
    statuses_move_the_logged_message_along_its_timeline,
    |kind| async move {
        let p = Partner::of(kind).await;
        p.whatsapp_has_template("t", "en").await;
        let template = json!({
            "to": "15550000470",
            "type": "template",
            "template": {"name": "t", "language": {"code": "en"}}
        });
        let (_, body) = p.post("/v1/messages", &template).await;
        let id = body["messages"][0]["id"].as_str().unwrap().to_owned();
        p.notify(&json!({"statuses": [{"id": id, "status": "sent", "timestamp": "1700000000"}]}))
            .await;
        let title = "Message failed to send because more than 24 hours have passed";
        p.notify(&json!({"statuses": [{
            "id": id,
            "status": "failed",
            "timestamp": "1700000001",
            "errors": [{"code": 470, "title": title}]
        }]}))
        .await;
        p.notify(&json!({"statuses": [{"id": id, "status": "sent", "timestamp": "1700000000"}]}))
            .await;

        let started = std::time::Instant::now();
        let row: (String, String) = loop {
            let row: (String, String) = sqlx::query_as(
                "SELECT status, error_codes FROM messages WHERE upstream_message_id = $1",
            )
            .bind(&id)
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap();
            if row.0 == "failed" || started.elapsed() > Duration::from_secs(5) {
                break row;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(row, ("failed".into(), "470".into()));
        assert_eq!(
            timeline(&p, &id).await,
            ["sent", "failed"],
            "the repeated 'sent' is recognised as a duplicate"
        );
    }
);

/// The statuses recorded for the message the upstream calls `upstream_id`, in order.
async fn timeline(p: &Partner, upstream_id: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT e.status FROM message_events e JOIN messages m ON m.id = e.message_id
         WHERE m.upstream_message_id = $1 ORDER BY e.id",
    )
    .bind(upstream_id)
    .fetch_all(p.app.services.db.pool())
    .await
    .unwrap()
}

async fn waiting(p: &Partner) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM waiting_statuses")
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap()
}

async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done().await {
        assert!(started.elapsed() < Duration::from_secs(5), "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

both_kinds!(
    a_status_that_comes_before_its_log_row_is_applied_once_the_row_is_written,
    |kind| async move {
        let p = Partner::of(kind).await;
        let early = json!({"id": "wamid.early", "status": "delivered", "timestamp": "1700000001"});
        p.notify(&json!({"statuses": [early]})).await;
        until("the status waits for its message", async || {
            waiting(&p).await == 1
        })
        .await;

        let row = domain::messages::log::NewMessage {
            created_at: domain::platform::db::now_ms(),
            project_id: p.project_id,
            direction: "outbound",
            contact: "15551234567".into(),
            message_type: "text".into(),
            decision: "accepted".into(),
            status: "accepted".into(),
            upstream_message_id: Some("wamid.early".into()),
            ..Default::default()
        };
        domain::messages::log::insert_batch(&p.app.services.db, &[row])
            .await
            .unwrap();
        let status = async || -> String {
            sqlx::query_scalar(
                "SELECT status FROM messages WHERE upstream_message_id = 'wamid.early'",
            )
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap()
        };
        until("the waiting status reaches the message", async || {
            status().await == "delivered"
        })
        .await;
        assert_eq!(timeline(&p, "wamid.early").await, ["delivered"]);
        assert_eq!(waiting(&p).await, 0);
    }
);

both_kinds!(
    a_status_for_a_message_never_logged_is_dropped_after_a_day,
    |kind| async move {
        let p = Partner::of(kind).await;
        let elsewhere =
            json!({"id": "wamid.elsewhere", "status": "sent", "timestamp": "1700000001"});
        p.notify(&json!({"statuses": [elsewhere]})).await;
        until("the status waits for its message", async || {
            waiting(&p).await == 1
        })
        .await;
        let now = domain::platform::db::now_ms();
        domain::messages::timeline::apply_waiting_statuses(&p.app.services.db, now)
            .await
            .unwrap();
        assert_eq!(waiting(&p).await, 1, "kept while it may still match");
        domain::messages::timeline::apply_waiting_statuses(
            &p.app.services.db,
            now + domain::messages::timeline::STATUS_WAIT_MS + 1_000,
        )
        .await
        .unwrap();
        assert_eq!(waiting(&p).await, 0);
    }
);
