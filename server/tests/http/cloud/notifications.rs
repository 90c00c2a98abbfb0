//! What Meta posts to a Meta app's callback URL: the subscription handshake, nothing
//! stored without the app secret's signature of the exact bytes, every `messages` example
//! of Meta's file reaching the partner in the On-Premises format, statuses of messages
//! sent through the gateway (failures with the twin code), and what is not a partner's
//! notification kept for the console.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::cloud::{APP_SECRET, PHONE_NUMBER_ID, meta_envelope};
use crate::support::receiver::Receiver;
use crate::support::upstream::Partner;

async fn cloud_partner() -> Partner {
    Partner::on_cloud(TestApp::spawn().await, &[]).await
}

async fn count(p: &Partner, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_handshake_answers_the_challenge_only_for_the_apps_verify_token() {
    let p = cloud_partner().await;
    let apps = domain::cloud::apps::list(&p.app.services, &domain::Actor::command_line(), "")
        .await
        .unwrap();
    let token = apps[0].verify_token.clone();
    let url = p.app.callback_url();
    let ask = |token: String| {
        let query = [
            ("hub.mode", "subscribe".to_owned()),
            ("hub.verify_token", token),
            ("hub.challenge", "1158201444".to_owned()),
        ];
        p.client.get(&url).query(&query).send()
    };
    let answer = ask(token).await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), "1158201444");
    assert_eq!(ask("not the token".into()).await.unwrap().status(), 403);
}

#[tokio::test]
async fn nothing_is_stored_without_the_apps_signature_of_these_very_bytes() {
    let p = cloud_partner().await;
    let body = meta_envelope(&json!({"statuses": [{"id": "wamid.A", "status": "sent"}]}));
    let text = body.to_string();
    assert_eq!(
        p.post_signed(&text, "another secret").await,
        403,
        "a wrong secret"
    );
    let unsigned = p
        .client
        .post(p.app.callback_url())
        .body(text.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 403, "no signature");
    let signature = domain::cloud::intake::sign(APP_SECRET, text.as_bytes());
    let changed = text.replace("wamid.A", "wamid.B");
    let tampered = p
        .client
        .post(p.app.callback_url())
        .header("x-hub-signature-256", signature)
        .body(changed)
        .send()
        .await
        .unwrap();
    assert_eq!(tampered.status(), 403, "a body changed after signing");
    assert_eq!(count(&p, "notifications").await, 0);
    assert_eq!(count(&p, "meta_changes").await, 0);
    assert_eq!(
        p.post_signed(&text, APP_SECRET).await,
        200,
        "signed: stored"
    );
    assert_eq!(count(&p, "notifications").await, 1);
}

/// Meta's `messages` webhook examples, addressed to the simulated number, each message with
/// its own id (several examples share one, and one id is one message).
fn meta_webhook_examples() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/http/fixtures/meta/webhooks");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str::<Value>(&text).unwrap())
        })
        .filter(|(_, v)| v["entry"][0]["changes"][0]["field"] == "messages")
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, example) in &mut out {
        let value = &mut example["entry"][0]["changes"][0]["value"];
        value["metadata"]["phone_number_id"] = json!(PHONE_NUMBER_ID);
        value["messages"][0]["id"] = json!(format!("wamid.{name}"));
    }
    out
}

#[tokio::test]
async fn every_messages_example_reaches_the_partner_in_the_on_premises_format() {
    let p = cloud_partner().await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    let examples = meta_webhook_examples();
    assert!(examples.len() >= 13, "{} examples", examples.len());
    for (name, example) in &examples {
        assert_eq!(
            p.post_signed(&example.to_string(), APP_SECRET).await,
            200,
            "{name}"
        );
    }
    let received = receiver
        .wait_for(examples.len(), Duration::from_secs(10))
        .await;
    for (name, example) in &examples {
        let value = &example["entry"][0]["changes"][0]["value"];
        let message = &value["messages"][0];
        let got = received
            .iter()
            .map(|r| r.body.clone())
            .find(|b| b["messages"][0]["id"] == message["id"])
            .unwrap_or_else(|| panic!("{name} was not forwarded"));
        assert!(
            got.get("metadata").is_none() && got.get("entry").is_none(),
            "{name}: {got}"
        );
        assert_eq!(got["messages"][0]["type"], message["type"], "{name}");
        assert_eq!(got["messages"][0]["from"], message["from"], "{name}");
        if value.get("contacts").is_some() {
            assert_eq!(
                got["contacts"][0]["wa_id"], value["contacts"][0]["wa_id"],
                "{name}"
            );
        }
    }
}

