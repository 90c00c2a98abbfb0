//! The messages page at scale: one million messages (`tujenge seed-demo`), then the
//! server time of the first page, the thousandth page (keyset) and filtered pages, as
//! staff and as a partner, plus the overview. Prints a Markdown table for
//! docs/benchmarks.md. Target: p95 at most 50 ms for each messages page. Then the
//! retention purge: how long a log write (what a gateway request waits for) waits while
//! old rows are deleted, in one transaction (before) and in the purge's small ones (now).

mod common;

use std::time::{Duration, Instant};

use common::{kit, ms, percentile, tujenge};
use rules::messages::log::PAGE_SIZE;

const MESSAGES: usize = 1_000_000;
const SAMPLES: usize = 60;

async fn logged_in(base: &str, email: &str) -> reqwest::Client {
    let client = kit::console_client(false);
    let answer = kit::log_in(&client, base, email, "bench password 123").await;
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
    for (email, role, org) in [
        ("staff@bench.test", "support", None),
        ("partner@bench.test", "partner", Some("Demo Retail Ltd")),
    ] {
        let mut create = tujenge(dir.path());
        create.args(["user", "create", "--email", email, "--role", role]);
        if let Some(org) = org {
            create.args(["--org", org]);
        }
        common::output(create, "bench password 123\n");
    }
    // The thousandth page starts below the 49,950th newest row.
    let db = domain::Db::connect(&common::database_url(dir.path()))
        .await
        .unwrap();
    let (at, id): (i64, i64) = sqlx::query_as(
        "SELECT created_at, id FROM messages ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $1",
    )
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
        (
            "filtered: failed or refused, one project",
            &staff,
            "/messages?project=2&status=problems".into(),
            true,
        ),
        (
            "filtered: error code 1013",
            &staff,
            "/messages?code=1013".into(),
            true,
        ),
        (
            "filtered: inbound from one number",
            &staff,
            "/messages?direction=inbound&phone=2557".into(),
            false,
        ),
        (
            "filtered: text in the body",
            &staff,
            "/messages?q=verification".into(),
            false,
        ),
        ("partner: first page", &partner, "/messages".into(), false),
        ("partner: page 1000", &partner, deep, false),
        ("overview, 24 h", &staff, "/?range=24h".into(), false),
        ("overview, 7 days", &staff, "/?range=7d".into(), false),
        ("overview, 30 days", &staff, "/?range=30d".into(), false),
        (
            "error code 1013: explanation and 24 h / 7 d counts",
            &staff,
            "/error-codes/1013".into(),
            false,
        ),
    ];
    println!(
        "seeded {MESSAGES} messages in {:.0} s ({})",
        seeding.as_secs_f64(),
        common::engine()
    );
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
        println!(
            "| {name} | {rows} | {} | {} | {verdict} |",
            ms(p50),
            ms(p95)
        );
    }

    let db = domain::Db::connect(&common::database_url(dir.path()))
        .await
        .unwrap();
    let oldest: i64 = sqlx::query_scalar("SELECT MIN(created_at) FROM messages")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let day = rules::time::DAY_MS;
    println!();
    println!(
        "| retention purge | rows deleted | purge s \
         | one-row log write while it runs: p50 ms | p99 ms | max ms |"
    );
    println!("|---|---|---|---|---|---|");
    let one_transaction = |cutoff: i64| {
        let db = db.clone();
        async move {
            let mut tx = db.pool().begin().await.unwrap();
            let events = r"
                DELETE FROM message_events
                WHERE message_id IN (SELECT id FROM messages WHERE created_at < $1)";
            sqlx::query(events)
                .bind(cutoff)
                .execute(&mut *tx)
                .await
                .unwrap();
            let n = sqlx::query("DELETE FROM messages WHERE created_at < $1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await
                .unwrap()
                .rows_affected();
            tx.commit().await.unwrap();
            n
        }
    };
    let (n, took, writes) = purge_beside_writes(&db, one_transaction(oldest + 2 * day)).await;
    println!(
        "| two days in one transaction (before) | {n} | {:.2} | {} | {} | {} |",
        took.as_secs_f64(),
        ms(percentile(&writes, 0.5)),
        ms(percentile(&writes, 0.99)),
        ms(percentile(&writes, 1.0))
    );
    let chunked = domain::messages::retention::purge_messages_before(&db, oldest + 4 * day);
    let (n, took, writes) = purge_beside_writes(&db, async move { chunked.await.unwrap() }).await;
    println!(
        "| the next two days, 250 rows a transaction (now) | {n} | {:.2} | {} | {} | {} |",
        took.as_secs_f64(),
        ms(percentile(&writes, 0.5)),
        ms(percentile(&writes, 0.99)),
        ms(percentile(&writes, 1.0))
    );
}

/// Runs `purge` while a one-row message-log write (as the gateway makes) starts every
/// 2 ms; (rows purged, purge time, each write's time).
async fn purge_beside_writes(
    db: &domain::Db,
    purge: impl std::future::Future<Output = u64>,
) -> (u64, Duration, Vec<Duration>) {
    let project_id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM projects")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        tokio::spawn(async move {
            let mut took = Vec::new();
            let mut tick = tokio::time::interval(Duration::from_millis(2));
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                tick.tick().await;
                let row = domain::messages::log::NewMessage {
                    created_at: domain::platform::db::now_ms(),
                    project_id,
                    direction: "outbound",
                    decision: "accepted".into(),
                    status: "sent".into(),
                    ..Default::default()
                };
                let started = Instant::now();
                domain::messages::log::insert_batch(&db, &[row])
                    .await
                    .unwrap();
                took.push(started.elapsed());
            }
            took
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let purged = purge.await;
    let took = started.elapsed();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    (purged, took, writer.await.unwrap())
}
