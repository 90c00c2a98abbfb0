//! A Cloud number's template library read from Meta: 250 template names in 5 languages
//! (1,250 entries, 13 pages of 100 in the Graph simulator) synced with
//! `tujenge project sync-templates`, first into an empty library, then again with nothing
//! changed. Each run is a whole command (process start, database, Graph, writes); an empty
//! command (`tujenge project list`) is timed beside it as the floor.

mod common;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PHONE_NUMBER_ID: &str = "106540352242922";
const LANGUAGES: [&str; 5] = ["en_US", "sw", "fr", "pt_BR", "ar"];

/// Meta's entry for one language of template `n`: a header, a body with two variables and
/// their samples, a footer and two buttons.
fn entry(n: usize, language: &str) -> Value {
    json!({"name": format!("order_update_{n:03}"), "language": language,
        "category": "UTILITY", "status": if n.is_multiple_of(10) { "PAUSED" } else { "APPROVED" },
        "quality_score": {"score": "GREEN"},
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}",
             "example": {"header_text": ["A-1042"]}},
            {"type": "BODY", "text": "Hello {{1}}, your order {{2}} has shipped and arrives tomorrow.",
             "example": {"body_text": [["Amina", "A-1042"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Thanks"},
                {"type": "URL", "text": "Track", "url": "https://shop.example/track"}]}]})
}

fn timed(dir: &std::path::Path, args: &[&str]) -> (Duration, String) {
    let mut c = common::tujenge(dir);
    c.args(args);
    let started = Instant::now();
    let out = common::output(c, "");
    (started.elapsed(), out)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (_graph, graph) = common::graph_simulator(PHONE_NUMBER_ID);
    let entries: Vec<Value> = (0..250)
        .flat_map(|n| LANGUAGES.map(|l| entry(n, l)))
        .collect();
    let seeded = reqwest::Client::new()
        .post(format!("{graph}/control/templates"))
        .json(&entries)
        .send()
        .await
        .unwrap();
    assert!(seeded.status().is_success());
    let (project, _) =
        common::cloud_project(dir.path(), "Bench", "255711000001", &graph, PHONE_NUMBER_ID);
    println!("storage: {}", common::engine());
    println!("| run | wall ms | answer |");
    println!("|---|---|---|");
    for run in [
        "empty command (floor)",
        "first sync (empty library)",
        "sync again (no change)",
        "sync again (no change)",
        "empty command (floor)",
    ] {
        let args: Vec<&str> = if run.starts_with("empty") {
            vec!["project", "list"]
        } else {
            vec!["project", "sync-templates", &project]
        };
        let (took, out) = timed(dir.path(), &args);
        let answer = if run.starts_with("empty") {
            String::new()
        } else {
            out
        };
        println!("| {run} | {} | {answer} |", took.as_millis());
    }
}
