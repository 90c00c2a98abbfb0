//! The webhook in the console: saved values are masked and kept when left empty, the
//! gateway's rules apply, a test event reaches the receiver with the configured header.

use std::time::Duration;

use app::api::webhooks::config::SaveWebhook;
use rules::Role;
use rules::webhooks::config::HeaderRow;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::receiver::Receiver;

async fn partner_with_project() -> (TestApp, crate::support::Browser, String) {
    let app = TestApp::spawn().await;
    let org = app.org("Acme").await;
    let project = app.project(org, "Shop", "255700000001").await;
    app.user("p@acme.test", Role::Partner, Some(org)).await;
    let browser = app.logged_in("p@acme.test").await;
    (app, browser, project.to_string())
}

/// The webhook form, with one header row when `header` is given (an empty value keeps
/// the stored one).
fn webhook(project: &str, url: &str, header: Option<(&str, &str)>) -> SaveWebhook {
    let headers = header.map(|(name, value)| HeaderRow {
        name: name.into(),
        value: value.into(),
    });
    SaveWebhook {
        project_id: project.parse().unwrap(),
        url: url.into(),
        headers: headers.into_iter().collect(),
    }
}

#[tokio::test]
async fn values_are_masked_after_saving_and_kept_when_left_empty() {
    let (app, partner, project) = partner_with_project().await;
    let receiver = Receiver::start(vec![]).await;
    partner
        .call_fn(webhook(
            &project,
            &receiver.url,
            Some(("Authorization", "Bearer abcdefghijkl")),
        ))
        .await
        .ok();
    let view = partner
        .call("get_webhook", &[("project_id", &project)])
        .await
        .ok();
    assert_eq!(
        view["headers"][0],
        serde_json::json!(["Authorization", "••••ijkl"])
    );
    assert!(!view.to_string().contains("abcdefgh"));

    // Saved again without a value: the stored one stays.
    partner
        .call_fn(webhook(
            &project,
            &receiver.url,
            Some(("Authorization", "")),
        ))
        .await
        .ok();
    let attempt = partner
        .call("send_test_event", &[("project_id", &project)])
        .await
        .ok();
    assert_eq!(attempt["http_status"], 200, "{attempt}");
    let got = receiver.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got[0].header("authorization"), Some("Bearer abcdefghijkl"));
    let _ = app;
}

#[tokio::test]
async fn the_gateways_rules_apply_field_by_field() {
    let (_app, partner, project) = partner_with_project().await;
    let error = partner
        .call_fn(webhook(&project, "ftp://x.test", Some(("Host", "evil"))))
        .await
        .err();
    let fields: Vec<&str> = error["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["url", "headers.Host"], "{error}");
}

#[tokio::test]
async fn the_check_explains_a_redirect() {
    let (_app, partner, project) = partner_with_project().await;
    let receiver = Receiver::start(vec![crate::support::receiver::Answer::Redirect]).await;
    partner
        .call_fn(webhook(&project, &receiver.url, None))
        .await
        .ok();
    let findings = partner
        .call("check_webhook", &[("project_id", &project)])
        .await
        .ok();
    let problems: Vec<&Value> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["level"] == "problem")
        .collect();
    assert!(
        problems.iter().any(|f| f["check"] == "The URL redirects"),
        "{findings}"
    );
    assert!(
        problems.iter().any(|f| f["check"] == "HTTPS is not used"),
        "{findings}"
    );
}

#[tokio::test]
async fn a_partner_creates_a_signing_secret_shown_once_and_deliveries_carry_its_signature() {
    let (app, partner, project) = partner_with_project().await;
    let receiver = Receiver::start(vec![]).await;
    let refused = partner
        .call("rotate_signing_secret", &[("project_id", &project)])
        .await
        .err();
    assert_eq!(
        refused["Invalid"][0]["field"], "url",
        "a webhook URL comes first: {refused}"
    );

    partner
        .call_fn(webhook(&project, &receiver.url, None))
        .await
        .ok();
    assert_eq!(
        partner
            .call("get_webhook", &[("project_id", &project)])
            .await
            .ok()["signed"],
        false
    );
    let secret = partner
        .call("rotate_signing_secret", &[("project_id", &project)])
        .await
        .ok();
    let secret = secret.as_str().unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let view = partner
        .call("get_webhook", &[("project_id", &project)])
        .await
        .ok();
    assert_eq!(view["signed"], true);
    assert!(!view.to_string().contains(secret), "never shown again");

    partner
        .call("send_test_event", &[("project_id", &project)])
        .await
        .ok();
    let got = receiver.wait_for(1, Duration::from_secs(5)).await;
    let timestamp: i64 = got[0]
        .header("x-tujenge-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        got[0].header("x-tujenge-signature"),
        Some(domain::webhooks::client::signature(secret, timestamp, &got[0].raw).as_str())
    );
    // The request that answered with the secret is logged; the secret is not.
    crate::support::assert_logged_without("/api/rotate_signing_secret", secret);
    let _ = app;
}
