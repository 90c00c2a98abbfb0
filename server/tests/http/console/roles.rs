//! The role matrix: every server function, called by admin, support, a partner of
//! organization A, a partner of organization B and an anonymous visitor.

use app::api::projects::settings::{CreateProject, UpdateProject};
use app::api::webhooks::config::SaveWebhook;
use rules::Role;
use rules::projects::settings::ProjectInput;
use rules::webhooks::config::HeaderRow;
use serde_json::{Value, json};

use crate::support::{Answer, Browser, TestApp, form_fields};

/// What a caller should get back.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Not asked (the row is about another caller).
    Skip,
    Allowed,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// Allowed to ask, and the input was refused field by field.
    Invalid,
}
use Expect::*;

struct World {
    app: TestApp,
    /// Keys of project A: one to revoke, one for partner A to rotate, one for the admin.
    keys_a: [i64; 3],
    /// A delivery of project A's notifications.
    delivery_a: i64,
    org_a: i64,
    org_b: i64,
    project_a: i64,
    partner_b_id: i64,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let org_a = app.org("Org A").await;
    let org_b = app.org("Org B").await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    app.user("support@tujenge.test", Role::Support, None).await;
    app.user("a@partner-a.test", Role::Partner, Some(org_a))
        .await;
    app.user("b@partner-b.test", Role::Partner, Some(org_b))
        .await;
    let project_a = app.project(org_a, "Shop A", "255700000001").await;
    app.project(org_b, "Shop B", "255700000002").await;
    let partner_b_id =
        domain::accounts::users::list(&app.services.db, &domain::Actor::command_line())
            .await
            .unwrap()
            .iter()
            .find(|u| u.email == "b@partner-b.test")
            .unwrap()
            .id;
    let mut keys_a = [0; 3];
    for slot in &mut keys_a {
        *slot = domain::projects::keys::create(
            &app.services,
            &domain::Actor::command_line(),
            project_a,
            "matrix",
            None,
        )
        .await
        .unwrap()
        .key
        .id;
    }
    domain::webhooks::inbound::store(
        &app.services.db,
        &[(
            project_a,
            r#"{"statuses":[{"id":"w1","status":"sent"}]}"#.into(),
        )],
    )
    .await
    .unwrap();
    app.process_notifications().await;
    let delivery_a: i64 = sqlx::query_scalar("SELECT id FROM deliveries")
        .fetch_one(app.services.db.pool())
        .await
        .unwrap();
    let template = rules::templates::library::TemplateInput {
        name: "order_update".into(),
        translations: vec![rules::templates::library::Translation {
            language: "en".into(),
            body: "Hello".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    domain::templates::library::save(
        &app.services,
        &domain::Actor {
            user_id: None,
            label: "setup".into(),
            role: Role::Admin,
            organization_id: None,
        },
        project_a,
        None,
        &template,
    )
    .await
    .unwrap();
    let logged = domain::messages::log::NewMessage {
        created_at: domain::platform::db::now_ms(),
        project_id: project_a,
        direction: "outbound",
        decision: "accepted".into(),
        status: "sent".into(),
        ..Default::default()
    };
    domain::messages::log::insert_batch(&app.services.db, &[logged])
        .await
        .unwrap();
    World {
        app,
        keys_a,
        delivery_a,
        org_a,
        org_b,
        project_a,
        partner_b_id,
    }
}

/// Typed form fields in the matrix's shape.
fn borrowed(fields: &[(String, String)]) -> Vec<(&str, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect()
}

fn outcome(answer: Answer) -> Expect {
    match answer {
        Answer::Ok(_) => Allowed,
        Answer::Err(Value::String(s)) if s == "Unauthenticated" => Unauthenticated,
        Answer::Err(Value::String(s)) if s == "Forbidden" => Forbidden,
        Answer::Err(Value::String(s)) if s == "NotFound" => NotFound,
        // Authorized, but the world's upstream (127.0.0.1:9) is not running.
        Answer::Err(e) if e.get("Upstream").is_some() => Allowed,
        Answer::Err(e) if e.get("Invalid").is_some() => Invalid,
        Answer::Err(other) => panic!("unexpected answer {other}"),
    }
}

#[tokio::test]
async fn every_server_function_checks_role_and_organization() {
    let w = world().await;
    let callers: Vec<(&str, Browser)> = vec![
        ("admin", w.app.logged_in("admin@tujenge.test").await),
        ("support", w.app.logged_in("support@tujenge.test").await),
        ("partner A", w.app.logged_in("a@partner-a.test").await),
        ("partner B", w.app.logged_in("b@partner-b.test").await),
        ("anonymous", w.app.browser().await),
    ];
    let (project_a, partner_b) = (w.project_a.to_string(), w.partner_b_id.to_string());
    let org_b = w.org_b.to_string();
    let project = |phone: &str| ProjectInput {
        organization_id: w.org_a,
        name: "Matrix".into(),
        phone_number: phone.into(),
        upstream_url: "http://127.0.0.1:9".into(),
        upstream_username: "admin".into(),
        upstream_password: "pw".into(),
        ..ProjectInput::default()
    };
    let create_form = form_fields(&CreateProject {
        input: project("255711111111"),
    });
    let update_form = form_fields(&UpdateProject {
        id: w.project_a,
        input: project("255700000001"),
        confirm_move: None,
    });
    let hook_form = form_fields(&SaveWebhook {
        project_id: w.project_a,
        url: "http://127.0.0.1:9/hook".into(),
        headers: vec![HeaderRow {
            name: "X-Partner".into(),
            value: "a".into(),
        }],
    });

    let [revoked, rotated_by_partner, rotated_by_admin] = w.keys_a.map(|k| k.to_string());
    let delivery = w.delivery_a.to_string();
    let template_json = json!({
        "name": "matrix_template",
        "translations": [{"language": "en", "body": "Hello"}]
    })
    .to_string();
    let message_a: String = sqlx::query_scalar::<_, i64>("SELECT id FROM messages")
        .fetch_one(w.app.services.db.pool())
        .await
        .unwrap()
        .to_string();
    // (server function, form, expected for admin, support, partner A, partner B, anonymous)
    type Case<'a> = (&'a str, Vec<(&'a str, String)>, [Expect; 5]);
    let cases: Vec<Case> = vec![
        (
            "list_keys",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "error_code_counts",
            vec![("code", "470".into())],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "get_webhook",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "get_profile",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "upstream_status",
            vec![("id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "get_photo",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "delete_photo",
            vec![("project_id", project_a.clone())],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "set_upstream_callback",
            vec![("id", project_a.clone())],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "recent_messages",
            vec![("id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "save_profile",
            vec![
                ("project_id", project_a.clone()),
                ("profile[vertical]", "RETAIL".into()),
            ],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "save_about",
            vec![
                ("project_id", project_a.clone()),
                ("about", "Open 8-17".into()),
            ],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "save_webhook",
            borrowed(&hook_form),
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "rotate_signing_secret",
            vec![("project_id", project_a.clone())],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "send_test_event",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "check_webhook",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "list_deliveries",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "resend_delivery",
            vec![("delivery_id", delivery.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "resend_failed",
            vec![
                ("project_id", project_a.clone()),
                ("since", "2020-01-01".into()),
            ],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "create_key",
            vec![("project_id", project_a.clone()), ("name", "new".into())],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "revoke_key",
            vec![("key_id", revoked.clone())],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "rotate_key",
            vec![
                ("key_id", rotated_by_partner.clone()),
                ("grace", "1h".into()),
            ],
            [Skip, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "rotate_key",
            vec![("key_id", rotated_by_admin.clone()), ("grace", "1h".into())],
            [Allowed, Forbidden, Skip, NotFound, Unauthenticated],
        ),
        (
            "list_projects",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "get_project",
            vec![("id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "create_project",
            borrowed(&create_form),
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "update_project",
            borrowed(&update_form),
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "list_organizations",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "create_organization",
            vec![("name", "New Org".into())],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "list_users",
            vec![],
            [Allowed, Allowed, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "create_user",
            vec![
                ("email", "new@tujenge.test".into()),
                ("password", "a long enough password".into()),
                ("role", "support".into()),
                ("organization_id", String::new()),
            ],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "update_user",
            // Partner B stays in org B, so the rows after this one see the same world.
            vec![
                ("id", partner_b.clone()),
                ("role", "partner".into()),
                ("organization_id", org_b.clone()),
            ],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "list_messages",
            vec![("filter[project_id]", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "list_messages",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "get_message_trace",
            vec![("id", message_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "overview_stats",
            vec![("range", "7d".into()), ("project", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "overview_stats",
            vec![("range", "24h".into())],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "template_library",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "template_library",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "get_template",
            vec![("id", "1".into())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "template_editor",
            vec![("id", "1".into())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "project_health",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            // Staff only; the world's project runs On-Premises, so staff are told why not.
            "check_number_health",
            vec![("project_id", project_a.clone())],
            [Invalid, Invalid, Forbidden, NotFound, Unauthenticated],
        ),
        (
            // Admins only; the world's project runs On-Premises, so the admin is told why not.
            "set_warmup",
            vec![("project_id", project_a.clone()), ("caps", "250".into())],
            [Invalid, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "clear_warmup",
            vec![("project_id", project_a.clone())],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "needs_attention",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            // Staff only; the world's project runs On-Premises, so staff are told why not.
            "sync_templates",
            vec![("project_id", project_a.clone())],
            [Invalid, Invalid, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "save_template",
            vec![
                ("project_id", project_a.clone()),
                ("template", template_json.clone()),
            ],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "import_templates",
            vec![
                ("project_id", project_a.clone()),
                ("json", format!("[{template_json}]")),
            ],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "delete_template",
            vec![("id", "1".into())],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "list_audit",
            vec![],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "project_inbound_url",
            vec![("id", project_a.clone())],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "list_meta_apps",
            vec![],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "add_meta_app",
            vec![
                ("input[app_id]", "987654321".into()),
                ("input[name]", "Matrix app".into()),
                ("input[app_secret]", "matrix app secret".into()),
            ],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "list_unmatched_numbers",
            vec![],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        // Everyone may change their own password (here refused: the current one is wrong).
        (
            "change_password",
            vec![
                ("current_password", "not it".into()),
                ("new_password", "a long enough password".into()),
                ("repeat_password", "a long enough password".into()),
            ],
            [Invalid, Invalid, Invalid, Invalid, Unauthenticated],
        ),
        // Last: it logs partner B out.
        (
            "set_user_password",
            vec![
                ("id", partner_b.clone()),
                ("password", "a long enough password".into()),
            ],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
    ];

    let mut failures = Vec::new();
    for (endpoint, form, expected) in &cases {
        // Admin last, so its successful writes do not change what the others see.
        for i in [1, 2, 3, 4, 0] {
            if expected[i] == Skip {
                continue;
            }
            let (who, browser) = &callers[i];
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let got = outcome(browser.call(endpoint, &form).await);
            if got != expected[i] {
                failures.push(format!(
                    "{endpoint} as {who}: expected {:?}, got {got:?}",
                    expected[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "role matrix failures:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn partners_see_only_their_own_organization() {
    let w = world().await;
    let partner_a = w.app.logged_in("a@partner-a.test").await;
    let projects = partner_a.call("list_projects", &[]).await.ok();
    let names: Vec<&str> = projects
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Shop A"]);
    let orgs = partner_a.call("list_organizations", &[]).await.ok();
    assert_eq!(
        orgs.as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].clone())
            .collect::<Vec<_>>(),
        [json!("Org A")]
    );

    let staff = w.app.logged_in("support@tujenge.test").await;
    assert_eq!(
        staff
            .call("list_projects", &[])
            .await
            .ok()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn another_organizations_project_page_is_a_404() {
    let w = world().await;
    let partner_b = w.app.logged_in("b@partner-b.test").await;
    let response = partner_b.get(&format!("/projects/{}", w.project_a)).await;
    assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
    let page = response.text().await.unwrap();
    assert!(
        !page.contains("Shop A"),
        "the page must not reveal the project"
    );

    let partner_a = w.app.logged_in("a@partner-a.test").await;
    let response = partner_a.get(&format!("/projects/{}", w.project_a)).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(response.text().await.unwrap().contains("Shop A"));
}
