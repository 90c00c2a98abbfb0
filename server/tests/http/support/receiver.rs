//! A partner's webhook receiver on loopback: records what arrives and answers as scripted,
//! over plain HTTP/1.1 or over TLS offering only HTTP/2, and counts the connections made
//! to it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

mod tls;

#[derive(Clone, Debug)]
pub enum Answer {
    Status(u16),
    /// A 302 to another path of the receiver (which must never be requested).
    Redirect,
    /// Never answers.
    Hang,
}

impl Receiver {
    /// Answers 200 to everything, each after `delay`.
    pub async fn slow(delay: Duration) -> Receiver {
        let receiver = Receiver::start(vec![]).await;
        *receiver.shared.delay.lock().unwrap() = delay;
        receiver
    }
}

#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub version: Version,
    pub body: Value,
    /// The body exactly as sent (what a signature covers).
    pub raw: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Clone, Default)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<Answer>>>,
    delay: Arc<Mutex<Duration>>,
    /// Requests being answered now, and the most there were at once.
    in_flight: Arc<AtomicUsize>,
    most_at_once: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
}

pub struct Receiver {
    pub url: String,
    shared: Shared,
}

impl Receiver {
    /// Answers with `script` in order, then 200 for ever.
    pub async fn start(script: Vec<Answer>) -> Receiver {
        let shared = Shared {
            script: Arc::new(Mutex::new(script.into())),
            ..Shared::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(serve(listener, None, shared.clone()));
        Receiver { url, shared }
    }

    /// Answers 200 to everything at `https://localhost:…`, offering only HTTP/2 (ALPN
    /// `h2`), with a certificate issued by a CA of its own; returns that CA's PEM, which
    /// the gateway must be told to trust (`--webhook-ca-file`).
    pub async fn https_h2() -> (Receiver, String) {
        let (acceptor, ca_pem) = tls::acceptor();
        let shared = Shared::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let url = format!("https://localhost:{port}/hook");
        tokio::spawn(serve(listener, Some(acceptor), shared.clone()));
        (Receiver { url, shared }, ca_pem)
    }

    /// How many connections were opened to it.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The most requests it was answering at the same time.
    pub fn most_at_once(&self) -> usize {
        self.shared.most_at_once.load(Ordering::SeqCst)
    }

    /// Waits until a status notification for each of `ids` arrived, or `within` passed;
    /// returns the ids still missing.
    pub async fn missing_statuses(
        &self,
        ids: &std::collections::HashSet<String>,
        within: Duration,
    ) -> Missing {
        let started = std::time::Instant::now();
        loop {
            let arrived: std::collections::HashSet<String> = self
                .received()
                .iter()
                .filter_map(|r| r.body["statuses"][0]["id"].as_str().map(str::to_owned))
                .collect();
            let missing: Vec<String> = ids.difference(&arrived).cloned().collect();
            if missing.is_empty() || started.elapsed() > within {
                return Missing(missing);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `n` requests arrived (or panics after `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let started = std::time::Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                started.elapsed() < within,
                "only {} of {n} requests arrived within {within:?}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Accepts connections for ever, each served as HTTP/1.1 (kept alive), or as HTTP/2 over TLS.
async fn serve(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shared: Shared,
) {
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;
    let app = Router::new().fallback(record).with_state(shared.clone());
    if let Some(acceptor) = tls {
        return tls::serve_h2(listener, acceptor, app, shared.connections).await;
    }
    loop {
        let (tcp, _) = listener.accept().await.unwrap();
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let http1 = hyper::server::conn::http1::Builder::new();
            let _ = http1.serve_connection(TokioIo::new(tcp), service).await;
        });
    }
}

async fn record(
    State(shared): State<Shared>,
    version: Version,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let delay = *shared.delay.lock().unwrap();
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.most_at_once.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(delay).await;
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    shared.received.lock().unwrap().push(Received {
        path: uri.path().to_owned(),
        headers,
        version,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        raw: String::from_utf8_lossy(&body).into_owned(),
    });
    let answer = shared
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(Answer::Status(200));
    match answer {
        Answer::Status(code) => (StatusCode::from_u16(code).unwrap(), "ok").into_response(),
        Answer::Redirect => (StatusCode::FOUND, [("location", "/elsewhere")]).into_response(),
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
    }
}

/// Notifications that never arrived.
pub struct Missing(pub Vec<String>);

impl Missing {
    pub fn assert_none(&self) {
        assert!(
            self.0.is_empty(),
            "{} acknowledged notifications never arrived, e.g. {:?}",
            self.0.len(),
            self.0.first()
        );
    }
}
