//! Every state-changing request must carry the session's CSRF token.

use reqwest::StatusCode;
use rules::Role;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn a_post_without_the_token_is_refused() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let browser = app.logged_in("admin@tujenge.test").await;

    let (status, body) = browser
        .post_form("create_organization", &[("name", "Acme")], None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body, "\"Csrf\"");
    let (status, _) = browser
        .post_form(
            "create_organization",
            &[("name", "Acme")],
            Some("forged-token"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        browser
            .call("list_organizations", &[])
            .await
            .ok()
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was created"
    );

    browser
        .call("create_organization", &[("name", "Acme")])
        .await
        .ok();
}

#[tokio::test]
async fn another_sessions_token_does_not_work() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let victim = app.logged_in("admin@tujenge.test").await;
    let attacker = app.browser().await;
    assert!(!attacker.csrf.is_empty(), "the attacker's page has a token");
    assert_ne!(attacker.csrf, victim.csrf, "each session has its own token");

    let (status, _) = victim
        .post_form(
            "create_organization",
            &[("name", "Acme")],
            Some(&attacker.csrf),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The victim's own token works for the same request.
    let (status, body) = victim
        .post_form(
            "create_organization",
            &[("name", "Acme")],
            Some(&victim.csrf),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_login_form_needs_the_token_too() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let browser = app.browser().await;
    let (status, _) = browser
        .post_form(
            "login",
            &[("email", "admin@tujenge.test"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_plain_html_form_without_the_token_gets_a_readable_page() {
    let app = TestApp::spawn().await;
    let browser = app.browser().await;
    let response = browser
        .client
        .post(format!("{}/api/login", app.base))
        .header("accept", "text/html")
        .form(&[("email", "a@b.co")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Reload the page"));
}

#[tokio::test]
async fn an_oversized_form_is_refused_even_unauthenticated() {
    let app = TestApp::spawn().await;
    let browser = app.browser().await;
    let big = "x".repeat(300 * 1024);
    let (status, _) = browser
        .post_form(
            "login",
            &[("email", big.as_str()), ("password", "p")],
            Some(&browser.csrf),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "an ordinary form stops at 256 KB, even unauthenticated"
    );
    let (status, _) = browser
        .post_form(
            "login",
            &[("email", "nobody@tujenge.test"), ("password", "p")],
            Some(&browser.csrf),
        )
        .await;
    assert_ne!(
        status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "a normal login goes through to the check"
    );
}
