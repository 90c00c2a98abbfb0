//! The 24-hour window: free-form messages only to contacts who wrote in the last 24 h;
//! templates always; switchable per project.

use crate::both_kinds;
use serde_json::json;

use crate::support::upstream::{Partner, assert_refusal};

fn text_to(to: &str) -> serde_json::Value {
    json!({"to": to, "type": "text", "text": {"body": "Your order shipped"}})
}

both_kinds!(
    without_a_recent_inbound_message_free_form_text_is_refused_with_470,
    |kind| async move {
        let p = Partner::of(kind).await;
        let (status, answer) = p.post("/v1/messages", &text_to("15551230000")).await;
        assert_eq!(status, 400);
        assert_refusal(&answer, 400, "470", "template");
        assert_eq!(p.messages_sent_upstream().await, 0);
    }
);

both_kinds!(
    after_the_customer_writes_the_message_goes_through,
    |kind| async move {
        let p = Partner::of(kind).await;
        p.inbound_from("15551230000").await;
        let (status, answer) = p.post("/v1/messages", &text_to("15551230000")).await;
        assert_eq!(status, 200, "{answer}");
        assert!(answer["messages"][0]["id"].is_string());
    }
);

both_kinds!(
    an_inbound_message_older_than_24_hours_does_not_count,
    |kind| async move {
        let p = Partner::of(kind).await;
        let old = domain::platform::db::now_ms() - 25 * 3600 * 1000;
        domain::messages::contacts::record_inbound(
            p.app.services.db.pool(),
            p.project_id,
            "15551230000",
            old,
        )
        .await
        .unwrap();
        assert_eq!(p.post("/v1/messages", &text_to("15551230000")).await.0, 400);
    }
);

both_kinds!(a_template_needs_no_open_window, |kind| async move {
    let p = Partner::of(kind).await;
    p.whatsapp_has_template("order_update", "en").await;
    let template = json!({
        "to": "15551230000",
        "type": "template",
        "template": {"name": "order_update", "language": {"policy": "deterministic", "code": "en"}}
    });
    assert_eq!(p.post("/v1/messages", &template).await.0, 200);
});

both_kinds!(a_project_can_switch_the_rule_off, |kind| async move {
    let p = Partner::of(kind).await;
    p.app
        .update_project(p.project_id, |input| input.enforce_24h_window = false)
        .await;
    assert_eq!(p.post("/v1/messages", &text_to("15551230000")).await.0, 200);
});
