//! The upstream simulator as its own process (`tujenge simulate-upstream`), and a partner
//! calling the gateway.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use serde_json::Value;

use super::TestApp;
use super::cloud::Kind;

pub const UPSTREAM_PASSWORD: &str = "simulator admin password";

pub struct Upstream {
    pub url: String,
    child: Child,
}

impl Upstream {
    pub fn spawn(extra: &[&str]) -> Upstream {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tujenge"));
        command.args([
            "simulate-upstream",
            "--addr",
            "127.0.0.1:0",
            "--admin-password",
            UPSTREAM_PASSWORD,
            "--status-delay-ms",
            "20",
        ]);
        Upstream::start(command.args(extra))
    }

    /// Starts a simulator command; its first line says where it listens.
    pub fn start(command: &mut Command) -> Upstream {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the simulator starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("simulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Upstream { url, child }
    }

    /// Every `/v1` request the simulator received, as "METHOD /path".
    pub async fn requests(&self) -> Vec<String> {
        let all: Vec<String> = reqwest::get(format!("{}/control/requests", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        all.into_iter()
            .filter(|r| !r.contains(" /control/"))
            .collect()
    }

    pub async fn count(&self, request: &str) -> usize {
        self.requests()
            .await
            .iter()
            .filter(|r| *r == request)
            .count()
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A gateway with one project behind the simulator, and that project's key.
pub struct Partner {
    pub app: TestApp,
    pub upstream: Upstream,
    pub project_id: i64,
    pub key: String,
    pub client: reqwest::Client,
    pub kind: Kind,
}

impl Partner {
    pub async fn new() -> Partner {
        Partner::with(TestApp::spawn().await, Upstream::spawn(&[])).await
    }

    pub async fn with(app: TestApp, upstream: Upstream) -> Partner {
        let org = app.org("Partner Co").await;
        let project_id = app.shop_at(org, &upstream.url).await;
        Partner::assemble(app, upstream, project_id, Kind::OnPremises).await
    }

    /// The partner of `project_id` (given a new API key) on `upstream`.
    pub async fn assemble(
        app: TestApp,
        upstream: Upstream,
        project_id: i64,
        kind: Kind,
    ) -> Partner {
        let key = app.api_key(project_id).await;
        Partner {
            app,
            upstream,
            project_id,
            key,
            client: reqwest::Client::new(),
            kind,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.base)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .client
            .get(self.url(path))
            .header("WA-API-KEY", &self.key)
            .send()
            .await
            .unwrap();
        answer(r).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        let r = self
            .client
            .post(self.url(path))
            .header("WA-API-KEY", &self.key)
            .json(body)
            .send()
            .await
            .unwrap();
        answer(r).await
    }

    pub async fn send_raw(&self, path: &str, body: &str) -> (StatusCode, Value) {
        let r = self
            .client
            .post(self.url(path))
            .header("WA-API-KEY", &self.key)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        answer(r).await
    }

    /// Sends `GET path` byte for byte (HTTP clients would tidy the path first).
    pub async fn raw_get(&self, path: &str) -> (u16, Value) {
        self.raw_request("GET", path, "").await
    }

    /// Sends `method path` with a JSON `body`, the path byte for byte.
    pub async fn raw_request(&self, method: &str, path: &str, body: &str) -> (u16, Value) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let host = self.app.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nWA-API-KEY: {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.key,
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        let text = String::from_utf8_lossy(&raw);
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        (
            status,
            serde_json::from_str(body).unwrap_or(Value::String(body.to_owned())),
        )
    }

    /// The project's inbound URL, as the upstream would be configured with.
    pub async fn inbound_url(&self) -> String {
        format!(
            "{}{}",
            self.app.base,
            domain::webhooks::inbound::path(&self.app.services, self.project_id)
                .await
                .unwrap()
        )
    }

    /// Sets the webhook through the gateway, as the partner does.
    pub async fn set_webhook(&self, url: &str, headers: Value) {
        let (status, body) = self
            .post(
                "/v1/configs/webhook",
                &serde_json::json!({"url": url, "headers": headers}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// Returns once `n` forwarding attempts are recorded (a receiver sees a request a
    /// moment before its attempt is written).
    pub async fn attempts_recorded(&self, n: i64) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM delivery_attempts")
                .fetch_one(self.app.services.db.pool())
                .await
                .unwrap();
            if recorded >= n {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{recorded} of {n} attempts recorded after 10 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Lets `wa_id` have written to the business just now (opens the 24-hour window).
    pub async fn inbound_from(&self, wa_id: &str) {
        domain::messages::contacts::record_inbound(
            self.app.services.db.pool(),
            self.project_id,
            wa_id,
            domain::platform::db::now_ms(),
        )
        .await
        .unwrap();
    }
}

pub async fn answer(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Asserts the seed's error envelope with this status and first detail.
/// The seed's error envelope with `code`, whose developer message says `says`.
pub fn assert_refusal(body: &Value, status: u16, code: &str, says: &str) {
    assert_envelope(body, status, code);
    let words = body["meta"]["developer_message"].as_str().unwrap();
    assert!(words.contains(says), "{words}");
}

pub fn assert_envelope(body: &Value, status: u16, code: &str) {
    assert_eq!(body["meta"]["success"], false, "{body}");
    assert_eq!(body["meta"]["http_code"], status, "{body}");
    assert!(
        body["meta"]["developer_message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    if status < 500 {
        assert_eq!(body["meta"]["details"][0], code, "{body}");
    }
}
