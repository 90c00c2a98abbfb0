//! Each Cloud number's health as Meta sees it: read by a check, at once on Meta's quality
//! notification and in the background; every change kept as a timeline and in the audit
//! log; a drop listed on the home overview with what to do, for those who may see it;
//! Meta's notice about the account (restricted, banned) in words on each number's timeline.

use std::time::Duration;

use domain::Actor;
use rules::projects::health::HealthView;
use serde_json::json;

use crate::support::TestApp;
use crate::support::cloud::PHONE_NUMBER_ID;
use crate::support::upstream::Partner;

async fn view(p: &Partner) -> HealthView {
    domain::projects::health::view(&p.app.services, &Actor::command_line(), p.project_id)
        .await
        .unwrap()
        .expect("a Cloud number has a health")
}

/// Waits (up to 10 s) until the stored quality rating is `rating`.
async fn until_quality(p: &Partner, rating: &str) -> HealthView {
    for _ in 0..200 {
        let v = view(p).await;
        if v.health
            .as_ref()
            .is_some_and(|h| h.quality_rating == rating)
        {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the quality never became {rating}: {:?}", view(p).await);
}

#[tokio::test]
async fn a_check_reads_the_number_and_metas_notice_of_a_drop_is_kept_as_a_change() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    assert_eq!(view(&p).await.health, None, "not read yet");
    let h = domain::projects::health::check(&p.app.services, &Actor::command_line(), p.project_id)
        .await
        .unwrap();
    assert_eq!(
        (
            h.verified_name.as_str(),
            h.quality_rating.as_str(),
            h.messaging_limit.as_str()
        ),
        ("Simulated Shop", "GREEN", "TIER_1K")
    );
    assert_eq!(
        (h.throughput.as_str(), h.account_status.as_str()),
        ("STANDARD", "CONNECTED")
    );
    assert!(
        view(&p).await.changes.is_empty(),
        "a first reading is no change"
    );

    p.upstream
        .change_number(
            json!({"phone_number_id": PHONE_NUMBER_ID, "event": "DOWNGRADE",
            "quality_rating": "YELLOW"}),
        )
        .await;
    let v = until_quality(&p, "YELLOW").await;
    let change = &v.changes[0];
    assert_eq!(
        (
            change.field.as_str(),
            change.before.as_str(),
            change.after.as_str()
        ),
        ("quality rating", "GREEN", "YELLOW")
    );
    assert_eq!(change.source, "Meta's notification");
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT after_json FROM audit_log WHERE action = 'number.health_change'",
    )
    .fetch_all(p.app.services.db.pool())
    .await
    .unwrap();
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert!(audited[0].contains("YELLOW"), "{audited:?}");
}

#[tokio::test]
async fn the_home_overview_lists_a_dropped_number_with_what_to_do_for_those_who_see_it() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    let staff = Actor::command_line();
    let listed = |actor: Actor| {
        let services = p.app.services.clone();
        async move {
            domain::projects::health::attention(&services, &actor)
                .await
                .unwrap()
        }
    };
    domain::projects::health::check(&p.app.services, &staff, p.project_id)
        .await
        .unwrap();
    assert!(listed(staff.clone()).await.is_empty(), "GREEN needs no one");

    p.upstream
        .change_number(
            json!({"phone_number_id": PHONE_NUMBER_ID, "event": "FLAGGED",
            "quality_rating": "RED", "status": "FLAGGED"}),
        )
        .await;
    until_quality(&p, "RED").await;
    let items = listed(staff).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].project_id, p.project_id);
    assert!(items[0].what.contains("flagged"), "{items:?}");
    assert!(
        items[0].todo.contains("Pause marketing templates"),
        "{items:?}"
    );

    let other = p.app.org("Other Co").await;
    let stranger = Actor {
        user_id: Some(99),
        label: "other partner".into(),
        role: rules::Role::Partner,
        organization_id: Some(other),
    };
    assert!(
        listed(stranger).await.is_empty(),
        "another organization's number is not shown"
    );
}

#[tokio::test]
async fn numbers_are_read_in_the_background() {
    let app = TestApp::spawn_with(|s| {
        s.gateway.number_health_every = Duration::from_secs(1);
    })
    .await;
    let p = Partner::on_cloud(app, &[]).await;
    for _ in 0..300 {
        if view(&p).await.health.is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no background check in 15 s");
}

#[tokio::test]
async fn metas_restriction_of_the_account_is_read_in_words_on_the_numbers_timeline() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    domain::projects::health::check(&p.app.services, &Actor::command_line(), p.project_id)
        .await
        .unwrap();
    // Meta's own shape of the notice (its webhook reference's example, dates moved).
    let restriction = json!({"phone_number": "15550783881", "event": "ACCOUNT_RESTRICTION",
        "restriction_info": [{"restriction_type": "RESTRICTED_BIZ_INITIATED_MESSAGING",
            "expiration": "2026-12-08T13:59:20+0000"}]});
    p.upstream.change_account("RESTRICTED", restriction).await;

    let mut v = view(&p).await;
    for _ in 0..200 {
        if v.health
            .as_ref()
            .is_some_and(|h| h.account_status == "RESTRICTED")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        v = view(&p).await;
    }
    let notice = v
        .changes
        .iter()
        .find(|c| c.field == rules::projects::notice::FIELD)
        .unwrap_or_else(|| panic!("the notice is on the timeline: {:?}", v.changes));
    assert_eq!(
        notice.after,
        "Meta restricted the account: no business-initiated (template) conversations until \
         2026-12-08T13:59:20+0000."
    );
    assert_eq!(notice.source, "Meta's notification");
    assert!(
        v.changes
            .iter()
            .any(|c| c.field == "account status" && c.after == "RESTRICTED"),
        "and the number was read again: {:?}",
        v.changes
    );
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = 'number.meta_notice'")
            .fetch_all(p.app.services.db.pool())
            .await
            .unwrap();
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert!(audited[0].contains("business-initiated"), "{audited:?}");
}
