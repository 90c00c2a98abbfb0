//! Nothing acknowledged is lost: the real server process receives a burst of
//! notifications from 32 senders at once, as fast as it takes them, is killed with SIGKILL
//! while forwarding at full speed (deliveries in memory, attempts in flight, outcomes not
//! yet written), is started again, and the receiver ends up with every notification that
//! was answered 200.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::kit::{LOOPBACK_WEBHOOKS, QUICK_RETRIES, set_webhook};
use crate::support::process;
use crate::support::receiver::Receiver;

const BURST: usize = 3_000;
const SENDERS: usize = 32;

async fn serve(dir: &std::path::Path, port: u16) -> std::process::Child {
    // Forwarding (8 at once, 20 ms each) is slower than the senders: at the kill,
    // deliveries wait in memory, attempts are in flight, outcomes are unwritten.
    let slow = ["--webhook-per-endpoint", "8"];
    let flags = [&LOOPBACK_WEBHOOKS[..], &QUICK_RETRIES[..], &slow[..]].concat();
    process::serve(dir, port, &flags).await
}

#[tokio::test]
async fn a_sigkill_mid_delivery_loses_nothing_that_was_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let (project, key) =
        process::project_and_key(dir.path(), "255711000002", "http://127.0.0.1:9", "pw");
    let port = process::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let shown = process::run(
        dir.path(),
        &["project", "show", &project, "--public-url", &base],
        "",
    );
    let inbound = shown
        .lines()
        .find_map(|l| l.strip_prefix("inbound URL:").map(|u| u.trim().to_owned()))
        .unwrap();

    let receiver = Receiver::slow(Duration::from_millis(20)).await;
    let mut server = serve(dir.path(), port).await;
    set_webhook(&base, &key, &receiver.url).await;
    let client = reqwest::Client::new();

    // The burst, in the background; remember which notifications were acknowledged.
    let acknowledged = Arc::new(Mutex::new(HashSet::new()));
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let (acknowledged, client, inbound) =
                (acknowledged.clone(), client.clone(), inbound.clone());
            tokio::spawn(async move {
                for i in (sender..BURST).step_by(SENDERS) {
                    let id = format!("crash-{i}");
                    let body = crate::support::status_notification(&id, "delivered");
                    match client.post(&inbound).json(&body).send().await {
                        Ok(r) if r.status() == 200 => {
                            acknowledged.lock().unwrap().insert(id);
                        }
                        _ => {}
                    }
                }
            })
        })
        .collect();
    receiver.wait_for(BURST / 5, Duration::from_secs(60)).await;
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let forwarded_before_kill = receiver.received().len();
    for sender in senders {
        sender.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= BURST / 5,
        "notifications were acknowledged before the kill"
    );
    assert!(
        forwarded_before_kill < acknowledged.len(),
        "the kill happened mid-delivery ({forwarded_before_kill} of {})",
        acknowledged.len()
    );

    let mut server = serve(dir.path(), port).await;
    let missing = receiver
        .missing_statuses(&acknowledged, Duration::from_secs(60))
        .await;
    server.kill().unwrap();
    server.wait().unwrap();
    missing.assert_none();
    // Sent twice: only what was in flight at the kill or answered with its outcome not yet
    // written (at most 512 attempts at once, a batch of at most 500).
    let received = receiver.received();
    let distinct: HashSet<&str> = received
        .iter()
        .filter_map(|r| r.body["statuses"][0]["id"].as_str())
        .collect();
    let duplicates = received.len() - distinct.len();
    assert!(
        duplicates <= 1_012,
        "duplicates only for attempts unrecorded at the kill: {duplicates}"
    );
}
