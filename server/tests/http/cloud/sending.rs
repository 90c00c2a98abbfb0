//! Partners keep the seed's `/v1` on a Cloud number: every one of Meta's send examples,
//! written as an On-Premises partner would (without `messaging_product`), reaches Graph
//! exactly as written plus `messaging_product`; answers come back in the On-Premises shape
//! with Cloud's `contacts`; Meta's errors come back as an `errors` array with the
//! On-Premises twin and Meta's code, message and trace id in `details`.

use std::path::PathBuf;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::cloud::{GRAPH_VERSION, PHONE_NUMBER_ID};
use crate::support::upstream::Partner;

const TO: &str = "15551234567";

/// Meta's send examples, with their placeholders filled in (a number, https links).
fn meta_send_examples() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/http/fixtures/meta/send");
    let mut examples: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace("{{Recipient-Phone-Number}}", TO)
                .replace("{{Recipient-WA-Phone-Number}}", TO)
                .replace("+16505551234", TO)
                .replace("16315555555", TO)
                .replace("<http(s)://", "https://")
                .replace("-url>", "-url")
                .replace("http(s)://", "https://");
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    examples.sort_by(|a, b| a.0.cmp(&b.0));
    examples
}

async fn graph_messages(p: &Partner) -> Vec<Value> {
    reqwest::get(format!("{}/control/messages", p.upstream.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_meta_send_example_reaches_graph_as_written_plus_messaging_product() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    p.inbound_from(TO).await;
    let examples: Vec<(String, Value)> = meta_send_examples()
        .into_iter()
        // The read receipt is not a send: it is PUT /v1/messages/{id} (tested below).
        .filter(|(_, e)| e.get("to").is_some())
        .collect();
    assert!(examples.len() >= 45, "{} examples", examples.len());
    for (name, example) in &examples {
        let mut partner_wrote = example.clone();
        partner_wrote
            .as_object_mut()
            .unwrap()
            .remove("messaging_product");
        let (status, answer) = p.post("/v1/messages", &partner_wrote).await;
        assert_eq!(status, StatusCode::OK, "{name}: {answer}");
        let id = answer["messages"][0]["id"].as_str().unwrap_or_default();
        assert!(id.starts_with("wamid."), "{name}: {answer}");
        assert_eq!(
            answer["contacts"][0]["wa_id"], TO,
            "{name}: Cloud's contacts kept"
        );

        let received = graph_messages(&p).await.pop().unwrap();
        let mut expected = example.clone();
        expected["messaging_product"] = json!("whatsapp");
        assert_eq!(received, expected, "{name} reached Graph changed");
    }
}

#[tokio::test]
async fn a_template_loses_only_what_cloud_refuses() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    let onprem = json!({"to": TO, "type": "template", "template": {"namespace": "a1b2_c3d4",
        "name": "order_update", "language": {"policy": "deterministic", "code": "en"}}});
    assert_eq!(p.post("/v1/messages", &onprem).await.0, StatusCode::OK);
    let received = graph_messages(&p).await.pop().unwrap();
    assert_eq!(
        received["template"],
        json!({"name": "order_update", "language": {"policy": "deterministic", "code": "en"}}),
        "the namespace is an On-Premises thing; the language policy is in Meta's schema too"
    );
}

#[tokio::test]
async fn metas_errors_come_back_with_the_on_premises_twin_and_metas_own_words() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    for (to, twin, cloud) in [("15550130429", 429, 130429), ("15550131056", 429, 131056)] {
        let (status, answer) = p
            .post(
                "/v1/messages",
                &json!({"to": to, "type": "template",
                "template": {"name": "order_update", "language": {"code": "en"}}}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        let error = &answer["errors"][0];
        assert_eq!(error["code"], twin, "{answer}");
        assert_eq!(error["cloud_code"], cloud, "{answer}");
        let details = error["details"].as_str().unwrap();
        assert!(details.contains(&cloud.to_string()) && details.contains("fbtrace_id"));
    }
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT error_codes FROM messages WHERE direction = 'outbound' ORDER BY id",
    )
    .fetch_all(p.app.services.db.pool())
    .await
    .unwrap();
    assert_eq!(
        codes,
        ["429,130429", "429,131056"],
        "the log keeps both codes"
    );
}

#[tokio::test]
async fn a_wrong_access_token_is_refused_and_the_project_says_it_needs_a_new_one() {
    let app = TestApp::spawn().await;
    let p = Partner::on_cloud(
        app,
        &["--access-token", "EAAGanotherTokenThanTheProjectHas0000"],
    )
    .await;
    let message = json!({"to": TO, "type": "template",
        "template": {"name": "order_update", "language": {"code": "en"}}});
    let (status, answer) = p.post("/v1/messages", &message).await;
    assert_eq!(
        status,
        StatusCode::BAD_GATEWAY,
        "not the partner's key: {answer}"
    );
    assert_eq!(answer["errors"][0]["cloud_code"], 190);
    let project = domain::projects::settings::get(
        &p.app.services,
        &domain::Actor::command_line(),
        p.project_id,
    )
    .await
    .unwrap();
    let problem = project.cloud.unwrap().token_problem.unwrap_or_default();
    assert!(problem.contains("190"), "{problem}");
}

#[tokio::test]
async fn a_send_that_works_clears_the_mark_of_a_token_meta_refused_before() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    let services = &p.app.services;
    let token_problem = || async {
        domain::projects::settings::get(services, &domain::Actor::command_line(), p.project_id)
            .await
            .unwrap()
            .cloud
            .unwrap()
            .token_problem
    };
    let message = json!({"to": TO, "type": "template",
        "template": {"name": "order_update", "language": {"code": "en"}}});
    assert_eq!(p.post("/v1/messages", &message).await.0, StatusCode::OK);
    assert_eq!(token_problem().await, None);
    // Meta refused the token yesterday; since then its permissions were fixed at Meta.
    sqlx::query("UPDATE projects SET token_problem = 'Meta refused the access token (error 10)'")
        .execute(services.db.pool())
        .await
        .unwrap();
    services.changes.bump();
    assert_eq!(p.post("/v1/messages", &message).await.0, StatusCode::OK);
    assert_eq!(token_problem().await, None, "the mark is gone");
}

