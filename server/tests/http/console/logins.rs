//! Logins under attack: parallel guesses cannot pass the limit, one (email, address) pair
//! locks while the email alone only slows down (so failing on purpose keeps nobody out),
//! and only a trusted proxy may say which address a login comes from.

use std::time::{Duration, Instant};

use futures::future::join_all;
use rules::Role;
use serde_json::Value;

use crate::support::{Browser, PASSWORD, TestApp};

const ADMIN: &str = "admin@tujenge.test";

/// A login as the login form posts it, from `forwarded_for` (an `X-Forwarded-For`).
async fn login_from(browser: &Browser, forwarded_for: &str, password: &str) -> (u16, Value) {
    let response = browser
        .client
        .post(format!("{}/api/login", browser.base))
        .header("accept", "application/json")
        .header("x-forwarded-for", forwarded_for)
        .form(&[
            ("email", ADMIN),
            ("password", password),
            ("csrf", &browser.csrf),
        ])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn is_wrong_password(answer: &Value) -> bool {
    answer.get("Invalid").is_some()
}

#[tokio::test]
async fn fifty_parallel_guesses_for_one_email_check_at_most_five_passwords() {
    let app = TestApp::spawn().await;
    app.user(ADMIN, Role::Admin, None).await;
    let browser = app.browser().await;
    let guesses = (0..50).map(|i| {
        let password = format!("guess number {i}");
        let browser = &browser;
        async move {
            let form = [("email", ADMIN), ("password", password.as_str())];
            let (status, body) = browser.post_form("login", &form, Some(&browser.csrf)).await;
            (
                status.as_u16(),
                serde_json::from_str::<Value>(&body).unwrap_or_default(),
            )
        }
    });
    let answers = join_all(guesses).await;
    let checked = answers.iter().filter(|(_, a)| is_wrong_password(a)).count();
    let throttled = answers.iter().filter(|(s, _)| *s == 429).count();
    assert!(checked <= 5, "{checked} passwords were checked");
    assert_eq!(
        checked + throttled,
        50,
        "every other guess is refused with 429"
    );
}

#[tokio::test]
async fn failures_from_other_addresses_slow_an_email_down_but_never_lock_its_owner_out() {
    let cap = Duration::from_millis(400);
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        s.throttle.email_delay_cap = cap;
    })
    .await;
    app.user(ADMIN, Role::Admin, None).await;
    let attacker = app.browser().await;
    let attempts = (0..50).map(|i| {
        let attacker = &attacker;
        async move {
            login_from(attacker, &format!("203.0.113.{i}"), "a guess")
                .await
                .0
        }
    });
    let statuses = join_all(attempts).await;
    assert!(
        statuses.iter().all(|s| *s == 400 || *s == 429),
        "{statuses:?}"
    );

    let owner = app.browser().await;
    let started = Instant::now();
    let (status, body) = login_from(&owner, "198.51.100.7", PASSWORD).await;
    assert_eq!(
        status, 200,
        "the owner logs in from their own address: {body}"
    );
    assert!(started.elapsed() >= cap, "slowly: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_forwarded_address_from_an_untrusted_peer_changes_nothing() {
    let app = TestApp::spawn().await;
    app.user(ADMIN, Role::Admin, None).await;
    let browser = app.browser().await;
    for i in 0..5 {
        let (status, _) = login_from(&browser, &format!("203.0.113.{i}"), "a guess").await;
        assert_eq!(status, 400);
    }
    // Each guess claimed another address, but the peer is the same: the pair is locked.
    let (status, body) = login_from(&browser, "198.51.100.7", PASSWORD).await;
    assert_eq!(status, 429, "{body}");
}

#[tokio::test]
async fn a_locked_pair_leaves_the_same_email_free_from_another_trusted_address() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        s.throttle.email_delay_cap = Duration::from_millis(100);
    })
    .await;
    app.user(ADMIN, Role::Admin, None).await;
    let browser = app.browser().await;
    for _ in 0..5 {
        assert_eq!(login_from(&browser, "203.0.113.1", "a guess").await.0, 400);
    }
    assert_eq!(login_from(&browser, "203.0.113.1", PASSWORD).await.0, 429);
    assert_eq!(login_from(&browser, "198.51.100.7", PASSWORD).await.0, 200);
}
