//! A project's webhook in the console: read (values masked), save, and its signing
//! secret. The same rules as the gateway's /v1/configs/webhook.

use leptos::prelude::*;
use rules::webhooks::config::{HeaderRow, WebhookView};

use crate::error::AppError;

#[server(endpoint = "get_webhook", client = crate::api::csrf_client::CsrfClient)]
pub async fn get_webhook(project_id: i64) -> Result<WebhookView, AppError> {
    use crate::api::ctx;
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
#[server(endpoint = "save_webhook", client = crate::api::csrf_client::CsrfClient)]
pub async fn save_webhook(
    project_id: i64,
    url: String,
    #[server(default)] headers: Vec<HeaderRow>,
) -> Result<(), AppError> {
    use crate::api::ctx;
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
#[server(endpoint = "rotate_signing_secret", client = crate::api::csrf_client::CsrfClient)]
pub async fn rotate_signing_secret(project_id: i64) -> Result<String, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(
        domain::webhooks::config::rotate_signing_secret(&ctx::services()?, &actor, project_id)
            .await?,
    )
}