#[tokio::test]
async fn metas_retry_of_a_notification_reaches_the_partner_once() {
    let p = cloud_partner().await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    let (_, text) = meta_webhook_examples()
        .into_iter()
        .find(|(name, _)| name == "text_message")
        .unwrap();
    let (_, image) = meta_webhook_examples()
        .into_iter()
        .find(|(name, _)| name == "image_message")
        .unwrap();
    for post in [&text, &text, &image] {
        assert_eq!(p.post_signed(&post.to_string(), APP_SECRET).await, 200);
    }
    let received = receiver.wait_for(2, Duration::from_secs(10)).await;
    p.app.process_notifications().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut ids: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| r.body["messages"][0]["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    assert_eq!(received.len(), 2);
    assert_eq!(
        ids,
        ["wamid.image_message", "wamid.text_message"],
        "the retried text once, and the image"
    );
}

#[tokio::test]
async fn statuses_of_a_sent_message_reach_the_partner_and_the_log_with_metas_code() {
    let p = cloud_partner().await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    let template = json!({"name": "order_update", "language": {"code": "en"}});
    for to in ["15551234567", "15550131026"] {
        let body = json!({"to": to, "type": "template", "template": template});
        assert_eq!(p.post("/v1/messages", &body).await.0, 200);
    }
    // sent, delivered, read for the first; failed for the second.
    let received = receiver.wait_for(4, Duration::from_secs(10)).await;
    let statuses: Vec<Value> = received
        .iter()
        .map(|r| r.body.clone()["statuses"][0].clone())
        .collect();
    let failed = statuses
        .iter()
        .find(|s| s["status"] == "failed")
        .expect("a failure");
    assert_eq!(
        failed["errors"][0]["code"], 1013,
        "the On-Premises twin: {failed}"
    );
    assert_eq!(failed["errors"][0]["cloud_code"], 131026);
    p.app.process_notifications().await;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT status, error_codes FROM messages WHERE direction = 'outbound' ORDER BY id",
    )
    .fetch_all(p.app.services.db.pool())
    .await
    .unwrap();
    assert_eq!(rows[0].0, "read");
    assert_eq!(rows[1], ("failed".to_owned(), "1013,131026".to_owned()));
}

#[tokio::test]
async fn other_fields_and_unknown_numbers_are_kept_for_the_console_not_forwarded() {
    let p = cloud_partner().await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    let unknown = json!({"object": "whatsapp_business_account", "entry": [{"id": "1",
        "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp",
            "metadata": {"phone_number_id": "999999999999"},
            "messages": [{"id": "wamid.lost", "from": "1555", "type": "text",
                "text": {"body": "hi"}}]}}]}]});
    let quality = json!({"object": "whatsapp_business_account", "entry": [{"id": "1",
        "changes": [{"field": "phone_number_quality_update", "value": {
            "display_phone_number": "15550783881", "event": "FLAGGED",
            "current_limit": "TIER_1K"}}]}]});
    for post in [unknown, quality] {
        assert_eq!(p.post_signed(&post.to_string(), APP_SECRET).await, 200);
    }
    let kept: Vec<(String, String)> =
        sqlx::query_as("SELECT field, phone_number_id FROM meta_changes ORDER BY id")
            .fetch_all(p.app.services.db.pool())
            .await
            .unwrap();
    assert_eq!(
        kept,
        [
            ("messages".to_owned(), "999999999999".to_owned()),
            ("phone_number_quality_update".to_owned(), String::new())
        ]
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(receiver.received().is_empty(), "nothing forwarded");
}
