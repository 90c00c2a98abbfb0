//! The messages list: each filter keeps exactly its rows (checked through the CSV export,
//! which lists every filtered row), keyset pages neither repeat nor skip rows while new
//! messages arrive, and partners see only their organization's messages.

use std::collections::BTreeSet;

use domain::messages::log::NewMessage;
use reqwest::StatusCode;
use rules::Role;

use crate::support::{Browser, TestApp};

const HOUR: i64 = rules::time::HOUR_MS;

/// One log row, written like a table line: (project, created at, direction, contact, type,
/// status, error codes, request body).
pub(super) type Row<'a> = (
    i64,
    i64,
    &'static str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

pub(super) fn message(
    (project_id, created_at, direction, contact, kind, status, codes, body): Row,
) -> NewMessage {
    NewMessage {
        created_at,
        project_id,
        direction,
        contact: contact.into(),
        message_type: kind.into(),
        request_body: Some(body.into()),
        decision: if status == "refused" {
            "24h_window"
        } else {
            "accepted"
        }
        .into(),
        status: status.into(),
        error_codes: codes.into(),
        ..Default::default()
    }
}

/// The ids the CSV export lists for `query`, in order.
pub(super) async fn csv_ids(browser: &Browser, query: &str) -> Vec<i64> {
    let response = browser.get(&format!("/export/messages?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = response.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("id,time_utc,project,direction,contact,type,status,error_codes,whatsapp_id,reason")
    );
    lines
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect()
}

/// Every id in the table of a messages page, and the "older" link if there is one.
fn page_ids(html: &str) -> (Vec<i64>, Option<String>) {
    let ids = html
        .split("aria-label=\"Trace of message ")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect();
    let next = html.find("rel=\"next\"").map(|at| {
        let start = html[..at].rfind("href=\"").unwrap() + 6;
        html[start..start + html[start..].find('"').unwrap()].replace("&amp;", "&")
    });
    (ids, next)
}

#[tokio::test]
async fn each_filter_keeps_exactly_its_rows() {
    let app = TestApp::spawn().await;
    let org = app.org("Shop").await;
    let (p1, p2) = (
        app.project(org, "East", "255700000001").await,
        app.project(org, "West", "255700000002").await,
    );
    let now = domain::platform::db::now_ms();
    let rows = vec![
        message((
            p1,
            now - 1000,
            "outbound",
            "255712000001",
            "text",
            "read",
            "",
            r#"{"text":{"body":"order 12 shipped"}}"#,
        )),
        message((
            p1,
            now - 2000,
            "outbound",
            "255712000002",
            "text",
            "failed",
            "1013",
            r#"{"text":{"body":"hello"}}"#,
        )),
        message((
            p1,
            now - 3 * HOUR,
            "outbound",
            "255713000003",
            "template",
            "refused",
            "470",
            "{}",
        )),
        message((
            p2,
            now - 4000,
            "inbound",
            "255712000001",
            "text",
            "received",
            "",
            r#"{"text":{"body":"where is order 12?"}}"#,
        )),
        message((
            p2,
            now - 5000,
            "outbound",
            "255712000004",
            "image",
            "failed",
            "131047,470",
            "{}",
        )),
        message((
            p2,
            now - 50 * HOUR,
            "outbound",
            "255714000005",
            "text",
            "delivered",
            "",
            r#"{"text":{"body":"100% off_sale"}}"#,
        )),
    ];
    domain::messages::log::insert_batch(&app.services.db, &rows)
        .await
        .unwrap();
    app.user("support@tujenge.test", Role::Support, None).await;
    let support = app.logged_in("support@tujenge.test").await;
    let all = csv_ids(&support, "").await;
    assert_eq!(all.len(), 6, "newest first, everything");
    // The ids in insertion order are 1..=6; the expected lists below name them by index.
    let id = |i: usize| all.iter().copied().min().unwrap() + i as i64;
    let from = rules::time::minute_input(now - 2 * HOUR);
    let cases: Vec<(String, Vec<usize>)> = vec![
        (format!("project={p1}"), vec![0, 1, 2]),
        ("direction=inbound".into(), vec![3]),
        ("status=failed".into(), vec![1, 4]),
        ("status=problems".into(), vec![1, 4, 2]),
        ("code=470".into(), vec![4, 2]),
        ("code=47".into(), vec![]),
        ("type=template".into(), vec![2]),
        ("q=%2B255%20712".into(), vec![0, 1, 3, 4]),
        ("phone=%2B255%20712".into(), vec![0, 1, 3, 4]),
        ("q=0002".into(), vec![1]),
        (format!("from={from}"), vec![0, 1, 3, 4]),
        (format!("to={from}"), vec![2, 5]),
        ("q=order%2012".into(), vec![0, 3]),
        ("q=ORDER%2012".into(), vec![0, 3]),
        ("q=100%25%20off_".into(), vec![5]),
        ("q=%25".into(), vec![5]),
        (
            format!("project={p2}&direction=outbound&status=failed&code=131047"),
            vec![4],
        ),
    ];
    for (query, expected) in cases {
        let expected: Vec<i64> = expected.into_iter().map(id).collect();
        assert_eq!(csv_ids(&support, &query).await, expected, "{query}");
    }
    let bad = support.get("/export/messages?status=lost").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("Status is one of"));
    let page = support
        .get("/messages?code=seven")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("An error code is a number"),
        "the filter bar names the bad field"
    );
}

