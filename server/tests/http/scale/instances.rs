//! Several `tujenge serve` processes on one database (PostgreSQL when the suite runs with
//! `TUJENGE_TEST_POSTGRES`, else one SQLite file): notifications keep arriving at both
//! while one is killed with SIGKILL mid-delivery, and the partner still gets every
//! acknowledged notification; sessions, login throttling and key revocation hold on
//! every instance; the retention purge is taken by one instance at a time.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::kit::{
    LOOPBACK_WEBHOOKS, QUICK_RETRIES, console_client, log_in, page_csrf, set_webhook,
};
use crate::support::receiver::Receiver;
use crate::support::{database, process};

const BURST: usize = 300;

async fn instance(dir: &std::path::Path) -> (std::process::Child, String) {
    let port = process::free_port();
    let flags = [&LOOPBACK_WEBHOOKS[..], &QUICK_RETRIES[..]].concat();
    let child = process::serve(dir, port, &flags).await;
    (child, format!("http://127.0.0.1:{port}"))
}

fn inbound_path(dir: &std::path::Path, project: &str) -> String {
    let shown = process::run(dir, &["project", "show", project, "--public-url", ""], "");
    shown
        .lines()
        .find_map(|l| l.strip_prefix("inbound URL:").map(|u| u.trim().to_owned()))
        .unwrap()
}

/// Posts BURST status notifications alternately to the two instances (a load balancer),
/// noting each one acknowledged with 200.
async fn burst(
    client: reqwest::Client,
    bases: [String; 2],
    path: String,
    acknowledged: Arc<Mutex<HashSet<String>>>,
) {
    for i in 0..BURST {
        let id = format!("pair-{i}");
        let body = crate::support::status_notification(&id, "delivered");
        if let Ok(r) = client
            .post(format!("{}{path}", bases[i % 2]))
            .json(&body)
            .send()
            .await
        {
            if r.status() == 200 {
                acknowledged.lock().unwrap().insert(id);
            }
        }
    }
}

/// Two instances on one database, their base URLs, and a project's inbound path.
struct Pair {
    a: std::process::Child,
    b: std::process::Child,
    bases: [String; 2],
    path: String,
}

/// Starts two instances on the database in `dir`, with a project whose webhook is `receiver`.
async fn pair(dir: &std::path::Path, phone: &str, receiver: &Receiver) -> Pair {
    let (project, key) = process::project_and_key(dir, phone, "http://127.0.0.1:9", "pw");
    let path = inbound_path(dir, &project);
    let (a, base_a) = instance(dir).await;
    let (b, base_b) = instance(dir).await;
    set_webhook(&base_a, &key, &receiver.url).await;
    Pair {
        a,
        b,
        bases: [base_a, base_b],
        path,
    }
}

#[tokio::test]
async fn two_instances_forward_each_notification_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::slow(Duration::from_millis(5)).await;
    let Pair {
        mut a,
        mut b,
        bases,
        path,
    } = pair(dir.path(), "255711000005", &receiver).await;

    let acknowledged = Arc::new(Mutex::new(HashSet::new()));
    burst(reqwest::Client::new(), bases, path, acknowledged.clone()).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert_eq!(acknowledged.len(), BURST);
    let missing = receiver
        .missing_statuses(&acknowledged, Duration::from_secs(60))
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await; // time for a second copy to show up
    a.kill().unwrap();
    b.kill().unwrap();
    let _ = (a.wait(), b.wait());
    missing.assert_none();
    assert_eq!(
        receiver.received().len(),
        BURST,
        "both instances forward, but each delivery is claimed by one of them"
    );
}

#[tokio::test]
async fn killing_one_of_two_instances_mid_delivery_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::slow(Duration::from_millis(15)).await;
    let Pair {
        mut a,
        mut b,
        bases,
        path,
    } = pair(dir.path(), "255711000003", &receiver).await;

    // The load balancer alternates; what either instance answered 200 must arrive.
    let acknowledged = Arc::new(Mutex::new(HashSet::new()));
    let burst = tokio::spawn(burst(
        reqwest::Client::new(),
        bases,
        path,
        acknowledged.clone(),
    ));
    receiver.wait_for(30, Duration::from_secs(20)).await;
    a.kill().unwrap(); // SIGKILL, claims and all
    a.wait().unwrap();
    let forwarded_before_kill = receiver.received().len();
    burst.await.unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        forwarded_before_kill < acknowledged.len(),
        "the kill happened mid-delivery ({forwarded_before_kill} of {})",
        acknowledged.len()
    );

    // Instance B alone finishes the work, including what A had claimed when it died.
    let missing = receiver
        .missing_statuses(&acknowledged, Duration::from_secs(60))
        .await;
    b.kill().unwrap();
    b.wait().unwrap();
    missing.assert_none();
    let duplicates = receiver.received().len() - acknowledged.len();
    assert!(
        duplicates <= 64,
        "each delivery went to one instance at a time; \
         duplicates only for attempts in flight at the kill: {duplicates}"
    );
}

