//! No spelling of a path gets past the blacklist or the message checks: a `?`, `#`, `;`,
//! whitespace or backslash that appears once the path is decoded is refused with a 400
//! envelope before anything reaches the upstream, and every other path is sent upstream
//! segment by segment, each percent-encoded (never pasted into a URL to be parsed again).
//! (A decoded slash is a separator, as it always was: ids cannot hide one.)

use serde_json::json;

use crate::support::upstream::{Partner, assert_envelope};

const BLOCKED_SPELLINGS: [(&str, &str); 10] = [
    ("POST", "/v1/users%3F"),
    ("POST", "/v1/users%253F"),
    ("GET", "/v1/health%23"),
    ("GET", "/v1/support%3F"),
    ("GET", "/v1/metrics%3F"),
    ("GET", "/v1/settings/application%3F"),
    ("GET", "/v1/settings;/application"),
    ("GET", "/v1/settings%3B/application"),
    ("GET", "/v1/health%20"),
    ("GET", "/v1/health%09"),
];

#[tokio::test]
async fn no_spelling_reaches_a_blocked_endpoint() {
    let p = Partner::new().await;
    for (method, path) in BLOCKED_SPELLINGS {
        let (status, body) = p.raw_request(method, path, "{}").await;
        assert_eq!(status, 400, "{method} {path}: {body}");
        assert_envelope(&body, 400, "400");
    }
    assert!(
        p.upstream.requests().await.is_empty(),
        "nothing went upstream, not even a login"
    );
}

#[tokio::test]
async fn no_spelling_of_messages_skips_the_checks() {
    let p = Partner::new().await;
    p.inbound_from("15551234567").await;
    let too_long = json!({"to": "15551234567", "type": "text", "text": {"body": "x".repeat(4097)}});
    for path in [
        "/v1/messages%3F",
        "/v1/messages%23",
        "/v1/messages%253F",
        "/v1/messages;",
        "/v1/messages%3B",
        "/v1/messages%20",
        "/v1/messages%09",
        "/v1/messages%3F%3F",
    ] {
        let (status, body) = p.raw_request("POST", path, &too_long.to_string()).await;
        assert_eq!(status, 400, "{path}: {body}");
    }
    assert_eq!(p.upstream.count("POST /v1/messages").await, 0);
    let (status, _) = p
        .raw_request("POST", "/v1/messages", &too_long.to_string())
        .await;
    assert_eq!(status, 400, "and the plain path checks the length");
}

#[tokio::test]
async fn ids_are_sent_upstream_percent_encoded_as_one_segment() {
    let p = Partner::new().await;
    let (status, _) = p.raw_get("/v1/media/caf%C3%A9:2").await;
    assert_eq!(status, 404, "no such media upstream");
    let seen = p.upstream.requests().await;
    assert!(
        seen.contains(&"GET /v1/media/caf%C3%A9:2".to_owned()),
        "{seen:?}"
    );
}
