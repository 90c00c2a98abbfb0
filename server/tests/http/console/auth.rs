//! Logging in and out, throttling, sessions across restarts, and the log-in gate.

use reqwest::StatusCode;
use rules::Role;
use serde_json::json;

use app::api::accounts::users::UpdateUser;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn logging_in_with_the_right_password_opens_the_console() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let browser = app.browser().await;

    let (status, _) = browser.login("Admin@Tujenge.test ", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let me = browser.call("me", &[]).await.ok();
    assert_eq!(me["email"], "admin@tujenge.test");
    assert_eq!(me["role"], "admin");
    assert_eq!(browser.get("/projects").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_users_list_says_never_for_someone_who_never_logged_in() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    app.user("new@tujenge.test", Role::Support, None).await;
    let admin = app.logged_in("admin@tujenge.test").await;
    let page = admin.get("/users").await.text().await.unwrap();
    let row = |email: &str| {
        let start = page.find(&format!(">{email}<")).unwrap();
        page[start..start + page[start..].find("</tr>").unwrap()].to_owned()
    };
    assert!(
        row("new@tujenge.test").contains(">never<"),
        "{}",
        row("new@tujenge.test")
    );
    assert!(
        !row("admin@tujenge.test").contains(">never<"),
        "the admin just logged in"
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let browser = app.browser().await;

    let wrong_password = browser
        .call(
            "login",
            &[
                ("email", "admin@tujenge.test"),
                ("password", "not the password"),
            ],
        )
        .await
        .err();
    let unknown_email = browser
        .call(
            "login",
            &[("email", "nobody@tujenge.test"), ("password", PASSWORD)],
        )
        .await
        .err();
    assert_eq!(wrong_password, unknown_email);
    assert_eq!(wrong_password["Invalid"][0]["field"], "email");
    assert_eq!(browser.call("me", &[]).await.ok(), json!(null));
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let browser = app.browser().await;
    for _ in 0..5 {
        browser
            .call(
                "login",
                &[("email", "admin@tujenge.test"), ("password", "guess")],
            )
            .await
            .err();
    }
    let locked = browser
        .call(
            "login",
            &[("email", "admin@tujenge.test"), ("password", PASSWORD)],
        )
        .await
        .err();
    assert!(locked.get("Throttled").is_some(), "{locked}");
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_their_session_ends() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    app.user("support@tujenge.test", Role::Support, None).await;
    let admin = app.logged_in("admin@tujenge.test").await;
    let support = app.logged_in("support@tujenge.test").await;
    let users = admin.call("list_users", &[]).await.ok();
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "support@tujenge.test")
        .unwrap()["id"]
        .to_string();

    admin
        .call(
            "update_user",
            &[
                ("id", &id),
                ("role", "support"),
                ("organization_id", ""),
                ("disabled", "on"),
                ("confirm", "on"),
            ],
        )
        .await
        .ok();

    assert_eq!(
        support.call("list_projects", &[]).await.err(),
        json!("Unauthenticated")
    );
    let again = app.browser().await;
    assert!(
        again
            .call(
                "login",
                &[("email", "support@tujenge.test"), ("password", PASSWORD)]
            )
            .await
            .err()
            .get("Invalid")
            .is_some()
    );
}

#[tokio::test]
async fn a_role_change_is_saved_only_once_confirmed_and_first_says_what_it_does() {
    let app = TestApp::spawn().await;
    let shop = app.org("Acme Shop").await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    app.user("ana@tujenge.test", Role::Support, None).await;
    let admin = app.logged_in("admin@tujenge.test").await;
    let ana = || async {
        let users = admin.call("list_users", &[]).await.ok();
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"] == "ana@tujenge.test")
            .cloned()
            .unwrap()
    };
    let to_partner = UpdateUser {
        id: ana().await["id"].as_i64().unwrap(),
        role: "partner".into(),
        organization_id: Some(shop.to_string()),
        disabled: None,
        confirm: None,
    };

    let refused = admin.call_fn(to_partner.clone()).await.err();
    assert_eq!(
        refused["Invalid"][0]["message"],
        "ana@tujenge.test becomes a partner of Acme Shop: they see only Acme Shop's \
         projects. It takes effect on their next page. Tick “Confirm the change” and save \
         again.",
        "{refused}"
    );
    assert_eq!(ana().await["role"], "support", "nothing saved");

    let confirmed = UpdateUser {
        confirm: Some("on".into()),
        ..to_partner.clone()
    };
    admin.call_fn(confirmed).await.ok();
    assert_eq!(ana().await["role"], "partner");
    // Saving the same again changes nothing, so asks for no confirmation.
    admin.call_fn(to_partner).await.ok();
}

#[tokio::test]
async fn a_session_survives_a_server_restart() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let mut browser = app.logged_in("admin@tujenge.test").await;

    let app = app.restart().await;
    browser.base = app.base.clone();

    assert_eq!(
        browser.call("me", &[]).await.ok()["email"],
        "admin@tujenge.test"
    );
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let browser = app.logged_in("admin@tujenge.test").await;
    browser.call("logout", &[]).await.ok();
    assert_eq!(browser.call("me", &[]).await.ok(), json!(null));
    assert_eq!(
        browser.get("/projects").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn pages_send_anonymous_visitors_to_the_login_page_and_back() {
    let app = TestApp::spawn().await;
    let browser = app.browser().await;
    let response = browser.get("/projects?x=1").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fprojects%3Fx%3D1"
    );
    assert_eq!(browser.get("/login").await.status(), StatusCode::OK);
    assert_eq!(browser.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_login_form_only_sends_people_back_to_this_site() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    for next in [
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/projects",
    ] {
        let browser = app.browser().await;
        let response = browser
            .client
            .post(format!("{}/api/login", app.base))
            .header("accept", "text/html")
            .header("referer", format!("{}/login", app.base))
            .form(&[
                ("email", "admin@tujenge.test"),
                ("password", PASSWORD),
                ("next", next),
                ("csrf", &browser.csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FOUND, "{next:?}");
        let expected = if next == "/projects" {
            "/projects"
        } else {
            "/"
        };
        assert_eq!(response.headers()["location"], expected, "{next:?}");
    }
}

#[tokio::test]
async fn server_function_errors_carry_their_own_http_status_not_500() {
    let app = TestApp::spawn().await;
    app.user("support@tujenge.test", Role::Support, None).await;
    let anonymous = app.browser().await;
    let support = app.logged_in("support@tujenge.test").await;

    let status = |answer: (StatusCode, String)| answer.0;
    assert_eq!(
        status(
            anonymous
                .login("support@tujenge.test", "not the password")
                .await
        ),
        StatusCode::BAD_REQUEST,
        "field errors"
    );
    assert_eq!(
        status(
            anonymous
                .post_form("list_projects", &[], Some(&anonymous.csrf))
                .await
        ),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(
            support
                .post_form("list_audit", &[], Some(&support.csrf))
                .await
        ),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(
            support
                .post_form("get_project", &[("id", "999")], Some(&support.csrf))
                .await
        ),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(support.post_form("list_projects", &[], None).await),
        StatusCode::FORBIDDEN,
        "no CSRF token"
    );
    let (code, body) = support
        .post_form("get_project", &[("id", "999")], Some(&support.csrf))
        .await;
    assert_eq!(
        (code, body.as_str()),
        (StatusCode::NOT_FOUND, "\"NotFound\""),
        "the body is still the typed error"
    );
}
