//! Balance benchmark: the product's throughput with its notifications, not the gateway's alone.
//! Messages are sent through the gateway at a steady rate (open-loop) to the On-Premises simulator,
//! which posts sent, delivered and read for each to the project's inbound URL, 100, 200 and 300 ms
//! after the send; the pipeline forwards them to the partner's receiver. Each rate runs for 60 s
//! while the statuses not yet at the receiver (3 × messages accepted − statuses arrived) are
//! sampled every second; the rate keeps up when every message was accepted and that backlog stops
//! growing: its mean over the last 20 s is at most a quarter second's statuses above its mean over
//! the 20 s before. Rates go up in steps until one does not keep up; the highest that did is the
//! product's throughput (README).
//!
//! Run: `cargo bench -p server --bench balance` (results go in docs/benchmarks.md).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::receiver::{self, Answer, Arrivals};
use serde_json::json;

const PASSWORD: &str = "bench upstream password";
const RECIPIENT: &str = "15551234567";
const RUN_SECONDS: u32 = 60;
const RATES: [u32; 6] = [200, 400, 600, 800, 1000, 1200];

struct Step {
    rate: u32,
    accepted: usize,
    /// Mean backlog over seconds 20–40 and 40–60.
    backlog: (f64, f64),
}

impl Step {
    fn keeps_up(&self) -> bool {
        let quarter_second = 0.75 * f64::from(self.rate);
        self.accepted == (self.rate * RUN_SECONDS) as usize
            && self.backlog.1 <= self.backlog.0 + quarter_second
    }
}

/// Sends `rate` messages a second for RUN_SECONDS through the gateway, sampling the
/// backlog each second.
async fn step(base: &str, key: &str, arrivals: &Arrivals, rate: u32) -> Step {
    let client = reqwest::Client::new();
    let accepted = Arc::new(AtomicUsize::new(0));
    let before = arrivals.total();
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let every = Duration::from_secs(1) / rate;
    let body =
        json!({"to": RECIPIENT, "type": "text", "text": {"body": "Your order has shipped."}});
    let sender = {
        let (accepted, url, key) = (
            accepted.clone(),
            format!("{base}/v1/messages"),
            key.to_owned(),
        );
        tokio::spawn(async move {
            let mut sends = Vec::new();
            for i in 0..rate * RUN_SECONDS {
                let (client, url, key, body, accepted) = (
                    client.clone(),
                    url.clone(),
                    key.clone(),
                    body.clone(),
                    accepted.clone(),
                );
                let at = start + every * i;
                sends.push(tokio::spawn(async move {
                    tokio::time::sleep_until(at).await;
                    let sent = client
                        .post(&url)
                        .header("WA-API-KEY", &key)
                        .json(&body)
                        .send();
                    if sent.await.is_ok_and(|r| r.status().is_success()) {
                        accepted.fetch_add(1, Ordering::SeqCst);
                    }
                }));
            }
            for send in sends {
                send.await.unwrap();
            }
        })
    };
    let mut samples = Vec::new();
    for second in 1..=RUN_SECONDS {
        tokio::time::sleep_until(start + Duration::from_secs(u64::from(second))).await;
        let expected = 3 * accepted.load(Ordering::SeqCst);
        let arrived = arrivals.total() - before;
        samples.push(expected as f64 - arrived as f64);
    }
    sender.await.unwrap();
    // Let this step's statuses drain before the next one.
    let expected = 3 * accepted.load(Ordering::SeqCst);
    for _ in 0..600 {
        if arrivals.total() - before >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    Step {
        rate,
        accepted: accepted.load(Ordering::SeqCst),
        backlog: (mean(&samples[20..40]), mean(&samples[40..60])),
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (port, sim_port) = (common::free_port(), common::free_port());
    let base = format!("http://127.0.0.1:{port}");
    // The project first (its inbound URL is the simulator's callback), then the simulator
    // (its URL is the project's upstream), then the server.
    let upstream = format!("http://127.0.0.1:{sim_port}");
    let (project, key) =
        common::project(dir.path(), "Balance", "255711000001", &upstream, PASSWORD);
    let inbound = common::inbound_url(dir.path(), &project, &base);
    let (_sim, _) = common::simulator_calling(PASSWORD, sim_port, &inbound, 100);
    common::open_window(dir.path(), &project, RECIPIENT).await;
    let (_server, base) = common::serve_on(dir.path(), port, &common::kit::LOOPBACK_WEBHOOKS).await;
    let (url, arrivals) = receiver::start(Answer::Ok).await;
    common::kit::set_webhook(&base, &key, &url).await;

    println!("storage: {}", common::engine());
    println!(
        "| messages/s offered | accepted | statuses/s | backlog, s 20–40 | backlog, s 40–60 | keeps up |"
    );
    println!("|---|---|---|---|---|---|");
    let mut highest = None;
    for rate in RATES {
        let s = step(&base, &key, &arrivals, rate).await;
        let keeps_up = s.keeps_up();
        println!(
            "| {} | {} | {} | {:.0} | {:.0} | {} |",
            s.rate,
            s.accepted,
            3 * s.rate,
            s.backlog.0,
            s.backlog.1,
            if keeps_up { "yes" } else { "no" }
        );
        if !keeps_up {
            break;
        }
        highest = Some(rate);
    }
    println!();
    match highest {
        Some(rate) => println!("highest rate at which statuses keep up: {rate} messages/s"),
        None => println!("statuses did not keep up at {} messages/s", RATES[0]),
    }
}
