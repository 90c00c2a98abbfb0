//! `POST`/`GET /v1/configs/webhook` as the seed shows, with its checks.

use serde_json::json;

use crate::support::TestApp;
use crate::support::upstream::{Partner, Upstream, assert_envelope};

#[tokio::test]
async fn the_stored_configuration_is_echoed() {
    let p = Partner::new().await;
    let (status, body) = p.get("/v1/configs/webhook").await;
    assert_eq!(status, 404, "{body}");
    let config = json!({
        "url": "https://www.example.com/webhook",
        "headers": {"Authorization": "Basic dGVzdHVzZXI6dGVzdHBhc3M="}
    });
    let (status, body) = p.post("/v1/configs/webhook", &config).await;
    assert_eq!((status.as_u16(), &body), (200, &config));
    assert_eq!(p.get("/v1/configs/webhook").await.1, config);
}

#[tokio::test]
async fn invalid_urls_and_headers_are_400_saying_what_is_wrong() {
    let app = TestApp::spawn_with(|s| s.gateway.allow_insecure_webhooks = false).await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    for (config, words) in [
        (json!({"url": "http://example.com/hook"}), "https"),
        (json!({"url": "ftp://example.com/hook"}), "https://"),
        (json!({"url": ""}), "Enter the URL"),
        (json!({"headers": {}}), "'url' is required"),
        (
            json!({"url": "https://example.com/hook", "headers": {"Host": "evil.test"}}),
            "cannot be configured",
        ),
        (
            json!({"url": "https://example.com/hook", "headers": {"Transfer-Encoding": "chunked"}}),
            "cannot be configured",
        ),
        (
            json!({"url": "https://example.com/hook", "headers": {"X-Token": "a\r\nInjected: 1"}}),
            "line breaks",
        ),
        (
            json!({"url": "https://example.com/hook", "headers": {"Bad Name": "x"}}),
            "cannot contain",
        ),
        (
            json!({"url": "https://example.com/hook", "headers": {"X-Count": 3}}),
            "must be a string",
        ),
    ] {
        let (status, body) = p.post("/v1/configs/webhook", &config).await;
        assert_eq!(status, 400, "{config}: {body}");
        assert_envelope(
            &body,
            400,
            body["meta"]["details"][0].as_str().unwrap_or("?"),
        );
        assert!(
            body["meta"]["developer_message"]
                .as_str()
                .unwrap()
                .contains(words),
            "{config}: {body}"
        );
    }
    let (status, body) = p.send_raw("/v1/configs/webhook", "{not json").await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn the_change_is_audited_without_header_values() {
    let p = Partner::new().await;
    p.set_webhook(
        "https://hooks.example.com/wa",
        json!({"Authorization": "Bearer very-secret"}),
    )
    .await;
    let entries = domain::audit::list(
        &p.app.services.db,
        &domain::Actor::command_line(),
        &Default::default(),
        &Default::default(),
    )
    .await
    .unwrap();
    let entry = entries
        .iter()
        .find(|e| e.action == "webhook.update")
        .unwrap();
    assert!(
        entry.actor_label.starts_with("API key tj_"),
        "{}",
        entry.actor_label
    );
    assert!(!entry.after_json.as_deref().unwrap().contains("very-secret"));
}
