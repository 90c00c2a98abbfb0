//! Sending held within a Cloud number's messaging limit: admins set a warm-up plan (daily
//! caps on new business-initiated conversations), and a number Meta marked RED is held to
//! its messaging limit; a template to a new customer beyond the cap gets a 429 that says
//! why and until when, one to a customer already reached still goes.

use domain::Actor;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::cloud::PHONE_NUMBER_ID;
use crate::support::upstream::{Partner, assert_envelope};

fn template_to(to: &str) -> Value {
    json!({"to": to, "type": "template",
        "template": {"name": "hello_world", "language": {"code": "en_US"}}})
}

async fn refused_beyond_the_cap(p: &Partner, to: &str, says: &str) {
    let answer = p
        .client
        .post(p.url("/v1/messages"))
        .header("WA-API-KEY", &p.key)
        .json(&template_to(to))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 429);
    let wait: u64 = answer.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        wait > 86_000 && wait <= 86_400,
        "a place frees up in a day: {wait}"
    );
    let body: Value = answer.json().await.unwrap();
    assert_envelope(&body, 429, "429");
    let words = body["meta"]["developer_message"].as_str().unwrap();
    assert!(
        words.contains(says) && words.contains("A place frees up at"),
        "{words}"
    );
}

#[tokio::test]
async fn a_warm_up_plan_holds_new_conversations_to_todays_cap() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    let admin = Actor::command_line();
    let refused =
        domain::projects::warmup::set(&p.app.services, &admin, p.project_id, "500, 250", "")
            .await
            .unwrap_err();
    assert!(
        format!("{refused:?}").contains("250 comes after 500"),
        "{refused:?}"
    );
    domain::projects::warmup::set(&p.app.services, &admin, p.project_id, "2, 4", "")
        .await
        .unwrap();
    for to in ["15550000001", "15550000002"] {
        assert_eq!(p.post("/v1/messages", &template_to(to)).await.0, 200);
    }
    refused_beyond_the_cap(&p, "15550000003", "(day 1 of its warm-up plan)").await;
    assert_eq!(
        p.post("/v1/messages", &template_to("15550000001")).await.0,
        200,
        "a customer already reached is no new conversation"
    );
    let held: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE decision = 'messaging_limit'")
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap();
    assert_eq!(held, 1, "the refusal is in the message log");

    domain::projects::warmup::clear(&p.app.services, &admin, p.project_id)
        .await
        .unwrap();
    assert_eq!(
        p.post("/v1/messages", &template_to("15550000003")).await.0,
        200
    );
}

#[tokio::test]
async fn a_number_meta_marked_red_is_held_to_its_messaging_limit() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    p.upstream
        .change_number(
            json!({"phone_number_id": PHONE_NUMBER_ID, "event": "DOWNGRADE",
            "quality_rating": "RED", "messaging_limit_tier": "TIER_50"}),
        )
        .await;
    let services = &p.app.services;
    domain::projects::health::check(services, &Actor::command_line(), p.project_id)
        .await
        .unwrap();
    services.changes.bump();
    for n in 0..50 {
        let to = format!("1555010{n:04}");
        assert_eq!(
            p.post("/v1/messages", &template_to(&to)).await.0,
            200,
            "{to}"
        );
    }
    refused_beyond_the_cap(&p, "15550199999", "quality is RED at Meta").await;
}
