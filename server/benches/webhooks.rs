//! Forwarding benchmark: notifications posted to a project's inbound URL and forwarded to
//! its webhook on loopback, measured end to end (post → arrival at the receiver); then the
//! same while another project has a backlog of 2000 deliveries to a webhook that never
//! answers, to show the healthy project keeps its rate.
//!
//! Run: `cargo bench -p server --bench webhooks` (results go in docs/benchmarks.md).

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use common::{ms, percentile};
use serde_json::json;

const N: usize = 2000;
const POSTERS: usize = 16;

#[derive(Clone, Default)]
struct Arrivals(Arc<Mutex<HashMap<String, Instant>>>);

async fn receiver(hang: bool) -> (String, Arrivals) {
    let arrivals = Arrivals::default();
    let app = Router::new()
        .fallback(
            move |State(a): State<Arrivals>, body: axum::body::Bytes| async move {
                if hang {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                if let Some(id) = v["statuses"][0]["id"].as_str() {
                    a.0.lock()
                        .unwrap()
                        .entry(id.to_owned())
                        .or_insert_with(Instant::now);
                }
                "ok"
            },
        )
        .with_state(arrivals.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, arrivals)
}

fn status(id: &str) -> serde_json::Value {
    json!({"statuses": [{
        "id": id,
        "recipient_id": "15551234567",
        "status": "delivered",
        "timestamp": "1700000000"
    }]})
}

/// Posts `N` notifications (ids `prefix-i`) with POSTERS concurrent senders; returns post times.
async fn burst(inbound: &str, prefix: &str) -> HashMap<String, Instant> {
    let client = reqwest::Client::new();
    let sent = Arc::new(Mutex::new(HashMap::new()));
    let tasks: Vec<_> = (0..POSTERS)
        .map(|w| {
            let (client, inbound, sent, prefix) = (
                client.clone(),
                inbound.to_owned(),
                sent.clone(),
                prefix.to_owned(),
            );
            tokio::spawn(async move {
                for i in (w..N).step_by(POSTERS) {
                    let id = format!("{prefix}-{i}");
                    let at = Instant::now();
                    let r = client
                        .post(&inbound)
                        .json(&status(&id))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    sent.lock().unwrap().insert(id, at);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(sent).unwrap().into_inner().unwrap()
}

struct Run {
    rate: f64,
    p50: Duration,
    p99: Duration,
}

async fn measure(inbound: &str, arrivals: &Arrivals, prefix: &str) -> Run {
    let started = Instant::now();
    let sent = burst(inbound, prefix).await;
    loop {
        let done = arrivals
            .0
            .lock()
            .unwrap()
            .keys()
            .filter(|k| k.starts_with(prefix))
            .count();
        if done >= N {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "only {done} of {N} arrived"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let arrived = arrivals.0.lock().unwrap().clone();
    let latencies: Vec<Duration> = sent
        .iter()
        .map(|(id, at)| arrived[id].duration_since(*at))
        .collect();
    let last = sent.keys().map(|id| arrived[id]).max().unwrap();
    Run {
        rate: N as f64 / last.duration_since(started).as_secs_f64(),
        p50: percentile(&latencies, 0.5),
        p99: percentile(&latencies, 0.99),
    }
}

async fn set_webhook(base: &str, key: &str, url: &str) {
    let r = reqwest::Client::new()
        .post(format!("{base}/v1/configs/webhook"))
        .header("WA-API-KEY", key)
        .json(&json!({"url": url}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// Waits until every stored notification is processed into deliveries, so the measured
/// run competes with the hanging endpoint's attempts and not with that processing.
async fn backlog_processed(dir: &std::path::Path) {
    let db = domain::Db::connect(&common::database_url(dir))
        .await
        .unwrap();
    for _ in 0..600 {
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE processed_at IS NULL")
                .fetch_one(db.pool())
                .await
                .unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    db.close().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (healthy, healthy_key) = common::project(
        dir.path(),
        "Healthy",
        "255711000001",
        "http://127.0.0.1:9",
        "pw",
    );
    let (hanging, hanging_key) = common::project(
        dir.path(),
        "Hanging",
        "255711000002",
        "http://127.0.0.1:9",
        "pw",
    );
    let (_server, base) = common::serve(
        dir.path(),
        &[
            "--allow-insecure-webhooks",
            "--webhook-allow-cidr",
            "127.0.0.0/8",
        ],
    )
    .await;
    let (good_url, arrivals) = receiver(false).await;
    let (bad_url, _) = receiver(true).await;
    set_webhook(&base, &healthy_key, &good_url).await;
    set_webhook(&base, &hanging_key, &bad_url).await;
    let healthy_inbound = common::inbound_url(dir.path(), &healthy, &base);
    let hanging_inbound = common::inbound_url(dir.path(), &hanging, &base);

    let alone = measure(&healthy_inbound, &arrivals, "alone").await;
    // A backlog for the hanging webhook: its deliveries hold their connections until the
    // attempt timeout, again and again, while the healthy project is measured.
    burst(&hanging_inbound, "hanging").await;
    backlog_processed(dir.path()).await;
    let beside = measure(&healthy_inbound, &arrivals, "beside").await;

    println!("storage: {}", common::engine());
    println!("| run | forwarded/s | end-to-end p50 ms | end-to-end p99 ms |");
    println!("|---|---|---|---|");
    println!(
        "| healthy project alone | {:.0} | {} | {} |",
        alone.rate,
        ms(alone.p50),
        ms(alone.p99)
    );
    println!(
        "| healthy project, another project's webhook hanging | {:.0} | {} | {} |",
        beside.rate,
        ms(beside.p50),
        ms(beside.p99)
    );
    println!();
    println!(
        "healthy rate beside a hanging endpoint: {:.0}% of alone",
        100.0 * beside.rate / alone.rate
    );
}
