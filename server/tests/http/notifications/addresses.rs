//! Partner-chosen URLs never reach the provider's own network: every internal spelling is
//! refused when a webhook is saved, the address a delivery actually connects to is
//! checked again (so a name that now resolves inside gains nothing), and a failure says
//! what kind it was without the socket's own words.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::receiver::Receiver;
use crate::support::upstream::{Partner, Upstream};

/// A partner on a server with no internal range allowed (the provider's default).
async fn strict_partner() -> Partner {
    let app = TestApp::spawn_with(|s| s.gateway.webhook_allow_cidrs.clear()).await;
    Partner::with(app, Upstream::spawn(&[])).await
}

const INTERNAL: [&str; 23] = [
    "https://127.1/",
    "https://0x7f.1/",
    "https://2130706433/",
    "https://017700000001/",
    "https://0177.0.0.1/",
    "https://127.0.0.1:8443/hook",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:7f00:1]/",
    "https://[::127.0.0.1]/",
    "https://10.0.0.1/",
    "https://172.16.0.1/",
    "https://192.168.0.1/",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/",
    "https://[fd00::1]/",
    "https://[fe80::1]/",
    "https://0.0.0.0/",
    "https://[::]/",
    "https://224.0.0.1/",
    "https://192.0.2.1/",
    "https://localhost/",
    "http://2130706433/",
];

#[tokio::test]
async fn every_internal_spelling_is_refused_when_the_webhook_is_saved() {
    let p = strict_partner().await;
    for url in INTERNAL {
        let (status, body) = p.post("/v1/configs/webhook", &json!({"url": url})).await;
        assert_eq!(status, 400, "{url}: {body}");
        let details = body["meta"]["details"].to_string();
        assert!(details.contains("field: url"), "{url}: {body}");
        let said = body["meta"]["developer_message"]
            .as_str()
            .unwrap_or_default();
        assert!(said.contains("public internet"), "{url}: says why: {said}");
    }
    let (status, body) = p
        .post(
            "/v1/configs/webhook",
            &json!({"url": "https://203.0.114.7/hook"}),
        )
        .await;
    assert_eq!(status, 200, "a public address is fine: {body}");
}

#[tokio::test]
async fn an_allowed_range_lets_a_private_webhook_through() {
    let p = Partner::new().await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
}

/// Stores `url` as the webhook without the save-time check, as if its name had resolved
/// to a public address then and resolves inside now (DNS rebinding).
async fn store_webhook_unchecked(p: &Partner, url: &str) {
    p.set_webhook("https://203.0.114.7/hook", json!({})).await;
    sqlx::query("UPDATE webhook_configs SET url = $1 WHERE project_id = $2")
        .bind(url)
        .bind(p.project_id)
        .execute(p.app.services.db.pool())
        .await
        .unwrap();
}

async fn last_attempt_error(p: &Partner) -> (Option<String>, Option<String>) {
    sqlx::query_as("SELECT error, response_excerpt FROM delivery_attempts ORDER BY id DESC")
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_delivery_to_an_address_inside_is_a_failed_attempt_and_sends_nothing() {
    let p = strict_partner().await;
    let receiver = Receiver::start(vec![]).await;
    let port = receiver
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let status = json!({"statuses": [{"id": "gBEGx", "status": "read", "recipient_id": "1555"}]});
    for (n, url) in [
        format!("http://localhost:{port}/hook"),
        format!("http://127.0.0.1:{port}/hook"),
    ]
    .iter()
    .enumerate()
    {
        store_webhook_unchecked(&p, url).await;
        let mut event = status.clone();
        event["statuses"][0]["id"] = Value::String(format!("gBEG{n}"));
        assert_eq!(p.notify(&event).await, 200);
        p.attempts_recorded(n as i64 + 1).await;
        let (error, answer) = last_attempt_error(&p).await;
        assert_eq!(error.as_deref(), Some("address not allowed"), "{url}");
        assert_eq!(answer, None);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        receiver.received().is_empty(),
        "nothing reached the receiver"
    );
}

#[tokio::test]
async fn the_console_test_event_says_what_failed_in_words_not_the_sockets() {
    let p = Partner::new().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook",
        closed.local_addr().unwrap().port()
    );
    drop(closed);
    p.set_webhook(&url, json!({})).await;
    p.app
        .user("admin@tujenge.test", rules::Role::Admin, None)
        .await;
    let admin = p.app.logged_in("admin@tujenge.test").await;
    let id = p.project_id.to_string();
    let attempt = admin
        .call("send_test_event", &[("project_id", &id)])
        .await
        .ok();
    assert_eq!(attempt["error"], "connection refused", "{attempt}");
    assert!(!attempt.to_string().contains("os error"), "{attempt}");
}
