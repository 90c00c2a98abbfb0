//! A Cloud number's template library is Meta's: read from every page of
//! `GET /{waba-id}/message_templates` into every project on the account, submitted to Meta
//! (PENDING until its review comes back by notification), deleted there, and read again
//! when Meta says a template changed or refuses one the library held as sendable. The
//! gateway refuses what cannot be sent, naming the status.

use std::time::Duration;

use domain::Actor;
use rules::templates::library::{Status, Template, TemplateInput, Translation};
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::cloud::{GRAPH_VERSION, Kind, WABA_ID, meta_template};
use crate::support::upstream::{Partner, assert_refusal};

const LIST: &str = "GET /v23.0/102290129340398/message_templates";

async fn partner() -> Partner {
    Partner::on_cloud(TestApp::spawn().await, &["--check-templates"]).await
}

fn message(name: &str, language: &str) -> Value {
    json!({"to": "15551230000", "type": "template",
        "template": {"name": name, "language": {"code": language}}})
}

/// Sends template `name` and checks the gateway refuses it with 2001, in words that say
/// `says`.
async fn refused_saying(p: &Partner, name: &str, says: &str) {
    let (status, answer) = p.post("/v1/messages", &message(name, "en_US")).await;
    assert_eq!(status, 400, "{name}: {answer}");
    assert_refusal(&answer, 400, "2001", says);
}

