//! Why a message failed, in words wherever support looks: Meta's refusal of a send and a
//! failed status from Meta's webhook each show Meta's title and details in the message
//! list and its CSV, and the trace adds the catalog's cause and what to do.

use std::time::Duration;

use rules::Role;
use serde_json::json;

use crate::support::receiver::Receiver;
use crate::support::upstream::Partner;
use crate::support::{Browser, TestApp};

async fn send(p: &Partner, to: &str) {
    let template = json!({"name": "order_update", "language": {"code": "en"}});
    let body = json!({"to": to, "type": "template", "template": template});
    p.post("/v1/messages", &body).await;
}

async fn support_desk(p: &Partner) -> Browser {
    p.app
        .user("support@tujenge.test", Role::Support, None)
        .await;
    p.app.logged_in("support@tujenge.test").await
}

#[tokio::test]
async fn the_list_says_why_each_message_failed_in_metas_words() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;
    send(&p, "15550131056").await; // Meta refuses the send at once: pair rate limit.
    send(&p, "15550131026").await; // Meta takes it, then its webhook says it failed.
    send(&p, "15551234567").await; // Sent, delivered, read.
    receiver.wait_for(4, Duration::from_secs(10)).await;
    p.app.process_notifications().await;

    let desk = support_desk(&p).await;
    let page = desk.visit("/messages").await.text().await.unwrap();
    let pair_limit = "too many messages sent from this phone number to the same phone \
                      number in a short period";
    let undeliverable = "Cloud API error 131026: Message undeliverable: Unable to deliver message.";
    assert!(page.contains(pair_limit), "Meta's refusal in its words");
    assert!(
        page.contains(undeliverable),
        "the failed status in Meta's words"
    );

    let csv = desk.get("/export/messages").await.text().await.unwrap();
    let reasons: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|line| line.rsplit_once(',').map_or("", |(_, reason)| reason))
        .collect();
    assert_eq!(reasons.len(), 3, "{csv}");
    assert_eq!(
        reasons[0], "",
        "a message that was read has no reason: {csv}"
    );
    assert_eq!(reasons[1].trim_matches('"'), undeliverable);
    assert!(
        csv.lines().last().unwrap().contains(pair_limit),
        "the refusal's reason: {csv}"
    );
}

#[tokio::test]
async fn the_trace_adds_the_catalogs_cause_and_fix_to_metas_words() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    send(&p, "15550131056").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM messages")
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap();
    let desk = support_desk(&p).await;
    let trace = desk
        .visit(&format!("/messages/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let entry = rules::error_codes::find(131056).unwrap();
    assert!(trace.contains("Refused because"), "Meta's answer in words");
    assert!(
        !trace.contains("upstream unreachable"),
        "Meta answered: it was reachable"
    );
    for words in [entry.title, entry.causes, entry.fix] {
        let words = leptos_escape(words);
        assert!(trace.contains(&words), "the catalog's {words:?}");
    }
}

/// Text as the server-rendered page writes it.
fn leptos_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
