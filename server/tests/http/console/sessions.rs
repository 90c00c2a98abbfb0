//! Sessions: anonymous requests never make a session row (only the login form does), a
//! login ends after its absolute lifetime however active, and a CSRF token in the header
//! or query is checked before the body is read.

use std::time::Duration;

use reqwest::StatusCode;
use rules::Role;
use serde_json::json;

use crate::support::TestApp;

async fn session_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.services.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn requests_without_a_cookie_make_no_session_except_the_login_form() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = |path: &str| format!("{}{path}", app.base);
    assert_eq!(
        client.get(url("/")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    client.get(url("/projects")).send().await.unwrap();
    let login = client
        .post(url("/api/login"))
        .form(&[("email", "a@b.c")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::FORBIDDEN);
    client.post(url("/api/list_projects")).send().await.unwrap();
    assert_eq!(
        session_rows(&app).await,
        0,
        "no row for cookie-less requests"
    );

    assert_eq!(
        client.get(url("/login")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        session_rows(&app).await,
        1,
        "the login form holds a CSRF token"
    );
}

#[tokio::test]
async fn a_login_ends_after_its_lifetime_however_active() {
    let lifetime = Duration::from_secs(3);
    let app = TestApp::spawn_with(|s| s.session_lifetime = lifetime).await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let browser = app.logged_in("admin@tujenge.test").await;
    let logged_in = std::time::Instant::now();
    // Busy all along: a page every 400 ms keeps the session far from idle.
    while logged_in.elapsed() < lifetime - Duration::from_millis(800) {
        assert_eq!(browser.get("/projects").await.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    tokio::time::sleep(lifetime + Duration::from_millis(300) - logged_in.elapsed()).await;
    assert_eq!(
        browser.get("/projects").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(browser.call("me", &[]).await.ok(), json!(null));
}

#[tokio::test]
async fn an_upload_without_a_token_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let browser = app.logged_in("admin@tujenge.test").await;
    let seven_mb = vec![b'x'; 7 * 1024 * 1024];
    let refused = browser
        .client
        .post(format!("{}/api/upload_photo", app.base))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(seven_mb)
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "not 413: nothing was read"
    );

    // A body that sends a little and then hangs is refused at once, not waited for.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
    tx.send(Ok(vec![b'x'; 1024])).await.unwrap();
    let hanging = reqwest::Body::wrap_stream(tokio_stream_from(rx));
    let started = std::time::Instant::now();
    let refused = browser
        .client
        .post(format!("{}/api/upload_photo?csrf=not-the-token", app.base))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(hanging)
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(tx);
}

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_whose_nonce_is_the_scripts() {
    let app = TestApp::spawn().await;
    let page = reqwest::get(format!("{}/login", app.base)).await.unwrap();
    let header = |name: &str| {
        page.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
    assert_eq!(
        header("strict-transport-security"),
        None,
        "not over plain http"
    );
    let policy = header("content-security-policy").expect("a CSP");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce")
        .to_owned();
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries it"
    );

    let tls = TestApp::spawn_with(|s| s.secure_cookies = true).await;
    let page = reqwest::get(format!("{}/login", tls.base)).await.unwrap();
    assert!(page.headers().contains_key("strict-transport-security"));
}
