//! Talking to the upstream: login and token renewal, timeouts, refused connections, and
//! the upstream's own answers passed through unchanged.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::upstream::{Partner, Upstream, answer, assert_envelope};

/// `GET /v1/settings/profile/about` with a new key of `project`: what the partner sees.
async fn about(app: &TestApp, project: i64) -> (StatusCode, Value) {
    let key = app.api_key(project).await;
    let r = reqwest::Client::new()
        .get(format!("{}/v1/settings/profile/about", app.base))
        .header("WA-API-KEY", key)
        .send()
        .await
        .unwrap();
    answer(r).await
}

#[tokio::test]
async fn the_gateway_logs_in_once_and_reuses_the_token() {
    let p = Partner::new().await;
    for _ in 0..3 {
        assert_eq!(p.get("/v1/settings/profile/about").await.0, 200);
    }
    assert_eq!(p.upstream.count("POST /v1/users/login").await, 1);
}

#[tokio::test]
async fn an_expired_token_means_one_new_login() {
    let p = Partner::with(
        TestApp::spawn().await,
        Upstream::spawn(&["--token-ttl-secs", "1"]),
    )
    .await;
    assert_eq!(p.get("/v1/settings/profile/about").await.0, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (status, body) = p.get("/v1/settings/profile/about").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(p.upstream.count("POST /v1/users/login").await, 2);
    assert!(
        !body.to_string().contains("tok"),
        "the upstream token never reaches the partner"
    );
}

#[tokio::test]
async fn wrong_upstream_credentials_are_a_502_that_says_so() {
    let app = TestApp::spawn().await;
    let upstream = Upstream::spawn(&[]);
    let org = app.org("Org").await;
    let project = app
        .project_at(
            org,
            "Shop",
            "255700000001",
            &upstream.url,
            "not the password",
        )
        .await;
    let (status, body) = about(&app, project).await;
    assert_eq!(status, 502);
    assert_envelope(&body, 502, "");
    assert!(
        body["meta"]["developer_message"]
            .as_str()
            .unwrap()
            .contains("could not log in")
    );
}

#[tokio::test]
async fn an_upstream_that_does_not_answer_in_time_is_a_504() {
    let app =
        TestApp::spawn_with(|s| s.gateway.upstream_timeout = std::time::Duration::from_secs(1))
            .await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    let template = json!({
        "to": "15550000504",
        "type": "template",
        "template": {"name": "slow", "language": {"code": "en"}}
    });
    let started = std::time::Instant::now();
    let (status, body) = p.post("/v1/messages", &template).await;
    assert_eq!(status, 504, "{body}");
    assert_envelope(&body, 504, "");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[tokio::test]
async fn a_refused_connection_is_a_502() {
    let app = TestApp::spawn().await;
    let org = app.org("Org").await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let project = app.shop_at(org, &format!("http://{closed}")).await;
    let (status, body) = about(&app, project).await;
    assert_eq!(status, 502);
    assert!(
        body["meta"]["developer_message"]
            .as_str()
            .unwrap()
            .contains("could not be reached"),
        "{body}"
    );
}

#[tokio::test]
async fn the_upstreams_own_errors_pass_through_unchanged() {
    let p = Partner::new().await;
    let (status, body) = p.post("/v1/contacts", &json!({"blocking": "wait"})).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["code"], 1008, "{body}");
    assert!(
        body.get("meta")
            .and_then(|m| m.get("developer_message"))
            .is_none(),
        "not wrapped in the gateway's envelope"
    );
}
