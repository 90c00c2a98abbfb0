//! The world every role test starts from: two organizations with a partner each, an
//! admin and a support user; organization A's project with keys, a delivery, a template
//! and a logged message.

use rules::Role;

use crate::support::TestApp;

pub struct World {
    pub app: TestApp,
    /// Keys of project A: one to revoke, one for partner A to rotate, one for the admin.
    pub keys_a: [i64; 3],
    /// A delivery of project A's notifications.
    pub delivery_a: i64,
    pub org_a: i64,
    pub org_b: i64,
    pub project_a: i64,
    pub partner_b_id: i64,
}

pub async fn world() -> World {
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
