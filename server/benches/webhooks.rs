//! Notification pipeline benchmark: status notifications posted to an intake and forwarded
//! to the partner's webhook on loopback, measured end to end (post → first arrival at the
//! receiver). Runs, one server process throughout:
//! - as fast as 64 senders can post, to a receiver that answers at once (throughput);
//! - 1,000 a second offered open-loop for 10 s (latency counted from each post's planned
//!   time, so a stall is not hidden by senders waiting);
//! - Meta's signed posts to a Meta app's callback URL for a Cloud project;
//! - to a receiver that takes 100 ms to answer (a real endpoint across the internet), over
//!   HTTP/1.1, and over TLS offering HTTP/2 (every attempt on one connection);
//! - beside another project whose endpoint answers 500 to everything (its retries come
//!   back every 1–4 s during the run), and beside one whose endpoint never answers (a
//!   backlog held until the attempt timeout, again and again).
//!
//! Run: `cargo bench -p server --bench webhooks` (results go in docs/benchmarks.md); with
//! `TUJENGE_BENCH_POSTGRES=postgres://USER@HOST:PORT` on PostgreSQL.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::receiver::{self, Answer, Arrivals};
use common::{ms, percentile};
use serde_json::json;

/// Notifications in each closed-loop run.
const N: usize = 20_000;
const POSTERS: usize = 64;

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

