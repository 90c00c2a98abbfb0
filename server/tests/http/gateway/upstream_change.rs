//! A project moved to another upstream never sends the old upstream's token there: the
//! token is cached for the upstream and user it came from.

use serde_json::json;

use crate::support::upstream::{Partner, UPSTREAM_PASSWORD, Upstream};

#[tokio::test]
async fn a_new_upstream_url_means_a_new_login_before_anything_is_sent() {
    let p = Partner::new().await;
    let message = json!({"to": "15551234567", "type": "template",
        "template": {"name": "order_update", "language": {"code": "en"}}});
    assert_eq!(p.post("/v1/messages", &message).await.0, 200);

    let second = Upstream::spawn(&[]);
    let url = second.url.clone();
    p.app
        .update_project(p.project_id, |input| {
            input.upstream_url = url;
            input.upstream_password = UPSTREAM_PASSWORD.into();
        })
        .await;
    assert_eq!(p.post("/v1/messages", &message).await.0, 200);
    assert_eq!(
        second.requests().await,
        ["POST /v1/users/login", "POST /v1/messages"],
        "the old upstream's token never reached the new one"
    );
}
