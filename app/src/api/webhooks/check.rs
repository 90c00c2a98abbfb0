//! Testing a project's webhook from the console: a test event sent to the saved URL, and
//! the check that explains each problem with its cause and fix.

use leptos::prelude::*;
use rules::webhooks::deliveries::{AttemptView, Finding};

use crate::error::AppError;

/// Sends a test event to the saved webhook and reports status, latency and body.
#[server(endpoint = "send_test_event", client = crate::api::csrf_client::CsrfClient)]
pub async fn send_test_event(project_id: i64) -> Result<AttemptView, AppError> {
    let (actor, services) = crate::api::ctx::caller().await?;
    let (_, a) = domain::webhooks::test_event::send(&services, &actor, project_id).await?;
    Ok(AttemptView {
        at: domain::platform::db::now_ms(),
        url: a.url,
        http_status: a.http_status,
        error: a.error,
        latency_ms: a.latency_ms,
        response_excerpt: a.response_excerpt,
    })
}

/// Sends a test event and explains each problem: cause and fix.
#[server(endpoint = "check_webhook", client = crate::api::csrf_client::CsrfClient)]
pub async fn check_webhook(project_id: i64) -> Result<Vec<Finding>, AppError> {
    let (actor, services) = crate::api::ctx::caller().await?;
    let (url, attempt) = domain::webhooks::test_event::send(&services, &actor, project_id).await?;
    Ok(domain::webhooks::client::findings(&url, &attempt))
}
