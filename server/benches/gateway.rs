//! Gateway overhead benchmark: the same `POST /v1/messages` load sent through the gateway
//! (a real `tujenge serve` process, message log on) and directly to the upstream simulator
//! (its own process), reporting throughput and latency for both; and through a bare proxy
//! on the same stack (`common::bare_proxy`), the least any gateway here can cost. Then the
//! gateway in front of a Cloud API number (the Graph simulator) beside Graph called
//! directly: the translation's cost.
//!
//! Run: `cargo bench -p server --bench gateway` (results go in docs/benchmarks.md).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{ms, percentile};

// The same allocator as `tujenge`, for the load generator and the bare proxy alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PASSWORD: &str = "bench upstream password";
const RECIPIENT: &str = "15551234567";
const CONCURRENCY: usize = 32;
const RUN: Duration = Duration::from_secs(10);
const FIXED_RATE: u64 = 500;

#[derive(Clone)]
struct Target {
    url: String,
    header: (&'static str, String),
    body: serde_json::Value,
}

struct Result {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Result {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    fn pct(&self, p: f64) -> Duration {
        percentile(&self.latencies, p)
    }
}

fn body() -> serde_json::Value {
    let text = "Your order #1234 has shipped and will arrive tomorrow.";
    serde_json::json!({"to": RECIPIENT, "type": "text", "text": {"body": text}})
}

async fn one(client: &reqwest::Client, t: &Target) -> (Duration, bool) {
    let started = Instant::now();
    let ok = client
        .post(&t.url)
        .header(t.header.0, &t.header.1)
        .json(&t.body)
        .send()
        .await
        .map(|r| r.status().is_success())
        .unwrap_or(false);
    (started.elapsed(), ok)
}

/// As fast as CONCURRENCY connections allow.
async fn closed_loop(t: &Target) -> Result {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, t) = (client.clone(), t.clone());
            tokio::spawn(async move {
                let mut out = Vec::new();
                while started.elapsed() < RUN {
                    out.push(one(&client, &t).await);
                }
                out
            })
        })
        .collect();
    collect(tasks, started).await
}

/// FIXED_RATE requests per second, whatever the latency (open loop).
async fn fixed_rate(t: &Target) -> Result {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / FIXED_RATE));
    let mut tasks = Vec::new();
    while started.elapsed() < RUN {
        tick.tick().await;
        let (client, t) = (client.clone(), t.clone());
        tasks.push(tokio::spawn(async move { vec![one(&client, &t).await] }));
    }
    collect(tasks, started).await
}

async fn collect(
    tasks: Vec<tokio::task::JoinHandle<Vec<(Duration, bool)>>>,
    started: Instant,
) -> Result {
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    Result {
        requests: all.len(),
        errors: all.iter().filter(|(_, ok)| !ok).count(),
        elapsed,
        latencies: all.into_iter().map(|(d, _)| d).collect(),
    }
}

#[tokio::main]
async fn main() {
    common::bare_proxy::serve_if_asked().await;
    // An upstream that answers at once (every microsecond of gateway work shows), then one
    // that spends 5 ms per message as a real WhatsApp client does.
    for latency_ms in [0, 5] {
        println!("\n### upstream service time {latency_ms} ms\n");
        compare(latency_ms).await;
    }
    println!("\n### a Cloud API number (Graph simulator, answers at once)\n");
    compare_cloud().await;
}

