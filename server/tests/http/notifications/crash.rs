//! Nothing acknowledged is lost: the real server process receives a burst of
//! notifications, is killed with SIGKILL while forwarding, is started again, and the
//! receiver ends up with every notification that was answered 200.

use std::collections::HashSet;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::support::receiver::Receiver;

const BURST: usize = 300;

fn tujenge(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    c.env("TUJENGE_DATABASE_URL", format!("sqlite://{}/db.sqlite", dir.display())).env("TUJENGE_SECRET_KEY_FILE", dir.join("key")).env("TUJENGE_LOG", "warn");
    c
}

fn run(mut c: Command, stdin: &str) -> String {
    let mut child = c.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

async fn serve(dir: &std::path::Path, port: u16) -> Child {
    let child = tujenge(dir)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--allow-insecure-webhooks", "--webhook-retry-schedule", "200ms", "--webhook-timeout-secs", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child
}

#[tokio::test]
async fn a_sigkill_mid_delivery_loses_nothing_that_was_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let mut create = tujenge(dir.path());
    create.args(["project", "create", "--name", "Crash", "--phone", "255711000002", "--upstream-url", "http://127.0.0.1:9", "--upstream-user", "admin"]);
    let project = run(create, "pw\n").trim().to_owned();
    let mut key = tujenge(dir.path());
    key.args(["key", "create", "--project", &project, "--name", "crash"]);
    let key = run(key, "").trim().to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut show = tujenge(dir.path());
    show.args(["project", "show", &project, "--public-url", &base]);
    let inbound = run(show, "").lines().find_map(|l| l.strip_prefix("inbound URL:").map(|u| u.trim().to_owned())).unwrap();

    let receiver = Receiver::slow(Duration::from_millis(15)).await;
    let mut server = serve(dir.path(), port).await;
    let client = reqwest::Client::new();
    let r = client.post(format!("{base}/v1/configs/webhook")).header("WA-API-KEY", &key).json(&json!({"url": receiver.url})).send().await.unwrap();
    assert_eq!(r.status(), 200);

    // The burst, in the background; remember which notifications were acknowledged.
    let acknowledged = Arc::new(Mutex::new(HashSet::new()));
    let burst = {
        let (acknowledged, client, inbound) = (acknowledged.clone(), client.clone(), inbound.clone());
        tokio::spawn(async move {
            for i in 0..BURST {
                let id = format!("crash-{i}");
                let body = json!({"statuses": [{"id": id, "recipient_id": "15551234567", "status": "delivered", "timestamp": "1700000000"}]});
                match client.post(&inbound).json(&body).send().await {
                    Ok(r) if r.status() == 200 => {
                        acknowledged.lock().unwrap().insert(id);
                    }
                    _ => {}
                }
            }
        })
    };
    receiver.wait_for(30, Duration::from_secs(20)).await;
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let forwarded_before_kill = receiver.received().len();
    burst.await.unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 30, "some notifications were acknowledged before the kill");
    assert!(forwarded_before_kill < acknowledged.len(), "the kill happened mid-delivery ({forwarded_before_kill} of {})", acknowledged.len());

    let mut server = serve(dir.path(), port).await;
    let started = std::time::Instant::now();
    let missing = loop {
        let arrived: HashSet<String> = receiver.received().iter().filter_map(|r| r.body["statuses"][0]["id"].as_str().map(str::to_owned)).collect();
        let missing: Vec<_> = acknowledged.difference(&arrived).cloned().collect();
        if missing.is_empty() || started.elapsed() > Duration::from_secs(60) {
            break missing;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(missing.is_empty(), "{} acknowledged notifications never arrived, e.g. {:?}", missing.len(), missing.first());
    let duplicates = receiver.received().len() - acknowledged.len();
    assert!(duplicates <= 64, "duplicates only for attempts in flight at the kill: {duplicates}");
}
