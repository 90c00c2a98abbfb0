//! Roles and organizations: every server function checked for every kind of caller
//! (`matrix`), and pages that show a partner only their own organization.

mod cases;
mod expect;
mod matrix;
mod world;

use serde_json::json;
use world::world;

#[tokio::test]
async fn partners_see_only_their_own_organization() {
    let w = world().await;
    let admin = w.app.logged_in("admin@tujenge.test").await;
    for path in [
        "/projects/999",
        "/projects/999/webhook",
        "/projects/1/nonsense",
    ] {
        let response = admin.get(path).await;
        assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND, "{path}");
        let page = response.text().await.unwrap();
        assert!(
            page.contains("Page not found"),
            "{path}: the plain 404 page"
        );
        for panel in [
            "All messages of this project",
            "Delivery log",
            "Set the inbound URL",
        ] {
            assert!(!page.contains(panel), "{path} shows the {panel:?} panel");
        }
    }

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
