//! Partner webhooks for the benches: a receiver on loopback that answers as told (at once,
//! after a fixed delay, never, or 500 to everything), over plain HTTP/1.1 or over TLS
//! offering HTTP/2, and notes when each status id first arrived.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;

#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// 200 at once.
    Ok,
    /// 200 after this long (a real endpoint across the internet).
    After(Duration),
    /// Never (until the attempt timeout cuts it).
    Hang,
    /// 500 to everything.
    Fail,
}

/// What arrived: when each status id (`run-i`) first did, how many distinct ids of each
/// run, and how many status notifications in all.
#[derive(Clone, Default)]
pub struct Arrivals {
    first: Arc<Mutex<Seen>>,
    total: Arc<AtomicUsize>,
}

#[derive(Default)]
struct Seen {
    at: HashMap<String, Instant>,
    per_run: HashMap<String, usize>,
}

impl Arrivals {
    /// Status notifications so far (each message's sent, delivered and read count apart).
    pub fn total(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }

    /// Distinct ids of run `run` so far.
    pub fn count(&self, run: &str) -> usize {
        let seen = self.first.lock().unwrap();
        seen.per_run.get(run).copied().unwrap_or(0)
    }

    /// When `id` first arrived.
    pub fn first(&self, id: &str) -> Option<Instant> {
        self.first.lock().unwrap().at.get(id).copied()
    }

    fn arrived(&self, id: &str) {
        self.total.fetch_add(1, Ordering::SeqCst);
        let mut seen = self.first.lock().unwrap();
        if !seen.at.contains_key(id) {
            seen.at.insert(id.to_owned(), Instant::now());
            let run = id.rsplit_once('-').map_or(id, |(run, _)| run);
            *seen.per_run.entry(run.to_owned()).or_default() += 1;
        }
    }
}

/// Starts a receiver; its URL and what arrived.
pub async fn start(answer: Answer) -> (String, Arrivals) {
    let (app, arrivals) = router(answer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, arrivals)
}

/// Starts a receiver at `https://localhost:…` offering only HTTP/2; its URL, what
/// arrived, and its certificate authority's PEM (for `--webhook-ca-file`).
pub async fn start_h2(answer: Answer) -> (String, Arrivals, String) {
    let (app, arrivals) = router(answer);
    let (acceptor, ca_pem) = super::tls::acceptor();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://localhost:{}/hook",
        listener.local_addr().unwrap().port()
    );
    let connections = Arc::new(AtomicUsize::new(0));
    tokio::spawn(super::tls::serve_h2(listener, acceptor, app, connections));
    (url, arrivals, ca_pem)
}

fn router(answer: Answer) -> (Router, Arrivals) {
    let arrivals = Arrivals::default();
    let app = Router::new()
        .fallback(
            move |State(a): State<Arrivals>, body: axum::body::Bytes| async move {
                match answer {
                    Answer::Hang => tokio::time::sleep(Duration::from_secs(3600)).await,
                    Answer::After(delay) => tokio::time::sleep(delay).await,
                    Answer::Ok | Answer::Fail => {}
                }
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                if let Some(id) = v["statuses"][0]["id"].as_str() {
                    a.arrived(id);
                }
                match answer {
                    Answer::Fail => StatusCode::INTERNAL_SERVER_ERROR,
                    _ => StatusCode::OK,
                }
            },
        )
        .with_state(arrivals.clone());
    (app, arrivals)
}
