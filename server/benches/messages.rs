//! The messages page at scale: one million messages (`tujenge seed-demo`), then the
//! server time of the first page, the thousandth page (keyset) and filtered pages, as
//! staff and as a partner, plus the overview. Prints a Markdown table for
//! docs/benchmarks.md. Target: p95 at most 50 ms for each messages page.

mod common;

use std::time::{Duration, Instant};

use common::{ms, percentile, tujenge};
use rules::messages::PAGE_SIZE;

const MESSAGES: usize = 1_000_000;
const SAMPLES: usize = 60;

async fn logged_in(base: &str, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let html = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let csrf = &html[start..start + html[start..].find('"').unwrap()];
    let answer = client.post(format!("{base}/api/login")).header("accept", "application/json").form(&[("email", email), ("password", "bench password 123"), ("csrf", csrf)]).send().await.unwrap();
    assert!(answer.status().is_success(), "log in as {email}");
    client
}

/// (p50, p95, rows on the page) of loading `path` `SAMPLES` times, after two warm-ups.
async fn measure(client: &reqwest::Client, base: &str, path: &str) -> (Duration, Duration, usize) {
    let mut samples = Vec::with_capacity(SAMPLES);
    let mut rows = 0;
    for i in 0..SAMPLES + 2 {
        let started = Instant::now();
        let response = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        if i >= 2 {
            samples.push(started.elapsed());
        }
        rows = html.matches("aria-label=\"Trace of message ").count();
    }
    (percentile(&samples, 0.5), percentile(&samples, 0.95), rows)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut seed = tujenge(dir.path());
    seed.args(["seed-demo", "--messages", &MESSAGES.to_string()]);
    println!("{}", common::output(seed, ""));
    let seeding = started.elapsed();
    for (email, role, org) in [("staff@bench.test", "support", None), ("partner@bench.test", "partner", Some("Demo Retail Ltd"))] {
        let mut create = tujenge(dir.path());
        create.args(["user", "create", "--email", email, "--role", role]);
        if let Some(org) = org {
            create.args(["--org", org]);
        }
        common::output(create, "bench password 123\n");
    }
    // The thousandth page starts below the 49,950th newest row.
    let db = domain::Db::connect(&common::database_url(dir.path())).await.unwrap();
    let (at, id): (i64, i64) = sqlx::query_as("SELECT created_at, id FROM messages ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $1")
        .bind(999 * PAGE_SIZE - 1)
        .fetch_one(db.pool())
        .await
        .unwrap();
    db.close().await;

    let (_server, base) = common::serve(dir.path(), &[]).await;
    let staff = logged_in(&base, "staff@bench.test").await;
    let partner = logged_in(&base, "partner@bench.test").await;
    let deep = format!("/messages?cursor={at}.{id}");
    let pages: Vec<(&str, &reqwest::Client, String, bool)> = vec![
        ("first page", &staff, "/messages".into(), true),
        ("page 1000 (keyset)", &staff, deep.clone(), true),
        ("filtered: failed or refused, one project", &staff, "/messages?project=2&status=problems".into(), true),
        ("filtered: error code 1013", &staff, "/messages?code=1013".into(), true),
        ("filtered: inbound from one number", &staff, "/messages?direction=inbound&phone=2557".into(), false),
        ("filtered: text in the body", &staff, "/messages?q=verification".into(), false),
        ("partner: first page", &partner, "/messages".into(), false),
        ("partner: page 1000", &partner, deep, false),
        ("overview, 24 h", &staff, "/?range=24h".into(), false),
        ("overview, 7 days", &staff, "/?range=7d".into(), false),
        ("overview, 30 days", &staff, "/?range=30d".into(), false),
        ("error code 1013: explanation and 24 h / 7 d counts", &staff, "/error-codes/1013".into(), false),
    ];
    println!("seeded {MESSAGES} messages in {:.0} s ({})", seeding.as_secs_f64(), common::engine());
    println!();
    println!("| page (server-rendered HTML) | rows | p50 ms | p95 ms | target p95 ≤ 50 ms |");
    println!("|---|---|---|---|---|");
    for (name, client, path, targeted) in pages {
        let (p50, p95, rows) = measure(client, &base, &path).await;
        let verdict = match (targeted, p95 <= Duration::from_millis(50)) {
            (false, _) => "—",
            (true, true) => "met",
            (true, false) => "**not met**",
        };
        println!("| {name} | {rows} | {} | {} | {verdict} |", ms(p50), ms(p95));
    }
}
