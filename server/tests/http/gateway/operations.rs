//! Operations: the configurable base path, /healthz, and Prometheus metrics on their own
//! address only.

use serde_json::json;

use crate::support::TestApp;
use crate::support::upstream::{Partner, Upstream, answer};

#[tokio::test]
async fn a_base_path_moves_the_whole_api() {
    let app = TestApp::spawn_with(|s| s.gateway.base_path = "/waba".into()).await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    let (status, body) = p
        .post(
            "/waba/v1/contacts",
            &json!({"blocking": "wait", "contacts": ["+255700000009"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["contacts"][0]["status"], "valid");
    let (status, _) = p.get("/waba/v1/users/login").await;
    assert_eq!(status, 403);
    p.get("/v1/settings/profile/about").await;
    assert_eq!(
        p.upstream.count("GET /v1/settings/profile/about").await,
        0,
        "the API no longer answers at the root"
    );
}

#[tokio::test]
async fn healthz_answers_without_a_key() {
    let app = TestApp::spawn().await;
    let r = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_only() {
    let metrics_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = TestApp::spawn_with(|s| {
        s.metrics_addr = Some(format!("127.0.0.1:{metrics_port}").parse().unwrap())
    })
    .await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    p.get("/v1/settings/profile/about").await;
    p.get("/v1/health").await;

    let (status, _) = p.get("/metrics").await;
    assert_eq!(status, 403, "blocked on the partner-facing port");
    let r = p.client.get(p.url("/metrics")).send().await.unwrap();
    assert_eq!(
        answer(r).await.0,
        401,
        "and not readable anonymously either"
    );

    let text = reqwest::get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(r#"tujenge_gateway_requests_total{route="proxy",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"tujenge_gateway_requests_total{route="blocked",status="403"}"#),
        "{text}"
    );
    assert!(
        text.contains("tujenge_upstream_latency_seconds_count 1"),
        "{text}"
    );
    assert!(text.contains("tujenge_webhook_queue_depth"), "{text}");
}
