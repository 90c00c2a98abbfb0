//! A login flood must not stall the gateway: partners' `POST /v1/messages` at a fixed 500
//! per second through a real `tujenge serve` process, alone and while 200 console logins
//! a second arrive (wrong passwords, each from another address behind a trusted proxy, so
//! the per-address lock does not stop them and every one costs an argon2 check or a 429).
//! Reports the gateway's p50/p99 in both runs and what the logins were answered.
//!
//! Run: `cargo bench -p server --bench logins` (results go in docs/benchmarks.md).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{kit, ms, percentile};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PASSWORD: &str = "bench upstream password";
const MESSAGES_PER_SEC: u64 = 500;
const LOGINS_PER_SEC: u64 = 200;
const RUN: Duration = Duration::from_secs(10);
/// Browsers holding a login form (session and CSRF token), taken in turn.
const BROWSERS: usize = 32;

struct Browser {
    client: reqwest::Client,
    csrf: String,
}

async fn browser(base: &str) -> Browser {
    let client = kit::console_client(true);
    let csrf = kit::page_csrf(&client, &format!("{base}/login")).await;
    Browser { client, csrf }
}

/// Statuses of the logins answered: (checked and refused 400, refused at once 429, other).
#[derive(Default)]
struct LoginAnswers {
    checked: AtomicUsize,
    throttled: AtomicUsize,
    other: AtomicUsize,
}

async fn login_flood(base: String, answers: Arc<LoginAnswers>) {
    let mut browsers = Vec::new();
    for _ in 0..BROWSERS {
        browsers.push(Arc::new(browser(&base).await));
    }
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / LOGINS_PER_SEC));
    let mut n: u64 = 0;
    let mut tasks = Vec::new();
    while started.elapsed() < RUN {
        tick.tick().await;
        n += 1;
        let b = browsers[n as usize % BROWSERS].clone();
        let (url, answers) = (format!("{base}/api/login"), answers.clone());
        tasks.push(tokio::spawn(async move {
            let address = format!("198.18.{}.{}", (n / 250) % 250, n % 250 + 1);
            let email = format!("guess{n}@example.com");
            let form = [
                ("email", email.as_str()),
                ("password", "not the password"),
                ("csrf", b.csrf.as_str()),
            ];
            let status = b
                .client
                .post(&url)
                .header("accept", "application/json")
                .header("x-forwarded-for", address)
                .form(&form)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0);
            let counter = match status {
                400 => &answers.checked,
                429 => &answers.throttled,
                _ => &answers.other,
            };
            counter.fetch_add(1, Ordering::Relaxed);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// MESSAGES_PER_SEC sends for RUN, whatever the latency (open loop); their latencies.
async fn messages(base: &str, key: &str) -> (Vec<Duration>, usize) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let body = serde_json::json!({"to": "15551234567", "type": "template",
        "template": {"name": "order_update", "language": {"code": "en"}}});
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / MESSAGES_PER_SEC));
    let mut tasks = Vec::new();
    while started.elapsed() < RUN {
        tick.tick().await;
        let (client, url, key, body) = (
            client.clone(),
            format!("{base}/v1/messages"),
            key.to_owned(),
            body.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let ok = client
                .post(url)
                .header("wa-api-key", key)
                .json(&body)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            (sent.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (d, ok) = t.await.unwrap();
        latencies.push(d);
        errors += usize::from(!ok);
    }
    (latencies, errors)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, upstream) = common::simulator(PASSWORD, 0);
    let (_, key) = common::project(dir.path(), "Bench", "255711000001", &upstream, PASSWORD);
    let (_server, base) = common::serve(dir.path(), &["--trusted-proxies", "127.0.0.1/32"]).await;
    // Warm-up: connections, the key cache, the upstream login.
    messages(&base, &key).await;

    let (alone, alone_errors) = messages(&base, &key).await;
    let answers = Arc::new(LoginAnswers::default());
    let flood = tokio::spawn(login_flood(base.clone(), answers.clone()));
    let (beside, beside_errors) = messages(&base, &key).await;
    flood.await.unwrap();

    println!("storage: {}", common::engine());
    println!("| gateway at {MESSAGES_PER_SEC} msg/s | p50 ms | p99 ms | errors |");
    println!("|---|---|---|---|");
    for (name, l, e) in [
        ("alone", &alone, alone_errors),
        (
            &*format!("with {LOGINS_PER_SEC} logins/s"),
            &beside,
            beside_errors,
        ),
    ] {
        let (p50, p99) = (percentile(l, 0.5), percentile(l, 0.99));
        println!("| {name} | {} | {} | {e} |", ms(p50), ms(p99));
    }
    println!(
        "logins: {} checked (400), {} refused at once (429), {} other",
        answers.checked.load(Ordering::Relaxed),
        answers.throttled.load(Ordering::Relaxed),
        answers.other.load(Ordering::Relaxed)
    );
}
