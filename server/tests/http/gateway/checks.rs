//! `POST /v1/messages` checks: each refusal carries its WhatsApp code in `details`, says
//! how to fix it, is logged, and nothing goes upstream.

use crate::both_kinds;
use serde_json::json;

use crate::support::upstream::{Partner, assert_envelope};

both_kinds!(
    each_check_answers_with_its_code_before_the_upstream,
    |kind| async move {
        let p = Partner::of(kind).await;
        p.inbound_from("15551234567").await;
        let long = "x".repeat(4097);
        let long_name = "t".repeat(513);
        let to = "15551234567";
        let location = |latitude: f64, longitude: f64| {
            json!({
                "to": to,
                "type": "location",
                "location": {"latitude": latitude, "longitude": longitude}
            })
        };
        let image = |link: &str| json!({"to": to, "type": "image", "image": {"link": link}});
        let template = json!({
            "to": to,
            "type": "template",
            "template": {"name": long_name, "language": {"code": "en"}}
        });
        let cases: Vec<(&str, String, &str)> = vec![
            (
                "malformed JSON",
                r#"{"to": "15551234567", "text": {"#.into(),
                "400",
            ),
            (
                "wrong JSON type",
                json!({"to": to, "text": {"body": "hi"}, "preview_url": "yes"}).to_string(),
                "400",
            ),
            (
                "leading zero",
                r#"{"to":"0712345678","text":{"body":"hi"}}"#.into(),
                "400",
            ),
            (
                "not digits",
                r#"{"to":"+1 (555) 123-4567","text":{"body":"hi"}}"#.into(),
                "400",
            ),
            (
                "text too long",
                json!({"to": to, "text": {"body": long}}).to_string(),
                "1001",
            ),
            (
                "the same field twice",
                format!(r#"{{"to":"{to}","to":"15557654321","text":{{"body":"hi"}}}}"#),
                "400",
            ),
            (
                "a length hidden behind a second body",
                format!(r#"{{"to":"{to}","text":{{"body":"hi","body":"{long}"}}}}"#),
                "400",
            ),
            (
                "media link into the provider's network",
                image("https://169.254.169.254/latest/meta-data").to_string(),
                "1014",
            ),
            (
                "media link to a local name",
                image("http://files/a.png").to_string(),
                "1014",
            ),
            ("latitude", location(-90.5, 10.0).to_string(), "1009"),
            ("longitude", location(0.0, 180.1).to_string(), "1009"),
            (
                "preview without URL",
                json!({"to": to, "preview_url": true, "text": {"body": "no link"}}).to_string(),
                "400",
            ),
            (
                "unknown type",
                r#"{"to":"15551234567","type":"fax"}"#.into(),
                "400",
            ),
            ("template name", template.to_string(), "400"),
            (
                "media link not http",
                image("file:///etc/passwd").to_string(),
                "1014",
            ),
            (
                "media link double-encoded",
                image("https://cdn.test/a%2520b.jpg").to_string(),
                "1014",
            ),
        ];
        for (what, body, code) in &cases {
            let (status, answer) = p.send_raw("/v1/messages", body).await;
            assert_eq!(status, 400, "{what}: {answer}");
            assert_envelope(&answer, 400, code);
        }
        assert_eq!(
            p.messages_sent_upstream().await,
            0,
            "no refused message went upstream"
        );

        let logged: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM messages WHERE status = 'refused' AND decision <> 'accepted'",
        )
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap();
        assert_eq!(
            logged as usize,
            cases.len(),
            "every refusal is in the message log"
        );
    }
);

both_kinds!(the_wrong_type_is_named, |kind| async move {
    let p = Partner::of(kind).await;
    let (_, answer) = p
        .post(
            "/v1/messages",
            &json!({"to": "15551234567", "text": {"body": 42}}),
        )
        .await;
    assert!(
        answer["meta"]["developer_message"]
            .as_str()
            .unwrap()
            .contains("'text.body' must be a string"),
        "{answer}"
    );
    assert_eq!(answer["meta"]["details"][1], "field: text.body");
});

both_kinds!(an_oversized_json_body_is_413, |kind| async move {
    let p = Partner::of(kind).await;
    let huge = format!(
        r#"{{"to":"15551234567","text":{{"body":"{}"}}}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let (status, answer) = p.send_raw("/v1/messages", &huge).await;
    assert_eq!(status, 413);
    assert_envelope(&answer, 413, "413");
    let logged: (String, String, String, Option<String>) =
        sqlx::query_as("SELECT decision, status, error_codes, request_body FROM messages")
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap();
    assert_eq!(
        logged,
        ("body_size".into(), "refused".into(), "413".into(), None),
        "refused too, and logged without the body"
    );
});

both_kinds!(
    an_accepted_message_is_logged_with_the_upstream_answer,
    |kind| async move {
        let p = Partner::of(kind).await;
        p.inbound_from("15551234567").await;
        let (status, answer) = p
            .post(
                "/v1/messages",
                &json!({"to": "15551234567", "type": "text", "text": {"body": "Habari"}}),
            )
            .await;
        assert_eq!(status, 200, "{answer}");
        let id = answer["messages"][0]["id"].as_str().unwrap().to_owned();

        let row: (String, String, Option<String>, Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT decision, status, upstream_message_id, upstream_status, request_body
             FROM messages WHERE direction = 'outbound'",
        )
        .fetch_one(p.app.services.db.pool())
        .await
        .unwrap();
        assert_eq!(
            (row.0.as_str(), row.1.as_str(), row.2, row.3),
            ("accepted", "accepted", Some(id), Some(200))
        );
        let stored: serde_json::Value = serde_json::from_str(&row.4.unwrap()).unwrap();
        assert_eq!(
            stored,
            json!({"to": "15551234567", "type": "text", "text": {"body": "Habari"}})
        );
    }
);

both_kinds!(
    a_project_can_keep_message_text_out_of_the_log,
    |kind| async move {
        let p = Partner::of(kind).await;
        p.app
            .update_project(p.project_id, |input| input.redact_bodies = true)
            .await;
        p.inbound_from("15551234567").await;
        let (status, _) = p
            .post(
                "/v1/messages",
                &json!({"to": "15551234567", "text": {"body": "my PIN is 4321"}}),
            )
            .await;
        assert_eq!(status, 200);
        let stored: String = sqlx::query_scalar("SELECT request_body FROM messages")
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap();
        assert!(!stored.contains("4321"), "{stored}");
        assert!(
            stored.contains("[redacted]") && stored.contains("15551234567"),
            "the shape and recipient stay: {stored}"
        );
    }
);

#[tokio::test]
async fn messages_older_than_the_retention_are_purged() {
    let p = Partner::new().await;
    let old = domain::messages::log::NewMessage {
        created_at: domain::platform::db::now_ms() - 31 * rules::time::DAY_MS,
        project_id: p.project_id,
        direction: "outbound",
        decision: "accepted".into(),
        status: "read".into(),
        ..Default::default()
    };
    let new = domain::messages::log::NewMessage {
        created_at: domain::platform::db::now_ms(),
        ..old.clone()
    };
    domain::messages::log::insert_batch(&p.app.services.db, &[old, new.clone()])
        .await
        .unwrap();
    // The server's own hourly purge (30 days by default) may get there first; either way
    // the old row goes and the new one stays.
    domain::messages::retention::purge_messages_before(
        &p.app.services.db,
        domain::platform::db::now_ms() - 30 * rules::time::DAY_MS,
    )
    .await
    .unwrap();
    let left: Vec<i64> = sqlx::query_scalar("SELECT created_at FROM messages")
        .fetch_all(p.app.services.db.pool())
        .await
        .unwrap();
    assert_eq!(left, [new.created_at]);
}

#[tokio::test]
async fn a_purge_larger_than_one_transaction_takes_every_old_row_and_its_counts() {
    let p = Partner::new().await;
    let db = &p.app.services.db;
    let day = rules::time::DAY_MS;
    let old = |i: i64| domain::messages::log::NewMessage {
        created_at: domain::platform::db::now_ms() - 40 * day + i,
        project_id: p.project_id,
        direction: "outbound",
        decision: "accepted".into(),
        status: "sent".into(),
        upstream_message_id: Some(format!("old{i}")),
        ..Default::default()
    };
    let rows: Vec<_> = (0..2500).map(old).collect();
    for chunk in rows.chunks(500) {
        domain::messages::log::insert_batch(db, chunk)
            .await
            .unwrap();
    }
    let recent = domain::messages::log::NewMessage {
        created_at: domain::platform::db::now_ms(),
        upstream_message_id: Some("recent".into()),
        ..old(0)
    };
    domain::messages::log::insert_batch(db, &[recent])
        .await
        .unwrap();
    // A status timeline on an old message, which must go with it.
    let status = format!(
        r#"{{"statuses":[{{"id":"old7","status":"delivered","timestamp":"{}"}}]}}"#,
        (domain::platform::db::now_ms() - 40 * day) / 1000
    );
    domain::webhooks::inbound::store(db, &[(p.project_id, status)])
        .await
        .unwrap();
    p.app.process_notifications().await;

    domain::messages::retention::purge_messages_before(
        db,
        domain::platform::db::now_ms() - 30 * day,
    )
    .await
    .unwrap();
    let left: Vec<String> = sqlx::query_scalar("SELECT upstream_message_id FROM messages")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert_eq!(
        left,
        ["recent"],
        "2,500 old rows over ten transactions, the recent one kept"
    );
    let counted: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM message_counts")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(counted, 1);
}
