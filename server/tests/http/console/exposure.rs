//! What must not leak: a partner never reads the provider's upstream address, user or
//! staff notes; the audit log keeps no credential a URL carried; a new API key is never
//! stored in the session; a spreadsheet never runs a partner's text as a formula; a
//! project moved to another organization takes none of its keys along.

use app::api::projects::settings::UpdateProject;
use reqwest::StatusCode;
use rules::Role;
use rules::projects::settings::ProjectInput;
use serde_json::json;

use crate::support::TestApp;
use crate::support::upstream::Partner;

const ADMIN: &str = "admin@tujenge.test";
const PARTNER: &str = "partner@duka.test";

/// A project whose settings carry what partners must not see.
async fn project_with_provider_details(app: &TestApp, org: i64) -> i64 {
    let id = app.project(org, "Duka Online", "255712345678").await;
    app.update_project(id, |input| {
        input.upstream_url = "https://u:pw@wa-internal.provider.test:9090".into();
        input.upstream_username = "provider-admin".into();
        input.notes = "Billing: invoice monthly".into();
    })
    .await;
    id
}

#[tokio::test]
async fn partners_read_their_project_without_the_providers_details() {
    let app = TestApp::spawn().await;
    let org = app.org("Duka").await;
    let id = project_with_provider_details(&app, org).await;
    app.user(PARTNER, Role::Partner, Some(org)).await;
    app.user(ADMIN, Role::Admin, None).await;
    let partner = app.logged_in(PARTNER).await;
    let admin = app.logged_in(ADMIN).await;
    let id_text = id.to_string();

    for browser in [&partner, &admin] {
        let one = browser.call("get_project", &[("id", &id_text)]).await.ok();
        let all = browser.call("list_projects", &[]).await.ok();
        let text = format!("{one}{all}");
        let hidden = [
            "wa-internal.provider.test",
            "provider-admin",
            "invoice monthly",
        ];
        let seen = hidden.iter().filter(|h| text.contains(*h)).count();
        if std::ptr::eq(browser, &partner) {
            assert_eq!(seen, 0, "a partner sees none of it: {text}");
            assert_eq!(one["name"], "Duka Online", "but the project itself");
        } else {
            assert_eq!(seen, 3, "staff see all of it");
        }
    }
}

#[tokio::test]
async fn the_audit_log_keeps_no_credential_a_url_carried() {
    let app = TestApp::spawn().await;
    let org = app.org("Duka").await;
    let id = project_with_provider_details(&app, org).await;
    app.user(ADMIN, Role::Admin, None).await;
    let admin = app.logged_in(ADMIN).await;
    let hook = [
        ("project_id", id.to_string()),
        (
            "url",
            "https://hooks.duka.test/in?token=s3cr3t-t0ken".to_owned(),
        ),
    ];
    let hook: Vec<(&str, &str)> = hook.iter().map(|(k, v)| (*k, v.as_str())).collect();
    admin.call("save_webhook", &hook).await.ok();

    let audit = admin.call("list_audit", &[]).await.ok().to_string();
    assert!(
        audit.contains("hooks.duka.test"),
        "the change is there: {audit}"
    );
    assert!(!audit.contains("s3cr3t-t0ken"), "not the query's token");
    assert!(
        !audit.contains("u:pw@"),
        "not the upstream URL's user and password"
    );
}

#[tokio::test]
async fn a_new_key_without_javascript_is_shown_on_a_page_and_never_stored() {
    let app = TestApp::spawn().await;
    let org = app.org("Duka").await;
    let id = app.project(org, "Duka Online", "255712345678").await;
    app.user(PARTNER, Role::Partner, Some(org)).await;
    let partner = app.logged_in(PARTNER).await;
    let id_text = id.to_string();
    let form = [
        ("project_id", id_text.as_str()),
        ("name", "CRM"),
        ("csrf", partner.csrf.as_str()),
    ];
    let page = partner
        .client
        .post(format!("{}/api/create_key", app.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/projects/{id}/keys", app.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    let secret = html
        .split("secret-once\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the key is on the page")
        .to_owned();
    assert!(secret.starts_with("tj_"), "{html}");

    let sessions: Vec<String> = sqlx::query_scalar("SELECT data FROM sessions")
        .fetch_all(app.services.db.pool())
        .await
        .unwrap();
    assert!(!sessions.is_empty());
    let tail = &secret[secret.len() - 12..];
    assert!(sessions.iter().all(|s| !s.contains(tail)), "{sessions:?}");
}

#[tokio::test]
async fn a_partners_text_in_the_csv_export_is_never_a_formula() {
    let p = Partner::new().await;
    let formula = r#"=HYPERLINK("http://evil.test","open")"#;
    let body = json!({"to": formula, "type": "text", "text": {"body": "hi"}});
    let (status, _) = p.post("/v1/messages", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "refused, and logged");
    p.app.user(ADMIN, Role::Admin, None).await;
    let admin = p.app.logged_in(ADMIN).await;
    let csv = admin.get("/export/messages").await.text().await.unwrap();
    assert!(
        csv.contains(r#""'=HYPERLINK(""http://evil.test"",""open"")""#),
        "{csv}"
    );
}

#[tokio::test]
async fn moving_a_project_to_another_organization_revokes_its_keys_once_confirmed() {
    let p = Partner::new().await;
    let other = p.app.org("Other Co").await;
    p.app.user(ADMIN, Role::Admin, None).await;
    let admin = p.app.logged_in(ADMIN).await;
    let project = domain::projects::settings::get(
        &p.app.services,
        &domain::Actor::command_line(),
        p.project_id,
    )
    .await
    .unwrap();
    let input = ProjectInput {
        organization_id: other,
        name: project.name,
        phone_number: project.phone_number,
        upstream_url: project.upstream_url,
        upstream_username: project.upstream_username,
        notes: project.notes,
        enforce_24h_window: project.enforce_24h_window,
        ..ProjectInput::default()
    };
    let mut move_it = UpdateProject {
        id: p.project_id,
        input,
        confirm_move: None,
    };
    let refused = admin.call_fn(move_it.clone()).await.err();
    let message = refused["Invalid"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("revokes its 1 working API key"),
        "{refused}"
    );
    assert_eq!(
        p.get("/v1/configs/templates").await.0,
        StatusCode::OK,
        "not moved yet"
    );

    move_it.confirm_move = Some("on".into());
    admin.call_fn(move_it).await.ok();
    assert_eq!(
        p.get("/v1/configs/templates").await.0,
        StatusCode::UNAUTHORIZED
    );
    let audit = admin.call("list_audit", &[]).await.ok().to_string();
    assert!(audit.contains("api_keys_revoked"), "{audit}");
}
