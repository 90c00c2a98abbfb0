//! The messages list's search box takes what a ticket quotes: a WhatsApp message id opens
//! that message's trace (only one the caller may see), any part of a number finds its
//! messages, and the CSV export carries the id.

use domain::messages::log::NewMessage;
use reqwest::StatusCode;
use rules::Role;

use super::messages::{csv_ids, message};
use crate::support::TestApp;

const HOUR: i64 = rules::time::HOUR_MS;

#[tokio::test]
async fn the_search_box_opens_the_trace_of_a_message_quoted_by_its_whatsapp_id() {
    let app = TestApp::spawn().await;
    let (org, other_org) = (app.org("Shop").await, app.org("Other").await);
    let ours = app.project(org, "East", "255700000001").await;
    let theirs = app.project(other_org, "West", "255700000002").await;
    let now = domain::platform::db::now_ms() - HOUR;
    let sent = |project_id: i64, contact: &str, id: &str| NewMessage {
        upstream_message_id: Some(id.into()),
        ..message((
            project_id, now, "outbound", contact, "text", "sent", "", "{}",
        ))
    };
    let rows = [
        sent(ours, "255712000470", "wamid.HBgMMjU1NzEyMDAwNDcwFQIAERgS"),
        sent(ours, "255712999999", "gBEGkYiEB1VXAglK1ZEqA1YKPrU"),
        sent(theirs, "255712000470", "wamid.THEIRS"),
    ];
    domain::messages::log::insert_batch(&app.services.db, &rows)
        .await
        .unwrap();
    app.user("partner@shop.test", Role::Partner, Some(org))
        .await;
    let partner = app.logged_in("partner@shop.test").await;
    let ids = csv_ids(&partner, "").await;
    let (first, second) = (*ids.iter().min().unwrap(), *ids.iter().max().unwrap());

    let opened = partner
        .visit("/messages?q=wamid.HBgMMjU1NzEyMDAwNDcwFQIAERgS")
        .await;
    assert_eq!(opened.status(), StatusCode::FOUND);
    assert_eq!(opened.headers()["location"], format!("/messages/{first}"));
    let on_prem = partner
        .visit("/messages?q=gBEGkYiEB1VXAglK1ZEqA1YKPrU")
        .await;
    assert_eq!(on_prem.headers()["location"], format!("/messages/{second}"));

    let elsewhere = partner.visit("/messages?q=wamid.THEIRS").await;
    assert_eq!(
        elsewhere.status(),
        StatusCode::OK,
        "another organization's id opens nothing"
    );
    assert!(
        elsewhere
            .text()
            .await
            .unwrap()
            .contains("No messages match")
    );

    assert_eq!(
        csv_ids(&partner, "q=0470").await,
        vec![first],
        "any part of a number"
    );
    let csv = partner
        .get("/export/messages?q=0470")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains(",wamid.HBgMMjU1NzEyMDAwNDcwFQIAERgS,\r\n"),
        "{csv}"
    );
}
