//! Template libraries through the console: customer success saves, everyone with the
//! project reads, the linter's limits hold on the server, 250 names per project at most,
//! and an export imports back to the same library.

use rules::Role;
use serde_json::{Value, json};

use crate::support::{Browser, TestApp};

fn template(name: &str, body: &str) -> Value {
    json!({
        "name": name,
        "category": "utility",
        "status": "approved",
        "rejection_reason": "",
        "translations": [{"language": "en", "body": body}]
    })
}

async fn save(browser: &Browser, project: i64, t: &Value) -> crate::support::Answer {
    browser
        .call(
            "save_template",
            &[
                ("project_id", &project.to_string()),
                ("template", &t.to_string()),
            ],
        )
        .await
}

async fn world() -> (TestApp, i64, Browser) {
    let app = TestApp::spawn().await;
    let org = app.org("Shop").await;
    let project = app.project(org, "East", "255700000001").await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let admin = app.logged_in("admin@tujenge.test").await;
    (app, project, admin)
}

#[tokio::test]
async fn the_server_refuses_what_the_editor_flags() {
    let (_app, project, admin) = world().await;
    let long = format!("Hello {{{{1}}}} {}", "x".repeat(1020));
    let refused = save(&admin, project, &template("order_update", &long))
        .await
        .err();
    assert!(
        refused["Invalid"]
            .to_string()
            .contains("translations.0.body"),
        "{refused}"
    );
    assert!(
        refused["Invalid"].to_string().contains("limit is 1024"),
        "{refused}"
    );
    let bad_name = save(&admin, project, &template("Order Update", "Hi there"))
        .await
        .err();
    assert!(
        bad_name["Invalid"].to_string().contains("lowercase"),
        "{bad_name}"
    );
    save(
        &admin,
        project,
        &template("order_update", "Hello {{1}}, your order shipped."),
    )
    .await
    .ok();
    let library = admin
        .call("template_library", &[("project_id", &project.to_string())])
        .await
        .ok();
    assert_eq!(
        library["templates"].as_array().unwrap().len(),
        1,
        "only the good one was kept"
    );
}

#[tokio::test]
async fn the_251st_name_is_refused_and_translations_count_once() {
    let (_app, project, admin) = world().await;
    let batch: Vec<Value> = (0..250)
        .map(|i| template(&format!("t{i:03}"), "Hello there"))
        .collect();
    let imported = admin
        .call(
            "import_templates",
            &[
                ("project_id", &project.to_string()),
                ("json", &Value::Array(batch.clone()).to_string()),
            ],
        )
        .await
        .ok();
    assert_eq!(imported, json!([250, 0]));
    let refused = save(&admin, project, &template("one_too_many", "Hello there"))
        .await
        .err();
    assert!(
        refused["Invalid"]
            .to_string()
            .contains("250 template names"),
        "{refused}"
    );
    // A second language of an existing name is not a new name; neither is re-importing.
    let mut two_languages = template("t000", "Hello there");
    two_languages["translations"]
        .as_array_mut()
        .unwrap()
        .push(json!({"language": "sw", "body": "Habari"}));
    let existing = admin
        .call("template_library", &[("project_id", &project.to_string())])
        .await
        .ok();
    let id = existing["templates"][0]["id"].to_string();
    let updated = admin
        .call(
            "save_template",
            &[
                ("project_id", &project.to_string()),
                ("id", &id),
                ("template", &two_languages.to_string()),
            ],
        )
        .await;
    updated.ok();
    let again = admin
        .call(
            "import_templates",
            &[
                ("project_id", &project.to_string()),
                ("json", &Value::Array(batch).to_string()),
            ],
        )
        .await
        .ok();
    assert_eq!(again, json!([0, 250]));
}

#[tokio::test]
async fn an_export_imports_back_to_the_same_library() {
    let (app, project, admin) = world().await;
    let mut rich = template("order_update", "Hi {{1}}, *order* {{2}} shipped.");
    rich["translations"][0]["header"] = json!({"text": "Order {{1}}"});
    rich["translations"][0]["footer"] = json!("Reply STOP to opt out");
    rich["translations"][0]["buttons"] =
        json!([{"kind": "quick_reply", "text": "Thanks"}, {"kind": "quick_reply", "text": "Help"}]);
    rich["translations"][0]["samples"] = json!(["Ann", "A-42"]);
    save(&admin, project, &rich).await.ok();
    let exported: Value = admin
        .get(&format!("/export/templates?project={project}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(exported[0]["translations"][0]["buttons"][1]["text"], "Help");

    let other = app
        .project(app.org("Other").await, "West", "255700000002")
        .await;
    let imported = admin
        .call(
            "import_templates",
            &[
                ("project_id", &other.to_string()),
                ("json", &exported.to_string()),
            ],
        )
        .await
        .ok();
    assert_eq!(imported, json!([1, 0]));
    let round_trip: Value = admin
        .get(&format!("/export/templates?project={other}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(round_trip, exported);
    let broken = admin
        .call(
            "import_templates",
            &[("project_id", &other.to_string()), ("json", "{not json")],
        )
        .await
        .err();
    assert!(
        broken["Invalid"]
            .to_string()
            .contains("not a template export"),
        "{broken}"
    );
}

#[tokio::test]
async fn partners_read_their_library_and_nobody_else_does() {
    let (app, project, admin) = world().await;
    save(&admin, project, &template("order_update", "Hello there"))
        .await
        .ok();
    let org = app.org("Other").await;
    app.user("outsider@other.test", Role::Partner, Some(org))
        .await;
    let outsider = app.logged_in("outsider@other.test").await;
    assert_eq!(
        outsider
            .get(&format!("/export/templates?project={project}"))
            .await
            .status(),
        404
    );
    let id = admin
        .call("template_library", &[("project_id", &project.to_string())])
        .await
        .ok()["templates"][0]["id"]
        .to_string();
    assert_eq!(
        outsider.get(&format!("/templates/{id}")).await.status(),
        404
    );
    assert_eq!(admin.get(&format!("/templates/{id}")).await.status(), 200);
}

#[tokio::test]
async fn one_language_is_deleted_and_the_template_goes_with_its_last() {
    let (_app, project, admin) = world().await;
    let mut two = template("order_update", "Your order shipped.");
    let swahili = json!({"language": "sw", "body": "Oda yako imetumwa."});
    two["translations"].as_array_mut().unwrap().push(swahili);
    let id = save(&admin, project, &two).await.ok()["id"].to_string();
    let delete = |language: &'static str| {
        let id = id.clone();
        let admin = &admin;
        async move {
            let form = [("id", id.as_str()), ("language", language)];
            admin.call("delete_template", &form).await
        }
    };

    let left = delete("sw").await.ok();
    assert_eq!(left["translations"].as_array().unwrap().len(), 1);
    assert_eq!(left["translations"][0]["language"], "en");
    let refused = delete("sw").await.err();
    assert!(
        refused["Invalid"]
            .to_string()
            .contains("order_update has no sw translation"),
        "{refused}"
    );
    assert_eq!(delete("en").await.ok(), Value::Null, "nothing is left");
    let library = admin
        .call("template_library", &[("project_id", &project.to_string())])
        .await
        .ok();
    assert_eq!(library["templates"], json!([]));
}
