//! What the HTTP tests and the benchmarks share (`benches/common` includes this file by
//! its path): a command run with its input, a served `tujenge` and its partner's webhook,
//! a console session with its CSRF token, and the flags of a server that may forward
//! notifications to receivers on loopback.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// Flags that let a test server forward to receivers on 127.0.0.1 over plain HTTP.
pub const LOOPBACK_WEBHOOKS: [&str; 3] = [
    "--allow-insecure-webhooks",
    "--webhook-allow-cidr",
    "127.0.0.0/8",
];

/// Flags for retries a test can wait for: 200 ms apart, each attempt given 2 s.
pub const QUICK_RETRIES: [&str; 4] = [
    "--webhook-retry-schedule",
    "200ms",
    "--webhook-timeout-secs",
    "2",
];

/// Runs `command` with `stdin` written to it; what it printed and how it ended.
pub fn run_with_input(mut command: Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `command` with `stdin`; it must succeed; its trimmed standard output.
pub fn output(command: Command, stdin: &str) -> String {
    let args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let out = run_with_input(command, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "tujenge {args:?} failed: {stderr}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// `command` (a `tujenge` with its database) serving on `port`, once it answers /healthz.
pub async fn start_serving(mut command: Command, port: u16, extra: &[&str]) -> Child {
    let child = command
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child
}

/// Sets the webhook of `key`'s project to `url` through the gateway at `base`, as a
/// partner does.
pub async fn set_webhook(base: &str, key: &str, url: &str) {
    let r = reqwest::Client::new()
        .post(format!("{base}/v1/configs/webhook"))
        .header("WA-API-KEY", key)
        .json(&serde_json::json!({"url": url}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the webhook is set");
}

/// The CSRF token a console page carries in its `<meta name="csrf-token">`.
pub fn meta_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned()).filter(|t| !t.is_empty())
}

/// A browser-like client of the console: cookies kept, redirects followed or not.
pub fn console_client(follow_redirects: bool) -> reqwest::Client {
    let redirects = if follow_redirects {
        reqwest::redirect::Policy::default()
    } else {
        reqwest::redirect::Policy::none()
    };
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(redirects)
        .build()
        .unwrap()
}

/// The CSRF token of `client`'s session, read from the page at `url`.
pub async fn page_csrf(client: &reqwest::Client, url: &str) -> String {
    let page = client.get(url).send().await.unwrap().text().await.unwrap();
    meta_csrf(&page).unwrap_or_else(|| panic!("a CSRF token on {url}"))
}

/// Logs `client` in as the log-in form does (a fresh token from the log-in page first).
pub async fn log_in(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let csrf = page_csrf(client, &format!("{base}/login")).await;
    let form = [("email", email), ("password", password), ("csrf", &csrf)];
    client
        .post(format!("{base}/api/login"))
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap()
}