#[tokio::test]
async fn sessions_throttling_and_revocation_hold_on_every_instance() {
    let dir = tempfile::tempdir().unwrap();
    let (_project, key) =
        process::project_and_key(dir.path(), "255711000004", "http://127.0.0.1:9", "pw");
    process::run(
        dir.path(),
        &[
            "user",
            "create",
            "--email",
            "admin@tujenge.test",
            "--role",
            "admin",
        ],
        "a long admin password\n",
    );
    let (mut a, base_a) = instance(dir.path()).await;
    let (mut b, base_b) = instance(dir.path()).await;

    // A session made on A is a session on B.
    let admin = console_client(false);
    let password = "a long admin password";
    let logged_in = log_in(&admin, &base_a, "admin@tujenge.test", password).await;
    assert_eq!(logged_in.status(), 200);
    let page = admin
        .get(format!("{base_b}/projects"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "logged in on B too");

    // Failures on A count on B: the sixth attempt is refused even with the right password.
    let attacker = console_client(false);
    for _ in 0..5 {
        let refused = log_in(&attacker, &base_a, "admin@tujenge.test", "wrong").await;
        assert_ne!(refused.status(), 200);
    }
    let answer = log_in(&attacker, &base_b, "admin@tujenge.test", password).await;
    assert!(
        answer.text().await.unwrap().contains("Throttled"),
        "throttled on B after failures on A"
    );

    // A key revoked through A stops working on B within seconds (B caches keys briefly).
    let gateway = reqwest::Client::new();
    let call = |base: String| {
        gateway
            .get(format!("{base}/v1/configs/webhook"))
            .header("WA-API-KEY", key.clone())
            .send()
    };
    assert_eq!(
        call(base_b.clone()).await.unwrap().status(),
        404,
        "the key works on B (no webhook yet)"
    );
    let token = page_csrf(&admin, &format!("{base_a}/projects")).await;
    let key_id = sqlx_key_id(dir.path()).await;
    let revoked = admin
        .post(format!("{base_a}/api/revoke_key"))
        .header("accept", "application/json")
        .header("x-csrf-token", token)
        .form(&[("key_id", key_id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let started = std::time::Instant::now();
    while call(base_b.clone()).await.unwrap().status() != 401 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "revocation reached B within seconds"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    a.kill().unwrap();
    b.kill().unwrap();
    let _ = (a.wait(), b.wait());
}

async fn sqlx_key_id(dir: &std::path::Path) -> i64 {
    let db = domain::Db::connect(&database::url_for(dir)).await.unwrap();
    let id = sqlx::query_scalar("SELECT id FROM api_keys")
        .fetch_one(db.pool())
        .await
        .unwrap();
    db.close().await;
    id
}

#[tokio::test]
async fn the_retention_purge_is_taken_by_one_instance_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let url = database::url_for(dir.path());
    let (one, two) = (
        domain::Db::connect(&url).await.unwrap(),
        domain::Db::connect(&url).await.unwrap(),
    );
    // The server takes the lease for an hour; two seconds keep the test short.
    let period = Duration::from_secs(2);
    let job = domain::platform::jobs::MESSAGE_RETENTION;
    let (a, b) = tokio::join!(
        domain::platform::jobs::take_lease(&one, job, "a", period),
        domain::platform::jobs::take_lease(&two, job, "b", period)
    );
    assert_eq!(
        [a.unwrap(), b.unwrap()].iter().filter(|t| **t).count(),
        1,
        "exactly one instance purges"
    );
    assert!(
        !domain::platform::jobs::take_lease(&one, job, "a", period)
            .await
            .unwrap(),
        "not again within the period"
    );
    tokio::time::sleep(period + Duration::from_millis(100)).await;
    assert!(
        domain::platform::jobs::take_lease(&two, job, "b", period)
            .await
            .unwrap(),
        "the next period, whoever comes first"
    );
}
