//! An answered message is in the log: the real server process sends a stream of
//! messages to the simulator, is killed with SIGKILL mid-stream, and every message the
//! partner got a 200 for has its row, upstream id included.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::process;
use crate::support::upstream::{UPSTREAM_PASSWORD, Upstream};

const SENDERS: usize = 8;

#[tokio::test]
async fn a_sigkill_loses_no_log_row_of_an_answered_message() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = Upstream::spawn(&[]);
    let (_, key) =
        process::project_and_key(dir.path(), "255711000003", &upstream.url, UPSTREAM_PASSWORD);
    let port = process::free_port();
    let url = format!("http://127.0.0.1:{port}/v1/messages");
    let mut server = process::serve(dir.path(), port, &[]).await;

    // Senders in the background, each remembering the upstream ids it was answered with.
    let answered = Arc::new(Mutex::new(HashSet::new()));
    let client = reqwest::Client::new();
    let senders: Vec<_> = (0..SENDERS)
        .map(|_| {
            let (answered, client, url, key) =
                (answered.clone(), client.clone(), url.clone(), key.clone());
            tokio::spawn(async move {
                // A template needs no open 24-hour window.
                let message = json!({
                    "to": "15551230000",
                    "type": "template",
                    "template": {
                        "name": "order_update",
                        "language": {"policy": "deterministic", "code": "en"}
                    }
                });
                let request = || client.post(&url).header("WA-API-KEY", &key).json(&message);
                while let Ok(r) = request().send().await {
                    if r.status() != 200 {
                        continue;
                    }
                    let Ok(body) = r.json::<Value>().await else {
                        break;
                    };
                    let id = body["messages"][0]["id"].as_str().unwrap().to_owned();
                    answered.lock().unwrap().insert(id);
                }
            })
        })
        .collect();
    while answered.lock().unwrap().len() < 300 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL, while the senders keep going
    server.wait().unwrap();
    for sender in senders {
        sender.await.unwrap();
    }

    let answered = answered.lock().unwrap().clone();
    let db = domain::Db::connect(&crate::support::database::url_for(dir.path()))
        .await
        .unwrap();
    let logged: HashSet<String> = sqlx::query_scalar(
        "SELECT upstream_message_id FROM messages WHERE upstream_message_id IS NOT NULL",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
    .into_iter()
    .collect();
    let missing: Vec<&String> = answered.difference(&logged).collect();
    assert!(
        missing.is_empty(),
        "{} of {} answered messages have no log row, e.g. {:?}",
        missing.len(),
        answered.len(),
        missing.first()
    );
}