/// The same load on a Cloud project: Graph called directly (the partner's body plus
/// `messaging_product`, as the gateway sends it), and through the gateway with the
/// per-number throughput limiter off, then on (at a level above the load, so it admits
/// everything: what it costs, not what it refuses).
async fn compare_cloud() {
    const PHONE_NUMBER_ID: &str = "106540352242922";
    let dir = tempfile::tempdir().unwrap();
    let (_graph, graph) = common::graph_simulator(PHONE_NUMBER_ID);
    let (project, key) =
        common::cloud_project(dir.path(), "Bench", "255711000001", &graph, PHONE_NUMBER_ID);
    common::open_window(dir.path(), &project, RECIPIENT).await;
    let mut cloud_body = body();
    cloud_body["messaging_product"] = serde_json::json!("whatsapp");
    let direct = Target {
        url: format!("{graph}/v23.0/{PHONE_NUMBER_ID}/messages"),
        header: ("authorization", format!("Bearer {}", common::ACCESS_TOKEN)),
        body: cloud_body,
    };
    println!("storage: {}", common::engine());
    println!(
        "| path | max rps ({CONCURRENCY} conns) | p50 ms | p99 ms | errors \
         | p50 ms @{FIXED_RATE} rps | p99 ms @{FIXED_RATE} rps | errors @{FIXED_RATE} |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut rates = vec![measure("Graph direct", &direct).await];
    let runs = [
        ("gateway on Cloud, limiter off", "0"),
        ("gateway on Cloud, limiter on", "1000000"),
    ];
    for (name, level) in runs {
        let flags = ["--cloud-throughput-mps", level];
        let (gateway, base) = common::serve(dir.path(), &flags).await;
        let target = Target {
            url: format!("{base}/v1/messages"),
            header: ("wa-api-key", key.clone()),
            body: body(),
        };
        rates.push(measure(name, &target).await);
        drop(gateway);
    }
    println!();
    println!(
        "gateway on Cloud/Graph direct throughput: {:.0}% (limiter off), {:.0}% (on)",
        100.0 * rates[1] / rates[0],
        100.0 * rates[2] / rates[0]
    );
}

/// Warms `t` up, then prints its row (closed loop, then the fixed rate); returns max rps.
async fn measure(name: &str, t: &Target) -> f64 {
    let c = reqwest::Client::new();
    for _ in 0..200 {
        assert!(one(&c, t).await.1, "warm-up request failed");
    }
    let (max, fixed) = (closed_loop(t).await, fixed_rate(t).await);
    print_row(name, &max, &fixed);
    max.rps()
}

/// One row of the table: the closed loop's throughput and latency, then the fixed rate's.
fn print_row(name: &str, max: &Result, fixed: &Result) {
    println!(
        "| {name} | {:.0} | {} | {} | {} | {} | {} | {} |",
        max.rps(),
        ms(max.pct(0.5)),
        ms(max.pct(0.99)),
        max.errors,
        ms(fixed.pct(0.5)),
        ms(fixed.pct(0.99)),
        fixed.errors
    );
}

async fn compare(latency_ms: u64) {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, upstream) = common::simulator(PASSWORD, latency_ms);
    let (project, key) = common::project(dir.path(), "Bench", "255711000001", &upstream, PASSWORD);
    common::open_window(dir.path(), &project, RECIPIENT).await;
    let (_gateway, base) = common::serve(dir.path(), &[]).await;

    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{upstream}/v1/users/login"))
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["users"][0]["token"].as_str().unwrap().to_owned();
    let direct = Target {
        url: format!("{upstream}/v1/messages"),
        header: ("authorization", format!("Bearer {token}")),
        body: body(),
    };
    let gateway = Target {
        url: format!("{base}/v1/messages"),
        header: ("wa-api-key", key),
        body: body(),
    };
    let (_bare, bare_url) = common::bare_proxy::start(&upstream);
    let bare = Target {
        url: format!("{bare_url}/v1/messages"),
        header: direct.header.clone(),
        body: body(),
    };

    // Warm-up: connections, caches, the gateway's upstream login.
    for t in [&direct, &bare, &gateway] {
        let c = reqwest::Client::new();
        for _ in 0..200 {
            assert!(one(&c, t).await.1, "warm-up request failed");
        }
    }

    let targets = Arc::new([
        ("direct", direct),
        ("bare proxy", bare),
        ("gateway", gateway),
    ]);
    let mut rows = Vec::new();
    for (name, t) in targets.iter() {
        let max = closed_loop(t).await;
        let fixed = fixed_rate(t).await;
        rows.push((*name, max, fixed));
    }
    println!("storage: {}", common::engine());
    println!(
        "| path | max rps ({CONCURRENCY} conns) | p50 ms | p99 ms | errors \
         | p50 ms @{FIXED_RATE} rps | p99 ms @{FIXED_RATE} rps | errors @{FIXED_RATE} |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, max, fixed) in &rows {
        print_row(name, max, fixed);
    }
    let (d, b, g) = (&rows[0], &rows[1], &rows[2]);
    println!();
    println!(
        "gateway/direct throughput: {:.0}%",
        100.0 * g.1.rps() / d.1.rps()
    );
    println!(
        "bare proxy/direct throughput: {:.0}%",
        100.0 * b.1.rps() / d.1.rps()
    );
    println!(
        "gateway/bare proxy throughput: {:.0}%",
        100.0 * g.1.rps() / b.1.rps()
    );
    println!(
        "added p99 at {FIXED_RATE} rps: {} ms",
        ms(g.2.pct(0.99).saturating_sub(d.2.pct(0.99)))
    );
    let db = domain::Db::connect(&common::database_url(dir.path()))
        .await
        .unwrap();
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
        .fetch_one(db.pool())
        .await
        .unwrap();
    db.close().await;
    println!("message log rows written by the gateway: {logged}");
}