/// Posts `n` notifications (ids `prefix-i`) with POSTERS concurrent senders; returns
/// when each was posted.
async fn burst(intake: &Intake, prefix: &str, n: usize) -> HashMap<String, Instant> {
    let client = reqwest::Client::new();
    let sent = Arc::new(Mutex::new(HashMap::new()));
    let tasks: Vec<_> = (0..POSTERS)
        .map(|w| {
            let (client, intake, sent) = (client.clone(), intake.clone(), sent.clone());
            let prefix = prefix.to_owned();
            tokio::spawn(async move {
                for i in (w..n).step_by(POSTERS) {
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

/// Posts `rate` notifications a second for `seconds`, each at its planned time whatever
/// the others do; returns the planned times.
async fn open_loop(
    intake: &Intake,
    prefix: &str,
    rate: u32,
    seconds: u32,
) -> HashMap<String, Instant> {
    let client = reqwest::Client::new();
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let every = Duration::from_secs(1) / rate;
    let mut planned = HashMap::new();
    let mut posts = Vec::new();
    for i in 0..rate * seconds {
        let at = start + every * i;
        let id = format!("{prefix}-{i}");
        planned.insert(id.clone(), at.into_std());
        let (client, intake) = (client.clone(), intake.clone());
        posts.push(tokio::spawn(async move {
            tokio::time::sleep_until(at).await;
            assert_eq!(intake.post(&client, &id).await, 200);
        }));
    }
    for post in posts {
        post.await.unwrap();
    }
    planned
}

struct Run {
    rate: f64,
    p50: Duration,
    p99: Duration,
    /// The server process's CPU time (user + system) per notification…
    cpu: Duration,
    /// …and this process's: the load generator and the partners' receivers, on the same
    /// two cores.
    bench_cpu: Duration,
}

/// CPU time used so far by the server (`pid`) and by the bench itself.
struct CpuMark {
    pid: u32,
    server: Duration,
    bench: Duration,
}

impl CpuMark {
    fn now(pid: u32) -> CpuMark {
        CpuMark {
            pid,
            server: common::cpu_time(pid),
            bench: common::cpu_time(std::process::id()),
        }
    }
}

/// Waits until every posted id arrived; the rate over first post → last arrival, and the
/// CPU time per notification since `before`.
async fn arrived(
    sent: HashMap<String, Instant>,
    arrivals: &Arrivals,
    prefix: &str,
    before: CpuMark,
) -> Run {
    let started = *sent.values().min().unwrap();
    loop {
        let done = arrivals.count(prefix);
        if done >= sent.len() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "only {done} of {} arrived",
            sent.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let arrived: HashMap<&String, Instant> = sent
        .keys()
        .map(|id| (id, arrivals.first(id).unwrap()))
        .collect();
    let latencies: Vec<Duration> = sent
        .iter()
        .map(|(id, at)| arrived[id].saturating_duration_since(*at))
        .collect();
    let last = *arrived.values().max().unwrap();
    Run {
        rate: sent.len() as f64 / last.duration_since(started).as_secs_f64(),
        p50: percentile(&latencies, 0.5),
        p99: percentile(&latencies, 0.99),
        cpu: (common::cpu_time(before.pid) - before.server) / sent.len() as u32,
        bench_cpu: (common::cpu_time(std::process::id()) - before.bench) / sent.len() as u32,
    }
}

async fn measure(
    server: u32,
    (intake, arrivals): (&Intake, &Arrivals),
    prefix: &str,
    n: usize,
) -> Run {
    let before = CpuMark::now(server);
    let sent = burst(intake, prefix, n).await;
    arrived(sent, arrivals, prefix, before).await
}

/// A project of the bench's server, its webhook's receiver and what arrived there.
struct Partner {
    inbound: Intake,
    key: String,
    url: String,
    arrivals: Arrivals,
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["Healthy", "Slow", "Failing", "Hanging", "Secure"];
    let projects: Vec<(String, String)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let phone = format!("25571100000{}", i + 1);
            common::project(dir.path(), name, &phone, "http://127.0.0.1:9", "pw")
        })
        .collect();
    let (_, cloud_key) = common::cloud_project(
        dir.path(),
        "Cloud",
        "255711000009",
        "http://127.0.0.1:9",
        "106540352242922",
    );
    // The HTTPS endpoint's certificate authority is made for the run: the server trusts it.
    let slow_answer = Answer::After(Duration::from_millis(100));
    let (secure_url, secure_arrivals, ca_pem) = receiver::start_h2(slow_answer).await;
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    // Failed deliveries come back within the runs.
    let retries = ["--webhook-retry-schedule", "1s,2s,4s"];
    let ca = ["--webhook-ca-file", ca_file.to_str().unwrap()];
    let flags = [&common::kit::LOOPBACK_WEBHOOKS[..], &retries[..], &ca[..]].concat();
    let (server, base) = common::serve(dir.path(), &flags).await;
    let answers = [
        Answer::Ok,
        slow_answer,
        Answer::Fail,
        Answer::Hang,
        slow_answer,
    ];
    let mut secure = Some((secure_url, secure_arrivals));
    let mut partners = Vec::new();
    for ((project, key), answer) in projects.into_iter().zip(answers) {
        let (url, arrivals) = match partners.len() {
            4 => secure.take().unwrap(),
            _ => receiver::start(answer).await,
        };
        common::kit::set_webhook(&base, &key, &url).await;
        let inbound = Intake::OnPremises(common::inbound_url(dir.path(), &project, &base));
        partners.push(Partner {
            inbound,
            key,
            url,
            arrivals,
        });
    }
    let [healthy, slow, failing, hanging, secure] = &partners[..] else {
        unreachable!()
    };
    common::kit::set_webhook(&base, &cloud_key, &healthy.url).await;
    let meta = Intake::Meta {
        callback: format!("{base}/meta/{}/webhook", common::META_APP_ID),
        phone_number_id: "106540352242922".into(),
    };
    let pid = server.0.id();
    let good = (&healthy.inbound, &healthy.arrivals);

    let before = CpuMark::now(pid);
    let planned = open_loop(good.0, "open", 1000, 10).await;
    let open = arrived(planned, good.1, "open", before).await;
    let from_meta = measure(pid, (&meta, good.1), "meta", N).await;
    let hundred_ms = measure(pid, (&slow.inbound, &slow.arrivals), "slow", N / 2).await;
    let over_h2 = (&secure.inbound, &secure.arrivals);
    let hundred_ms_h2 = measure(pid, over_h2, "slow-h2", N / 2).await;
    // Each run beside a bad endpoint is compared with one alone just before it (the same
    // database size).
    let alone = measure(pid, good, "alone", N).await;
    // 5,000 deliveries answered 500, retried every 1–4 s while the healthy project runs.
    burst(&failing.inbound, "failing", 5_000).await;
    let beside_failing = measure(pid, good, "beside-failing", N).await;
    // Fixed: the failed ones drain, and stop competing with the next runs.
    let (fixed_url, fixed) = receiver::start(Answer::Ok).await;
    common::kit::set_webhook(&base, &failing.key, &fixed_url).await;
    while fixed.count("failing") < 5_000 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let alone_again = measure(pid, good, "alone-again", N).await;
    // A backlog for the hanging webhook: its attempts hold their connections until the
    // attempt timeout, again and again, while the healthy project is measured.
    burst(&hanging.inbound, "hanging", 2_000).await;
    let beside_hanging = measure(pid, good, "beside-hanging", N).await;
    // With TUJENGE_BENCH_PROFILE=FILE, one more run under `perf record` (not in the table:
    // perf slows the server down).
    if std::env::var_os("TUJENGE_BENCH_PROFILE").is_some() {
        let profile = common::profile(pid);
        measure(pid, good, "profiled", N).await;
        drop(profile);
    }

    println!("storage: {}", common::engine());
    println!(
        "| run | forwarded/s | end-to-end p50 ms | end-to-end p99 ms | server CPU µs each | bench CPU µs each |"
    );
    println!("|---|---|---|---|---|---|");
    let row = |name: &str, run: &Run| {
        let (p50, p99) = (ms(run.p50), ms(run.p99));
        let (cpu, bench) = (run.cpu.as_micros(), run.bench_cpu.as_micros());
        println!(
            "| {name} | {:.0} | {p50} | {p99} | {cpu} | {bench} |",
            run.rate
        );
    };
    row("1,000/s offered open-loop for 10 s", &open);
    row(
        "Meta's signed posts (Cloud project), 64 senders",
        &from_meta,
    );
    row("endpoint answering in 100 ms, 64 senders", &hundred_ms);
    row(
        "the same over HTTPS offering HTTP/2 (one connection)",
        &hundred_ms_h2,
    );
    row("as fast as 64 senders post", &alone);
    row(
        "the same, beside an endpoint answering 500 to all",
        &beside_failing,
    );
    row("as fast as 64 senders post, again", &alone_again);
    row("the same, beside an endpoint that hangs", &beside_hanging);
    println!();
    println!(
        "healthy rate beside the failing endpoint: {:.0}% of alone; beside the hanging one: {:.0}%",
        100.0 * beside_failing.rate / alone.rate,
        100.0 * beside_hanging.rate / alone_again.rate
    );
}
