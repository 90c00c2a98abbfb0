//! `WA-API-KEY`: missing, unknown, revoked and expired keys get 401 in the envelope; the
//! upstream's token never reaches the partner.

use domain::Actor;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::upstream::{Partner, Upstream, answer, assert_envelope};

const ABOUT: &str = "/v1/settings/profile/about";

/// `GET` the profile's about text with `key` (none: no `WA-API-KEY` header at all).
async fn about_with(p: &Partner, key: Option<&str>) -> (StatusCode, Value) {
    let mut request = p.client.get(p.url(ABOUT));
    if let Some(key) = key {
        request = request.header("WA-API-KEY", key);
    }
    answer(request.send().await.unwrap()).await
}

/// A 401 in the envelope whose developer message says `why`.
fn assert_refused(answer: (StatusCode, Value), why: &str) {
    let (status, body) = answer;
    assert_eq!(status, 401, "{body}");
    assert_envelope(&body, 401, "401");
    let said = body["meta"]["developer_message"]
        .as_str()
        .unwrap_or_default();
    assert!(said.contains(why), "{why:?} in {body}");
}

#[tokio::test]
async fn a_missing_or_unknown_key_is_401() {
    let p = Partner::new().await;
    assert_refused(about_with(&p, None).await, "Missing WA-API-KEY");
    let unknown = about_with(&p, Some("tj_not_a_real_key_at_all_000000000")).await;
    assert_refused(unknown, "Unknown API key");
    assert!(
        p.upstream.requests().await.is_empty(),
        "nothing reached the upstream"
    );
}

#[tokio::test]
async fn a_revoked_key_stops_working_at_once() {
    let p = Partner::new().await;
    assert_eq!(p.get(ABOUT).await.0, 200);

    let grant = domain::projects::keys::find(&p.app.services, &p.key)
        .await
        .unwrap()
        .unwrap();
    domain::projects::keys::revoke(
        &p.app.services,
        &Actor::command_line(),
        grant.key_id,
        domain::platform::db::now_ms(),
    )
    .await
    .unwrap();

    assert_refused(p.get(ABOUT).await, "revoked");
}

#[tokio::test]
async fn a_rotated_key_keeps_working_through_its_grace_period_only() {
    let p = Partner::new().await;
    let grant = domain::projects::keys::find(&p.app.services, &p.key)
        .await
        .unwrap()
        .unwrap();
    let new =
        domain::projects::keys::rotate(&p.app.services, &Actor::command_line(), grant.key_id, 600)
            .await
            .unwrap();
    assert_eq!(p.get(ABOUT).await.0, 200, "the old key inside its grace");
    assert_eq!(
        about_with(&p, Some(&new.secret)).await.0,
        200,
        "the new key"
    );
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let (status, body) = p.get(ABOUT).await;
    assert_eq!(status, 401, "{body}");
}

#[tokio::test]
async fn an_expired_key_is_401() {
    let p = Partner::new().await;
    let new = domain::projects::keys::create(
        &p.app.services,
        &Actor::command_line(),
        p.project_id,
        "short-lived",
        Some(domain::platform::db::now_ms() + 300),
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_refused(about_with(&p, Some(&new.secret)).await, "expired");
}

#[tokio::test]
async fn each_key_reaches_only_its_own_project() {
    let p = Partner::new().await;
    let other_upstream = Upstream::spawn(&[]);
    let org = p.app.org("Other Co").await;
    let other = p
        .app
        .project_at(
            org,
            "Other",
            "255700000002",
            &other_upstream.url,
            crate::support::upstream::UPSTREAM_PASSWORD,
        )
        .await;
    let other_key = p.app.api_key(other).await;

    let r = p
        .client
        .post(p.url("/v1/contacts"))
        .header("WA-API-KEY", &other_key)
        .json(&json!({"contacts": ["+255700000009"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(other_upstream.count("POST /v1/contacts").await, 1);
    assert_eq!(p.upstream.count("POST /v1/contacts").await, 0);
}

#[tokio::test]
async fn last_use_is_recorded_without_a_write_per_request() {
    let p = Partner::new().await;
    for _ in 0..3 {
        p.get(ABOUT).await;
    }
    let listed = || async {
        domain::projects::keys::list(&p.app.services, &Actor::command_line(), p.project_id)
            .await
            .unwrap()
    };
    assert_eq!(
        listed().await[0].last_used_at,
        None,
        "not written on the request path"
    );
    // Housekeeping writes the gathered uses every few seconds; do it now.
    p.app.gateway.flush().await;
    assert!(listed().await[0].last_used_at.is_some());
}
