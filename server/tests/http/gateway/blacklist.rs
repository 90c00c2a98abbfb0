//! The seed's blacklist: every blocked path, and every spelling trick, gets 403 in the
//! envelope and never reaches the upstream; the allowed paths do reach it.

use reqwest::Method;

use crate::support::upstream::{Partner, answer, assert_envelope};

const BLOCKED: [&str; 16] = [
    "/v1/settings/application",
    "/v1/settings/backup",
    "/v1/settings/restore",
    "/v1/settings/account/two-step",
    "/v1/certificates/external",
    "/v1/certificates/webhooks/ca",
    "/v1/account",
    "/v1/account/verify",
    "/v1/health",
    "/v1/stats/app",
    "/v1/stats/db",
    "/metrics",
    "/v1/support",
    "/v1/users/login",
    "/v1/users/admin",
    "/v1/settings",
];

async fn call(p: &Partner, method: Method, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
    let r = p
        .client
        .request(method, p.url(path))
        .header("WA-API-KEY", &p.key)
        .send()
        .await
        .unwrap();
    answer(r).await
}

#[tokio::test]
async fn every_blacklisted_path_is_refused_with_403() {
    let p = Partner::new().await;
    for path in BLOCKED {
        let (status, body) = call(&p, Method::GET, path).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_envelope(&body, 403, "403");
    }
    assert!(
        p.upstream.requests().await.is_empty(),
        "nothing reached the upstream: {:?}",
        p.upstream.requests().await
    );
}

#[tokio::test]
async fn the_webhook_settings_point_to_the_gateways_endpoint() {
    let p = Partner::new().await;
    let (_, body) = call(&p, Method::PATCH, "/v1/settings/application").await;
    assert!(
        body["meta"]["developer_message"]
            .as_str()
            .unwrap()
            .contains("/v1/configs/webhook"),
        "{body}"
    );
    assert!(
        body["meta"]["details"]
            .to_string()
            .contains("/v1/settings/application"),
        "names the blocked path: {body}"
    );
}

async fn refused(p: &Partner, path: &str) {
    let (status, body) = p.raw_get(path).await;
    assert!(
        status == 403 || status == 400,
        "{path} slipped through with {status}: {body}"
    );
    assert!(
        p.upstream.requests().await.is_empty(),
        "{path} reached the upstream"
    );
}

#[tokio::test]
async fn a_double_slash_does_not_slip_past() {
    let p = Partner::new().await;
    refused(&p, "//v1/users/login").await;
    refused(&p, "/v1//settings/application").await;
}

#[tokio::test]
async fn a_dot_segment_does_not_slip_past() {
    refused(&Partner::new().await, "/v1/./settings/application").await;
}

#[tokio::test]
async fn a_dot_dot_segment_does_not_slip_past() {
    refused(&Partner::new().await, "/v1/media/../users/login").await;
}

#[tokio::test]
async fn percent_encoding_does_not_slip_past() {
    let p = Partner::new().await;
    refused(&p, "/v1%2Fusers%2Flogin").await;
    refused(&p, "/v1/%2e%2e/v1/health").await;
    refused(&p, "/v1/settings/%61pplication").await;
    refused(&p, "/v1/%252e%252e/v1/health").await;
}

#[tokio::test]
async fn letter_case_does_not_slip_past() {
    refused(&Partner::new().await, "/V1/Users/Login").await;
}

#[tokio::test]
async fn a_trailing_slash_does_not_slip_past() {
    refused(&Partner::new().await, "/v1/health/").await;
}

#[tokio::test]
async fn a_query_string_does_not_slip_past() {
    refused(
        &Partner::new().await,
        "/v1/stats/app?format=json&path=/v1/messages",
    )
    .await;
}

#[tokio::test]
async fn the_allowed_settings_and_other_endpoints_reach_the_upstream() {
    let p = Partner::new().await;
    for (method, path, expect) in [
        (Method::GET, "/v1/settings/business/profile", 200),
        (Method::GET, "/v1/settings/profile/about", 200),
        (Method::GET, "/v1/settings/profile/photo", 404),
        (Method::GET, "/v1/media/unknown-id", 404),
    ] {
        let (status, body) = call(&p, method.clone(), path).await;
        assert_eq!(status, expect, "{path}: {body}");
        assert_eq!(
            p.upstream.count(&format!("{method} {path}")).await,
            1,
            "{path} reached the upstream"
        );
    }
}
