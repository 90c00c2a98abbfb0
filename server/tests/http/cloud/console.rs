//! The Cloud API in the console: admins register a Meta app and see what to paste into
//! Meta's dashboard (and that it works for Meta's handshake), create a Cloud project in
//! the project form, see whether its token works, and see numbers no project has.

use app::api::meta_apps::AddMetaApp;
use app::api::projects::settings::{CreateProject, UpdateProject};
use rules::Role;
use rules::cloud::{CloudUpstreamInput, MetaAppInput};
use rules::projects::settings::{ProjectInput, UpstreamKind};
use serde_json::json;

use crate::support::TestApp;
use crate::support::cloud::{
    ACCESS_TOKEN, APP_ID, APP_SECRET, PHONE_NUMBER_ID, WABA_ID, spawn_graph,
};
use crate::support::upstream::Partner;

fn meta_app(graph_url: &str) -> AddMetaApp {
    AddMetaApp {
        input: MetaAppInput {
            app_id: APP_ID.into(),
            name: "Provider app".into(),
            app_secret: APP_SECRET.into(),
            graph_url: graph_url.into(),
            graph_version: String::new(),
        },
    }
}

fn cloud_project(organization_id: i64, token: &str) -> ProjectInput {
    ProjectInput {
        organization_id,
        name: "Cloud shop".into(),
        phone_number: "255700000001".into(),
        enforce_24h_window: true,
        kind: UpstreamKind::Cloud,
        cloud: CloudUpstreamInput {
            meta_app: APP_ID.into(),
            phone_number_id: PHONE_NUMBER_ID.into(),
            waba_id: WABA_ID.into(),
            access_token: token.into(),
        },
        ..ProjectInput::default()
    }
}

#[tokio::test]
async fn an_admin_registers_a_meta_app_and_gets_what_metas_dashboard_needs() {
    let app = TestApp::spawn().await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let admin = app.logged_in("admin@tujenge.test").await;

    let added = admin.call_fn(meta_app("")).await.ok();
    assert_eq!(added["callback_url"], app.callback_url());
    assert_eq!(added["graph_url"], "https://graph.facebook.com");
    assert_eq!(added["graph_version"], "v23.0");
    let token = added["verify_token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 32, "a verify token hard to guess: {token}");

    let listed = admin.call("list_meta_apps", &[]).await.ok();
    assert_eq!(listed, json!([added]));
    assert!(
        !listed.to_string().contains(APP_SECRET),
        "the app secret is never shown again"
    );

    // What the console shows is what Meta's handshake needs.
    let handshake = reqwest::Client::new()
        .get(app.callback_url())
        .query(&[
            ("hub.mode", "subscribe"),
            ("hub.verify_token", token.as_str()),
            ("hub.challenge", "8472"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(handshake.status(), 200);
    assert_eq!(handshake.text().await.unwrap(), "8472");

    let again = admin.call_fn(meta_app("")).await.err();
    assert!(again.to_string().contains("registered already"), "{again}");
    let mut bad = meta_app("not a url");
    bad.input.graph_version = "23".into();
    bad.input.app_id = "98765".into();
    let fields = admin.call_fn(bad).await.err();
    let named: Vec<&str> = fields["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("{fields}"))
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["graph_url", "graph_version"]);
}

#[tokio::test]
async fn a_cloud_project_made_in_the_console_says_what_it_runs_on_and_whether_its_token_works() {
    let app = TestApp::spawn().await;
    let graph = spawn_graph(&app.callback_url(), &[]);
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let org = app.org("Duka").await;
    let admin = app.logged_in("admin@tujenge.test").await;

    // No Meta app yet: the form says where to register it.
    let early = CreateProject {
        input: cloud_project(org, ACCESS_TOKEN),
    };
    let refused = admin.call_fn(early).await.err();
    assert!(refused.to_string().contains("Meta apps page"), "{refused}");

    admin.call_fn(meta_app(&graph.url)).await.ok();
    let no_token = CreateProject {
        input: cloud_project(org, ""),
    };
    let refused = admin.call_fn(no_token).await.err();
    assert!(refused.to_string().contains("access_token"), "{refused}");
    let id = admin
        .call_fn(CreateProject {
            input: cloud_project(org, ACCESS_TOKEN),
        })
        .await
        .ok();
    let project = admin
        .call("get_project", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(project["kind"], "cloud");
    assert_eq!(project["cloud"]["phone_number_id"], PHONE_NUMBER_ID);
    assert_eq!(project["cloud"]["token_hint"], "••••6789");
    assert!(!project.to_string().contains(ACCESS_TOKEN));

    let check = admin
        .call("upstream_status", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(check, json!({"kind": "cloud", "problem": null}));
    let inbound = admin
        .call("project_inbound_url", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(inbound, json!(null), "a Cloud number posts to its Meta app");

    // A token Meta refuses: the check says so, and the project needs a new one.
    let wrong = cloud_project(org, "EAAGaTokenMetaDoesNotKnow000000000");
    admin
        .call_fn(UpdateProject {
            id: id.as_i64().unwrap(),
            input: wrong,
            confirm_move: None,
        })
        .await
        .ok();
    let check = admin
        .call("upstream_status", &[("id", &id.to_string())])
        .await
        .ok();
    let problem = check["problem"]
        .as_str()
        .unwrap_or_else(|| panic!("{check}"));
    assert!(problem.contains("190"), "Meta's code is quoted: {problem}");
    let project = admin
        .call("get_project", &[("id", &id.to_string())])
        .await
        .ok();
    assert!(
        project["cloud"]["token_problem"].is_string(),
        "the project needs a new token: {project}"
    );
}

#[tokio::test]
async fn notifications_for_a_number_no_project_has_are_listed_for_admins() {
    let p = Partner::on_cloud(TestApp::spawn().await, &[]).await;
    p.app.user("admin@tujenge.test", Role::Admin, None).await;
    let admin = p.app.logged_in("admin@tujenge.test").await;
    assert_eq!(
        admin.call("list_unmatched_numbers", &[]).await.ok(),
        json!([])
    );

    let stray = |id: &str| {
        json!({"object": "whatsapp_business_account", "entry": [{"id": "5550001",
            "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp",
                "metadata": {"phone_number_id": "999999999999"},
                "messages": [{"id": id, "from": "1555", "type": "text",
                    "text": {"body": "hi"}}]}}]}]})
    };
    for id in ["wamid.stray1", "wamid.stray2"] {
        assert_eq!(p.post_signed(&stray(id).to_string(), APP_SECRET).await, 200);
    }
    let listed = admin.call("list_unmatched_numbers", &[]).await.ok();
    let numbers = listed.as_array().unwrap();
    assert_eq!(numbers.len(), 1, "{listed}");
    assert_eq!(numbers[0]["phone_number_id"], "999999999999");
    assert_eq!(numbers[0]["app_id"], APP_ID);
    assert_eq!(numbers[0]["changes"], 2);
}
