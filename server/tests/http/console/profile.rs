//! The business profile through the console reaches the project's upstream (the simulator).

use rules::Role;
use serde_json::json;

use crate::support::TestApp;
use crate::support::upstream::Upstream;

/// A partner of a project whose upstream is the simulator: (app, simulator, project id, browser).
async fn partner_behind_simulator() -> (TestApp, Upstream, String, crate::support::Browser) {
    let app = TestApp::spawn().await;
    let upstream = Upstream::spawn(&[]);
    let org = app.org("Acme").await;
    let project = app.shop_at(org, &upstream.url).await.to_string();
    app.user("p@acme.test", Role::Partner, Some(org)).await;
    let partner = app.logged_in("p@acme.test").await;
    (app, upstream, project, partner)
}

#[tokio::test]
async fn a_valid_profile_is_saved_upstream_and_read_back() {
    let (_app, upstream, project, partner) = partner_behind_simulator().await;

    let too_long = "d".repeat(513);
    let error = partner
        .call(
            "save_profile",
            &[
                ("project_id", &project),
                ("profile[description]", &too_long),
            ],
        )
        .await
        .err();
    assert_eq!(error["Invalid"][0]["field"], "description", "{error}");
    assert_eq!(
        upstream.count("POST /v1/settings/business/profile").await,
        0,
        "refused before the upstream"
    );

    partner
        .call(
            "save_profile",
            &[
                ("project_id", &project),
                ("profile[description]", "Fresh groceries"),
                ("profile[vertical]", "GROCERY"),
                ("profile[websites][0]", "https://duka.test"),
            ],
        )
        .await
        .ok();
    partner
        .call(
            "save_about",
            &[("project_id", &project), ("about", "Open 8-17")],
        )
        .await
        .ok();
    let view = partner
        .call("get_profile", &[("project_id", &project)])
        .await
        .ok();
    assert_eq!(view["profile"]["description"], "Fresh groceries");
    assert_eq!(view["profile"]["vertical"], "GROCERY");
    assert_eq!(view["profile"]["websites"][0], "https://duka.test");
    assert_eq!(view["about"], "Open 8-17");
}

#[tokio::test]
async fn an_unreachable_upstream_is_said_in_plain_words() {
    let app = TestApp::spawn().await;
    let org = app.org("Acme").await;
    let project = app.project(org, "Shop", "255700000001").await.to_string();
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let admin = app.logged_in("admin@tujenge.test").await;
    let error = admin
        .call("get_profile", &[("project_id", &project)])
        .await
        .err();
    assert!(
        error["Upstream"]
            .as_str()
            .unwrap()
            .contains("could not be reached"),
        "{error}"
    );
}

#[tokio::test]
async fn the_project_page_reports_the_upstream_and_sets_its_callback() {
    let app = TestApp::spawn().await;
    let upstream = Upstream::spawn(&[]);
    let org = app.org("Acme").await;
    let project = app.shop_at(org, &upstream.url).await;
    app.user("admin@tujenge.test", Role::Admin, None).await;
    let admin = app.logged_in("admin@tujenge.test").await;
    let id = project.to_string();
    let check = admin.call("upstream_status", &[("id", &id)]).await.ok();
    assert_eq!(check, json!({"kind": "onprem", "problem": null}));

    let url = admin
        .call("set_upstream_callback", &[("id", &id)])
        .await
        .ok();
    let inbound = domain::webhooks::inbound::path(&app.services, project)
        .await
        .unwrap();
    assert!(url.as_str().unwrap().ends_with(&inbound), "{url}");
    assert_eq!(upstream.count("PATCH /v1/settings/application").await, 1);

    let broken = app.project(org, "Broken", "255700000002").await.to_string();
    let check = admin.call("upstream_status", &[("id", &broken)]).await.ok();
    assert!(
        check["problem"]
            .as_str()
            .is_some_and(|p| p.contains("could not be reached")),
        "{check}"
    );
}

#[tokio::test]
async fn a_photo_is_checked_by_its_bytes_uploaded_shown_and_deleted() {
    let (app, _upstream, project, partner) = partner_behind_simulator().await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("project_id", project.clone())
            .part(
                "photo",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        partner
            .client
            .post(format!("{}/api/upload_photo", app.base))
            .header("x-csrf-token", &partner.csrf)
            .header("accept", "application/json")
            .multipart(form)
            .send()
    };
    assert_eq!(
        partner
            .call("get_photo", &[("project_id", &project)])
            .await
            .ok(),
        serde_json::Value::Null
    );

    let gif = upload("cat.png", b"GIF89a not really a png".to_vec())
        .await
        .unwrap();
    assert!(!gif.status().is_success());
    assert!(gif.text().await.unwrap().contains("JPEG or PNG"));

    let png = [b"\x89PNG\r\n\x1a\n".to_vec(), vec![0u8; 64]].concat();
    let ok = upload("logo.png", png).await.unwrap();
    assert!(ok.status().is_success(), "{}", ok.text().await.unwrap());
    let large = upload(
        "large.png",
        [b"\x89PNG\r\n\x1a\n".to_vec(), vec![0u8; 4 * 1024 * 1024]].concat(),
    )
    .await
    .unwrap();
    let status = large.status();
    assert!(
        status.is_success(),
        "a 4 MB photo passes the console form limit: {status} {}",
        large.text().await.unwrap()
    );
    let shown = partner
        .call("get_photo", &[("project_id", &project)])
        .await
        .ok();
    assert!(
        shown
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,"),
        "{shown}"
    );

    partner
        .call("delete_photo", &[("project_id", &project)])
        .await
        .ok();
    assert_eq!(
        partner
            .call("get_photo", &[("project_id", &project)])
            .await
            .ok(),
        serde_json::Value::Null
    );
}
