//! Connections to a partner's endpoint: kept alive between attempts over HTTP/1.1, and one
//! HTTP/2 connection carrying every attempt when an HTTPS endpoint offers it.

use std::io::Write;
use std::time::Duration;

use axum::http::Version;
use serde_json::json;

use crate::support::receiver::Receiver;
use crate::support::upstream::{Partner, Upstream};
use crate::support::{TestApp, status_notification};

/// Posts `n` status notifications at once, each acknowledged.
async fn notify_many(p: &Partner, prefix: &str, n: usize) {
    let posts = (0..n).map(|i| {
        let body = status_notification(&format!("{prefix}{i}"), "delivered");
        async move { p.notify(&body).await }
    });
    let answers = futures::future::join_all(posts).await;
    assert!(answers.iter().all(|a| *a == 200), "every post acknowledged");
}

#[tokio::test]
async fn an_https_endpoint_offering_http2_gets_every_attempt_on_one_connection() {
    let (receiver, ca_pem) = Receiver::https_h2().await;
    let mut ca_file = tempfile::NamedTempFile::new().unwrap();
    ca_file.write_all(ca_pem.as_bytes()).unwrap();
    let roots = domain::webhooks::client::Roots::read(ca_file.path().to_str().unwrap()).unwrap();
    let app = TestApp::spawn_with(|s| s.gateway.webhook_roots = roots).await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    p.set_webhook(&receiver.url, json!({})).await;

    notify_many(&p, "first", 1).await;
    receiver.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(receiver.connections(), 1);

    notify_many(&p, "h2_", 200).await;
    let got = receiver.wait_for(201, Duration::from_secs(20)).await;
    assert!(
        got.iter().all(|r| r.version == Version::HTTP_2),
        "every attempt over HTTP/2: {:?}",
        got.iter().map(|r| r.version).collect::<Vec<_>>()
    );
    assert_eq!(
        receiver.connections(),
        1,
        "201 attempts, many at once, on the first connection"
    );
}

#[tokio::test]
async fn a_plain_endpoint_keeps_its_connections_open_between_attempts() {
    let app = TestApp::spawn_with(|s| s.delivery.per_endpoint = 4).await;
    let p = Partner::with(app, Upstream::spawn(&[])).await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({})).await;

    notify_many(&p, "kept", 200).await;
    let got = receiver.wait_for(200, Duration::from_secs(20)).await;
    assert!(got.iter().all(|r| r.version == Version::HTTP_11));
    let opened = receiver.connections();
    assert!(
        opened <= 4,
        "at most one connection per attempt in flight (4), not one per attempt: {opened}"
    );
}
