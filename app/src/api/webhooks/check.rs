//! Testing a project's webhook from the console: a test event sent to the saved URL, and
//! the check that explains each problem with its cause and fix.

use leptos::prelude::*;
use rules::webhooks::deliveries::{AttemptView, Finding};

use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn test_attempt(project_id: i64) -> Result<(String, AttemptView), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    domain::webhooks::config::get(&services, &actor, project_id).await?;
    let target = domain::webhooks::config::target(&services, project_id)
        .await?
        .ok_or_else(|| domain::Error::field("url", "Save a webhook URL first."))?;
    let body = serde_json::json!({"test": true, "project_id": project_id, "message": "Test event from the Tujenge console"}).to_string();
    let client = domain::webhooks::client::WebhookClient::new(std::time::Duration::from_secs(10));
    let event_id = format!("evt_test_{}", domain::platform::db::now_ms());
    let a = client
        .send(
            &target.config.url,
            &target.config.headers,
            &event_id,
            &body,
            target.signing_secret.as_deref(),
        )
        .await;
    let view = AttemptView {
        at: domain::platform::db::now_ms(),
        url: a.url,
        http_status: a.http_status,
        error: a.error,
        latency_ms: a.latency_ms,
        response_excerpt: a.response_excerpt,
    };
    Ok((target.config.url, view))
}

/// Sends a test event to the saved webhook and reports status, latency and body.
#[server(endpoint = "send_test_event", client = crate::api::csrf_client::CsrfClient)]
pub async fn send_test_event(project_id: i64) -> Result<AttemptView, AppError> {
    Ok(test_attempt(project_id).await?.1)
}

/// Sends a test event and explains each problem: cause and fix.
#[server(endpoint = "check_webhook", client = crate::api::csrf_client::CsrfClient)]
pub async fn check_webhook(project_id: i64) -> Result<Vec<Finding>, AppError> {
    let (url, view) = test_attempt(project_id).await?;
    let attempt = domain::webhooks::queue::Attempt {
        url: view.url,
        http_status: view.http_status,
        error: view.error,
        latency_ms: view.latency_ms,
        response_excerpt: view.response_excerpt,
    };
    Ok(domain::webhooks::client::findings(&url, &attempt))
}