#[tokio::test]
async fn keyset_pages_never_repeat_or_skip_while_messages_arrive() {
    let app = TestApp::spawn().await;
    let org = app.org("Shop").await;
    let project = app.project(org, "East", "255700000001").await;
    let now = domain::platform::db::now_ms() - HOUR;
    // 130 messages, in pairs sharing a millisecond, so the id must break ties.
    let rows: Vec<NewMessage> = (0..130)
        .map(|i| {
            message((
                project,
                now - (i / 2) * 1000,
                "outbound",
                "255712000001",
                "text",
                "sent",
                "",
                "{}",
            ))
        })
        .collect();
    domain::messages::log::insert_batch(&app.services.db, &rows)
        .await
        .unwrap();
    app.user("support@tujenge.test", Role::Support, None).await;
    let support = app.logged_in("support@tujenge.test").await;
    let existing: BTreeSet<i64> = csv_ids(&support, "").await.into_iter().collect();

    let mut seen = Vec::new();
    let mut href = Some("/messages".to_owned());
    let mut pages = 0;
    while let Some(path) = href {
        let html = support.get(&path).await.text().await.unwrap();
        let (ids, next) = page_ids(&html);
        seen.extend(ids);
        href = next;
        pages += 1;
        // New messages arrive between page loads: newer ones, and one stamped in the middle
        // of what is being paged (an inbound message's own, earlier timestamp).
        let arriving = [
            message((
                project,
                now + pages * 1000,
                "outbound",
                "255712000009",
                "text",
                "sent",
                "",
                "{}",
            )),
            message((
                project,
                now - 30_000,
                "inbound",
                "255712000009",
                "text",
                "received",
                "",
                "{}",
            )),
        ];
        domain::messages::log::insert_batch(&app.services.db, &arriving)
            .await
            .unwrap();
    }
    assert_eq!(pages, 3, "50 + 50 + 30 rows");
    let unique: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no row on two pages");
    assert!(
        existing.is_subset(&unique),
        "no row that existed at the start was skipped"
    );
}

#[tokio::test]
async fn partners_see_only_their_organization() {
    let app = TestApp::spawn().await;
    let (ours, theirs) = (app.org("Ours").await, app.org("Theirs").await);
    let (mine, other) = (
        app.project(ours, "Mine-Proj", "255700000001").await,
        app.project(theirs, "Theirs-Proj", "255700000002").await,
    );
    let now = domain::platform::db::now_ms();
    let rows = [
        message((
            mine,
            now,
            "outbound",
            "255712000001",
            "text",
            "failed",
            "1013",
            "{}",
        )),
        message((
            other,
            now,
            "outbound",
            "255712000002",
            "text",
            "failed",
            "1013",
            "{}",
        )),
    ];
    domain::messages::log::insert_batch(&app.services.db, &rows)
        .await
        .unwrap();
    app.user("partner@ours.test", Role::Partner, Some(ours))
        .await;
    let partner = app.logged_in("partner@ours.test").await;
    let visible = csv_ids(&partner, "").await;
    assert_eq!(visible.len(), 1);
    let theirs_id: i64 = sqlx::query_scalar("SELECT id FROM messages WHERE project_id = $1")
        .bind(other)
        .fetch_one(app.services.db.pool())
        .await
        .unwrap();
    assert_eq!(
        partner
            .get(&format!("/messages/{}", visible[0]))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        partner
            .get(&format!("/messages/{theirs_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "another organization's message"
    );
    app.user("support@tujenge.test", Role::Support, None).await;
    let support = app.logged_in("support@tujenge.test").await;
    assert_eq!(
        support
            .get(&format!("/messages/{theirs_id}"))
            .await
            .status(),
        StatusCode::OK,
        "the message exists: staff see it"
    );
    assert_eq!(
        partner
            .get(&format!("/export/messages?project={other}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let page = partner.get("/messages").await.text().await.unwrap();
    assert!(
        page.contains("Mine-Proj") && !page.contains("Theirs-Proj"),
        "the list and its project filter show only their projects"
    );
    let anonymous = app.browser().await;
    assert_eq!(
        anonymous.get("/export/messages").await.status(),
        StatusCode::SEE_OTHER,
        "logged-out callers are sent to the login page"
    );
}
