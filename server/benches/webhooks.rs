//! Forwarding benchmark: notifications posted to a project's inbound URL and forwarded to
//! its webhook on loopback, measured end to end (post → arrival at the receiver); then the
//! same while another project has a backlog of 2000 deliveries to a webhook that never
//! answers, to show the healthy project keeps its rate; then statuses posted as Meta posts
//! them (its envelope, signed with the app secret) to a Meta app's callback URL for a
//! Cloud project: Meta's intake → partner delivery.
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

/// Where notifications are posted: a project's inbound URL (an On-Premises client), or a
/// Meta app's callback URL (Meta's envelope for the number, signed).
#[derive(Clone)]
enum Intake {
    OnPremises(String),
    Meta {
        callback: String,
        phone_number_id: String,
    },
}

impl Intake {
    async fn post(&self, client: &reqwest::Client, id: &str) -> reqwest::StatusCode {
        let request = match self {
            Intake::OnPremises(inbound) => client.post(inbound).json(&status(id)),
            Intake::Meta {
                callback,
                phone_number_id,
            } => {
                let mut value = status(id);
                value["messaging_product"] = json!("whatsapp");
                value["metadata"] = json!({"display_phone_number": "255711000003",
                    "phone_number_id": phone_number_id});
                let post = json!({"object": "whatsapp_business_account", "entry": [{
                    "id": common::WABA_ID,
                    "changes": [{"field": "messages", "value": value}]}]})
                .to_string();
                let signature =
                    domain::cloud::intake::sign(common::META_APP_SECRET, post.as_bytes());
                client
                    .post(callback)
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", signature)
                    .body(post)
            }
        };
        request.send().await.unwrap().status()
    }
}

/// Posts `N` notifications (ids `prefix-i`) with POSTERS concurrent senders; returns post times.
async fn burst(intake: &Intake, prefix: &str) -> HashMap<String, Instant> {
    let client = reqwest::Client::new();
    let sent = Arc::new(Mutex::new(HashMap::new()));
    let tasks: Vec<_> = (0..POSTERS)
        .map(|w| {
            let (client, intake, sent, prefix) = (
                client.clone(),
                intake.clone(),
                sent.clone(),
                prefix.to_owned(),
            );
            tokio::spawn(async move {
                for i in (w..N).step_by(POSTERS) {
                    let id = format!("{prefix}-{i}");
                    let at = Instant::now();
                    assert_eq!(intake.post(&client, &id).await, 200);
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

async fn measure(intake: &Intake, arrivals: &Arrivals, prefix: &str) -> Run {
    let started = Instant::now();
    let sent = burst(intake, prefix).await;
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
    let healthy_inbound = Intake::OnPremises(common::inbound_url(dir.path(), &healthy, &base));
    let hanging_inbound = Intake::OnPremises(common::inbound_url(dir.path(), &hanging, &base));
    let (_, cloud_key) = common::cloud_project(
        dir.path(),
        "Cloud",
        "255711000003",
        "http://127.0.0.1:9",
        "106540352242922",
    );
    set_webhook(&base, &cloud_key, &good_url).await;
    let meta = Intake::Meta {
        callback: format!("{base}/meta/{}/webhook", common::META_APP_ID),
        phone_number_id: "106540352242922".into(),
    };

    let alone = measure(&healthy_inbound, &arrivals, "alone").await;
    let from_meta = measure(&meta, &arrivals, "meta").await;
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
    println!(
        "| Cloud project: Meta's signed posts to the app's callback URL | {:.0} | {} | {} |",
        from_meta.rate,
        ms(from_meta.p50),
        ms(from_meta.p99)
    );
    println!();
    println!(
        "healthy rate beside a hanging endpoint: {:.0}% of alone",
        100.0 * beside.rate / alone.rate
    );
}
