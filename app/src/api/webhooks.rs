//! A project's webhook in the console: read (values masked), save, test, check, and the
//! delivery log with resends. The same rules as the gateway's /v1/configs/webhook.

use leptos::prelude::*;
use rules::webhooks::config::{HeaderRow, WebhookView};
use rules::webhooks::deliveries::{AttemptView, DeliveryView, Finding};

use crate::error::AppError;

#[server(endpoint = "get_webhook", client = super::csrf_client::CsrfClient)]
pub async fn get_webhook(project_id: i64) -> Result<WebhookView, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let config = domain::webhooks::config::get(&ctx::services()?, &actor, project_id).await?;
    let allow_insecure = ctx::webhook_policy().allow_insecure;
    Ok(match config {
        Some(c) => WebhookView {
            url: c.url,
            headers: c
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), rules::webhooks::config::mask(v)))
                .collect(),
            signed: c.signed,
            allow_insecure,
        },
        None => WebhookView {
            allow_insecure,
            ..WebhookView::default()
        },
    })
}

/// Rows with an empty name are ignored; an empty value keeps the stored value of that header.
#[server(endpoint = "save_webhook", client = super::csrf_client::CsrfClient)]
pub async fn save_webhook(
    project_id: i64,
    url: String,
    #[server(default)] headers: Vec<HeaderRow>,
) -> Result<(), AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    let stored = domain::webhooks::config::get(&services, &actor, project_id)
        .await?
        .map(|c| c.headers)
        .unwrap_or_default();
    let mut merged = std::collections::BTreeMap::new();
    for row in headers.into_iter().filter(|r| !r.name.trim().is_empty()) {
        let name = row.name.trim().to_owned();
        let value = if row.value.is_empty() {
            stored.get(&name).cloned().unwrap_or_default()
        } else {
            row.value
        };
        merged.insert(name, value);
    }
    domain::webhooks::config::set(
        &services,
        &actor,
        project_id,
        &url,
        merged,
        ctx::webhook_policy().allow_insecure,
    )
    .await?;
    ctx::flash("Webhook saved.").await?;
    Ok(())
}

/// Creates (or replaces) the project's signing secret and returns it, to be shown once.
#[server(endpoint = "rotate_signing_secret", client = super::csrf_client::CsrfClient)]
pub async fn rotate_signing_secret(project_id: i64) -> Result<String, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(
        domain::webhooks::config::rotate_signing_secret(&ctx::services()?, &actor, project_id)
            .await?,
    )
}

#[cfg(feature = "ssr")]
async fn test_attempt(project_id: i64) -> Result<(String, AttemptView), AppError> {
    use super::ctx;
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
#[server(endpoint = "send_test_event", client = super::csrf_client::CsrfClient)]
pub async fn send_test_event(project_id: i64) -> Result<AttemptView, AppError> {
    Ok(test_attempt(project_id).await?.1)
}

/// Sends a test event and explains each problem: cause and fix.
#[server(endpoint = "check_webhook", client = super::csrf_client::CsrfClient)]
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

/// `only`: empty for all, "failed" or "dead".
#[server(endpoint = "list_deliveries", client = super::csrf_client::CsrfClient)]
pub async fn list_deliveries(
    project_id: i64,
    #[server(default)] only: String,
) -> Result<Vec<DeliveryView>, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let only = Some(only.as_str()).filter(|o| !o.is_empty());
    Ok(domain::webhooks::deliveries::list(&ctx::services()?, &actor, project_id, only).await?)
}

#[server(endpoint = "resend_delivery", client = super::csrf_client::CsrfClient)]
pub async fn resend_delivery(delivery_id: i64) -> Result<(), AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    domain::webhooks::deliveries::resend(&ctx::services()?, &actor, delivery_id).await?;
    ctx::flash("The notification is queued to be sent again.").await?;
    Ok(())
}

/// `since`: a date (YYYY-MM-DD, UTC); every failed or dead delivery created since then.
#[server(endpoint = "resend_failed", client = super::csrf_client::CsrfClient)]
pub async fn resend_failed(project_id: i64, since: String) -> Result<u64, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let since = rules::time::parse_date(&since)
        .ok_or_else(|| domain::Error::field("since", "Choose a date."))?;
    let n = domain::webhooks::deliveries::resend_failed_since(
        &ctx::services()?,
        &actor,
        project_id,
        since,
    )
    .await?;
    ctx::flash(format!("{n} notifications queued to be sent again.")).await?;
    Ok(n)
}
