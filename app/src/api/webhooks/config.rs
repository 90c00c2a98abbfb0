//! A project's webhook in the console: read (values masked), save, and its signing
//! secret. The same rules as the gateway's /v1/configs/webhook.

use leptos::prelude::*;
use rules::webhooks::config::{HeaderRow, WebhookView};

use crate::error::AppError;

#[server(endpoint = "get_webhook", client = crate::api::csrf_client::CsrfClient)]
pub async fn get_webhook(project_id: i64) -> Result<WebhookView, AppError> {
    let (actor, services) = crate::api::ctx::caller().await?;
    let config = domain::webhooks::config::get(&services, &actor, project_id).await?;
    let allow_insecure = services.webhooks.policy.allow_http;
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

/// Header rows as the form sends them (see `domain::webhooks::config::merge_headers`).
#[server(endpoint = "save_webhook", client = crate::api::csrf_client::CsrfClient)]
pub async fn save_webhook(
    project_id: i64,
    url: String,
    #[server(default)] headers: Vec<HeaderRow>,
) -> Result<(), AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    let rows = headers.into_iter().map(|r| (r.name, r.value));
    domain::webhooks::config::set(&services, &actor, project_id, &url, rows).await?;
    ctx::flash("Webhook saved.").await?;
    Ok(())
}

/// Creates (or replaces) the project's signing secret and returns it, to be shown once.
#[server(endpoint = "rotate_signing_secret", client = crate::api::csrf_client::CsrfClient)]
pub async fn rotate_signing_secret(project_id: i64) -> Result<String, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(
        domain::webhooks::config::rotate_signing_secret(&ctx::services()?, &actor, project_id)
            .await?,
    )
}