/// Waits (up to 10 s) until the project's template `name` is in `status`.
async fn until_status(p: &Partner, name: &str, status: Status) -> Template {
    for _ in 0..200 {
        if let Some(t) = p
            .templates()
            .await
            .into_iter()
            .find(|t| t.input.name == name)
        {
            if t.input.status == status {
                return t;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{name} never became {status:?}: {:?}", p.templates().await);
}

fn draft(name: &str) -> TemplateInput {
    TemplateInput {
        name: name.into(),
        translations: vec![Translation {
            language: "en_US".into(),
            body: "Hello {{1}}, your order is on its way.".into(),
            samples: vec!["Ann".into()],
            ..Translation::default()
        }],
        ..TemplateInput::default()
    }
}

#[tokio::test]
async fn a_sync_reads_every_page_into_every_project_on_the_account() {
    let app = TestApp::spawn().await;
    let second_number = "106540352242923";
    let p = Partner::on_cloud(
        app,
        &[
            "--phone-number-id",
            "106540352242922",
            "--phone-number-id",
            second_number,
        ],
    )
    .await;
    let entries: Vec<Value> = (0..120)
        .map(|i| meta_template(&format!("notice_{i:03}"), "en_US", "Notice.", "APPROVED"))
        .collect();
    p.upstream.seed_templates(&entries).await;
    let org = p.app.org("Second Co").await;
    let other = p
        .app
        .cloud_project_on(org, "Second shop", "255700000002", second_number)
        .await;

    let synced = p.sync_templates().await;
    assert_eq!(
        (synced.templates, synced.added, synced.removed),
        (121, 121, 0),
        "120 seeded and Meta's sample"
    );
    assert_eq!(p.upstream.count(LIST).await, 2, "two pages of 100");
    let actor = Actor::command_line();
    let others = domain::templates::library::list(&p.app.services, &actor, other)
        .await
        .unwrap();
    assert_eq!(
        others.len(),
        121,
        "the account's other number shares the library"
    );

    let again = p.sync_templates().await;
    assert_eq!((again.added, again.changed, again.removed), (0, 0, 0));
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'template.sync'")
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap();
    assert_eq!(
        audited, 2,
        "one entry per project that changed, none for no change"
    );
}

#[tokio::test]
async fn a_submitted_template_is_pending_until_metas_review_comes_back() {
    let p = partner().await;
    let admin = Actor::command_line();
    let saved = domain::templates::library::save(
        &p.app.services,
        &admin,
        p.project_id,
        None,
        &draft("order_update"),
    )
    .await
    .unwrap();
    assert_eq!(saved.input.status, Status::Submitted, "PENDING at once");
    let posted = format!("POST /{GRAPH_VERSION}/{WABA_ID}/message_templates");
    assert_eq!(p.upstream.count(&posted).await, 1);
    refused_saying(&p, "order_update", "PENDING").await;

    // The simulator approves it after its delay and says so by webhook.
    until_status(&p, "order_update", Status::Approved).await;
    let body = json!({"to": "15551230000", "type": "template", "template": {
        "name": "order_update", "language": {"code": "en_US"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ann"}]}]}});
    let (status, answer) = p.post("/v1/messages", &body).await;
    assert_eq!(status, 200, "{answer}");

    domain::templates::library::save(
        &p.app.services,
        &admin,
        p.project_id,
        None,
        &draft("promo_reject"),
    )
    .await
    .unwrap();
    let rejected = until_status(&p, "promo_reject", Status::Rejected).await;
    assert_eq!(
        rejected.input.rejection_reason, "INVALID_FORMAT",
        "Meta's reason kept"
    );
}

#[tokio::test]
async fn the_gateway_refuses_paused_disabled_and_pending_templates_naming_the_status() {
    let p = partner().await;
    p.upstream
        .seed_templates(&[
            meta_template("paused_one", "en_US", "Hi.", "PAUSED"),
            meta_template("disabled_one", "en_US", "Hi.", "DISABLED"),
            meta_template("pending_one", "en_US", "Hi.", "PENDING"),
        ])
        .await;
    p.sync_templates().await;
    for (name, says) in [
        ("paused_one", "is PAUSED by Meta"),
        ("disabled_one", "is DISABLED by Meta"),
        ("pending_one", "is PENDING"),
    ] {
        refused_saying(&p, name, says).await;
    }
    assert_eq!(p.messages_sent_upstream().await, 0, "none reached Meta");
}

#[tokio::test]
async fn a_pause_meta_notifies_reaches_the_gateway() {
    let p = partner().await;
    assert_eq!(p.kind, Kind::Cloud);
    p.sync_templates().await;
    let (status, answer) = p
        .post("/v1/messages", &message("hello_world", "en_US"))
        .await;
    assert_eq!(status, 200, "{answer}");
    p.upstream
        .set_template_status("hello_world", "en_US", "PAUSED")
        .await;
    until_status(&p, "hello_world", Status::Paused).await;
    refused_saying(&p, "hello_world", "PAUSED").await;
}

#[tokio::test]
async fn a_template_meta_refuses_is_read_again_from_meta() {
    let p = partner().await;
    p.sync_templates().await;
    // Deleted in WhatsApp Manager, without a notification: the library still has it.
    p.upstream.delete_template("hello_world").await;
    let (status, answer) = p
        .post("/v1/messages", &message("hello_world", "en_US"))
        .await;
    assert_eq!(status, 400, "Meta's 132001 reaches the partner: {answer}");
    for _ in 0..200 {
        if p.templates().await.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the library was not read again: {:?}", p.templates().await);
}

#[tokio::test]
async fn deleting_a_template_deletes_it_at_meta() {
    let p = partner().await;
    p.sync_templates().await;
    let id = p.templates().await[0].id;
    domain::templates::library::delete(&p.app.services, &Actor::command_line(), id, None)
        .await
        .unwrap();
    let delete = format!("DELETE /{GRAPH_VERSION}/{WABA_ID}/message_templates");
    assert_eq!(p.upstream.count(&delete).await, 1);
    assert!(p.templates().await.is_empty());
    let synced = p.sync_templates().await;
    assert_eq!(synced.templates, 0, "gone at Meta too");
}

#[tokio::test]
async fn deleting_one_language_deletes_only_that_language_at_meta() {
    let p = partner().await;
    let mut two_languages = draft("order_ready");
    two_languages.translations.push(Translation {
        language: "sw".into(),
        body: "Habari {{1}}, oda yako iko njiani.".into(),
        samples: vec!["Ann".into()],
        ..Translation::default()
    });
    let services = &p.app.services;
    let actor = Actor::command_line();
    let library =
        domain::templates::library::save(services, &actor, p.project_id, None, &two_languages);
    let submitted = library.await.unwrap();
    let languages = |t: &TemplateInput| -> Vec<String> {
        t.translations.iter().map(|t| t.language.clone()).collect()
    };

    let delete = domain::templates::library::delete(services, &actor, submitted.id, Some("sw"));
    let left = delete.await.unwrap().expect("English is left");
    assert_eq!(languages(&left.input), ["en_US"]);
    let synced = p.sync_templates().await;
    assert_eq!(synced.removed, 0, "the library already knew");
    let at_meta = p
        .templates()
        .await
        .into_iter()
        .find(|t| t.input.name == "order_ready");
    assert_eq!(
        languages(&at_meta.unwrap().input),
        ["en_US"],
        "Meta kept English"
    );

    let delete = domain::templates::library::delete(services, &actor, submitted.id, Some("sw"));
    let refused = delete.await.unwrap_err();
    assert!(
        format!("{refused:?}").contains("order_ready has no sw translation"),
        "{refused:?}"
    );
    let last = domain::templates::library::delete(services, &actor, submitted.id, Some("en_US"));
    assert_eq!(
        last.await.unwrap(),
        None,
        "the last language takes the template"
    );
    p.sync_templates().await;
    assert!(
        p.templates()
            .await
            .iter()
            .all(|t| t.input.name != "order_ready")
    );
}

#[tokio::test]
async fn meta_is_never_asked_to_rename_or_to_take_a_url_button_without_its_address() {
    let p = partner().await;
    p.sync_templates().await;
    let hello = p.templates().await.remove(0);
    let mut renamed = hello.input.clone();
    renamed.name = "hello_there".into();
    let save = |input: TemplateInput, id| {
        let services = p.app.services.clone();
        let project = p.project_id;
        async move {
            domain::templates::library::save(&services, &Actor::command_line(), project, id, &input)
                .await
        }
    };
    let refused = save(renamed, Some(hello.id)).await.unwrap_err();
    assert!(
        format!("{refused:?}").contains("does not rename"),
        "{refused:?}"
    );
    let mut with_button = draft("track_order");
    with_button.translations[0]
        .buttons
        .push(rules::templates::Button::new(
            rules::templates::ButtonKind::Url,
            "Track",
        ));
    let refused = save(with_button, None).await.unwrap_err();
    assert!(
        format!("{refused:?}").contains("Button 1: give the address"),
        "{refused:?}"
    );
    let posted = format!("POST /{GRAPH_VERSION}/{WABA_ID}/message_templates");
    assert_eq!(p.upstream.count(&posted).await, 0, "nothing reached Meta");
}

#[tokio::test]
async fn the_library_is_read_again_in_the_background() {
    let app = TestApp::spawn_with(|s| {
        s.gateway.template_sync_every = Duration::from_secs(1);
    })
    .await;
    let p = Partner::on_cloud(app, &[]).await;
    // No Sync pressed: the housekeeping (every 10 s) takes the lease and reads Meta.
    for _ in 0..300 {
        if !p.templates().await.is_empty() {
            assert!(p.upstream.count(LIST).await >= 1);
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no background sync in 15 s");
}
