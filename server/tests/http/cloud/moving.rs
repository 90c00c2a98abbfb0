//! Meta's migration moves a number from its On-Premises client to the Cloud API; the
//! operator then moves the project (`tujenge project set-upstream`). Everything partners
//! and support rely on stays: the API key, the webhook, the message log, the templates.

use std::process::Command;
use std::time::Duration;

use rules::templates::library::{Status, TemplateInput, Translation};
use serde_json::json;

use crate::support::cloud::{ACCESS_TOKEN, PHONE_NUMBER_ID, UPSTREAM_FLAGS, spawn_graph};
use crate::support::process;
use crate::support::receiver::Receiver;
use crate::support::upstream::Partner;

/// The command line on the app's database and key, as an operator runs it.
fn tujenge(p: &Partner, args: &[&str], stdin: &str) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    command
        .env("TUJENGE_DATABASE_URL", &p.app.database_url)
        .env("TUJENGE_SECRET_KEY", &p.app.secret_key)
        .env("TUJENGE_LOG", "warn")
        .args(args);
    process::output(command, stdin)
}

#[tokio::test]
async fn a_project_moved_to_the_cloud_keeps_its_key_webhook_log_and_templates() {
    let p = Partner::new().await;
    let receiver = Receiver::start(vec![]).await;
    p.set_webhook(&receiver.url, json!({"X-Partner": "shop"}))
        .await;
    let template = TemplateInput {
        name: "order_update".into(),
        status: Status::Approved,
        translations: vec![Translation {
            language: "en".into(),
            body: "Your order has shipped.".into(),
            ..Translation::default()
        }],
        ..TemplateInput::default()
    };
    let admin = domain::Actor {
        user_id: None,
        label: "test admin".into(),
        role: rules::Role::Admin,
        organization_id: None,
    };
    domain::templates::library::save(&p.app.services, &admin, p.project_id, None, &template)
        .await
        .unwrap();
    let message = json!({"to": "15551234567", "type": "template",
        "template": {"name": "order_update", "language": {"code": "en"}}});
    let (status, before) = p.post("/v1/messages", &message).await;
    assert_eq!(status, 200, "{before}");

    let graph = spawn_graph(&p.app.callback_url(), &[]);
    p.app.meta_app(&graph.url).await;
    let id = p.project_id.to_string();
    let args = [&["project", "set-upstream", &id][..], &UPSTREAM_FLAGS].concat();
    tujenge(&p, &args, &format!("{ACCESS_TOKEN}\n"));
    // Another process changed the project: this server sees it within its cache time.
    p.app.services.changes.bump();

    let (status, after) = p.post("/v1/messages", &message).await;
    assert_eq!(status, 200, "the same key sends on the Cloud API: {after}");
    let graph_path = format!("POST /v23.0/{PHONE_NUMBER_ID}/messages");
    assert_eq!(
        graph.count(&graph_path).await,
        1,
        "the message went to Graph"
    );
    let cloud_id = after["messages"][0]["id"].as_str().unwrap();
    assert!(cloud_id.starts_with("wamid."), "{after}");

    // Graph's statuses come back through the Meta app to the same webhook, same headers.
    let forwarded = receiver.wait_for(3, Duration::from_secs(10)).await;
    let cloud_statuses: Vec<_> = forwarded
        .iter()
        .filter(|r| r.body["statuses"][0]["id"] == cloud_id)
        .collect();
    assert!(!cloud_statuses.is_empty(), "statuses reach the partner");
    assert_eq!(cloud_statuses[0].headers["x-partner"], "shop");

    let logged: Vec<(String,)> = sqlx::query_as(
        "SELECT upstream_message_id FROM messages WHERE project_id = $1 ORDER BY id",
    )
    .bind(p.project_id)
    .fetch_all(p.app.services.db.pool())
    .await
    .unwrap();
    assert_eq!(
        logged.len(),
        2,
        "the log keeps the message sent before the move"
    );
    let kept = domain::templates::library::list(&p.app.services, &admin, p.project_id)
        .await
        .unwrap();
    assert_eq!(kept.len(), 1, "the template library stays");
    let project = domain::projects::settings::get(&p.app.services, &admin, p.project_id)
        .await
        .unwrap();
    assert_eq!(project.kind, rules::projects::settings::UpstreamKind::Cloud);
}