#[tokio::test]
async fn mark_as_read_and_contacts_are_answered_as_on_premises_clients_did() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    let (status, _) = p
        .client
        .put(p.url("/v1/messages/wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUYzMjEzNDM2RTZGQ0MzMDJBRgA="))
        .header("WA-API-KEY", &p.key)
        .json(&json!({"status": "read"}))
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    let read = graph_messages(&p).await.pop().unwrap();
    assert_eq!(read["status"], "read");
    assert_eq!(read["messaging_product"], "whatsapp");

    let (status, answer) = p
        .post(
            "/v1/contacts",
            &json!({"blocking": "wait",
            "contacts": ["+1 (555) 123-4567", "not a number"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["contacts"][0]["status"], "valid");
    assert_eq!(answer["contacts"][0]["wa_id"], TO);
    assert_eq!(answer["contacts"][1]["status"], "invalid");
    let graph_calls = p.upstream.requests().await;
    assert!(
        graph_calls.iter().all(|c| !c.contains("contacts")),
        "{graph_calls:?}"
    );
}

#[tokio::test]
async fn an_endpoint_with_no_cloud_twin_is_a_404_envelope_that_says_so() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    let (status, answer) = p.get("/v1/stickerpacks").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let said = answer["meta"]["developer_message"]
        .as_str()
        .unwrap_or_default();
    assert!(said.contains("Cloud API"), "{answer}");
    let path = format!("/{GRAPH_VERSION}/{PHONE_NUMBER_ID}/messages");
    assert_eq!(p.upstream.count(&format!("POST {path}")).await, 0);
}
