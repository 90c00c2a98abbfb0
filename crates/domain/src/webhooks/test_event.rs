//! The console's "send test event" and webhook check: one request to the saved webhook,
//! through the same client as deliveries (the configured timeout and policy).

use serde_json::json;

use crate::platform::db::now_ms;
use crate::webhooks::config;
use crate::webhooks::queue::Attempt;
use crate::{Actor, Error, Result, Services};

/// Sends a test event to the project's saved webhook; the URL it went to and the attempt.
pub async fn send(
    services: &Services,
    actor: &Actor,
    project_id: i64,
) -> Result<(String, Attempt)> {
    config::get(services, actor, project_id).await?;
    let target = config::target(services, project_id)
        .await?
        .ok_or_else(|| Error::field("url", "Save a webhook URL first."))?;
    let body = json!({
        "test": true,
        "project_id": project_id,
        "message": "Test event from the Tujenge console",
    });
    let event_id = format!("evt_test_{}", now_ms());
    let attempt = services
        .webhooks
        .send(
            &target.config.url,
            &target.config.headers,
            &event_id,
            &body.to_string(),
            target.signing_secret.as_deref(),
        )
        .await;
    Ok((target.config.url, attempt))
}
