//! A project's webhook in the console: read (values masked), save, and its signing
//! secret. The same rules as the gateway's /v1/configs/webhook.

use leptos::prelude::*;
use rules::webhooks::config::{HeaderRow, WebhookView};

use crate::error::AppError;

#[server(endpoint = "get_webhook", client = crate::api::csrf_client::CsrfClient)]
pub async fn get_webhook(project_id: i64) -> Result<WebhookView, AppError> {
    let (actor, services) = crate::api::ctx::caller().await?;
    let config = domain::webhooks::config::get(&services, &actor, project_id).await?;
    let signing = domain::webhooks::signing::view(&services, &actor, project_id).await?;
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
            signing,
            allow_insecure,
        },
        None => WebhookView {
            allow_insecure,
            ..WebhookView::default()
        },
    })
}

/// Header rows as the form sends them (see `domain::webhooks::config::merge_headers`).
/// Answers how many notifications waiting for a retry are sent to the saved URL now.
#[server(endpoint = "save_webhook", client = crate::api::csrf_client::CsrfClient)]
pub async fn save_webhook(
    project_id: i64,
    url: String,
    #[server(default)] headers: Vec<HeaderRow>,
) -> Result<u64, AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    let rows = headers.into_iter().map(|r| (r.name, r.value));
    let saved = domain::webhooks::config::set(&services, &actor, project_id, &url, rows).await?;
    ctx::flash(rules::webhooks::config::saved_message(saved.retrying_now)).await?;
    Ok(saved.retrying_now)
}

/// Makes a new signing secret and returns it, to be shown once; `overlap` ("none", "1h",
/// "24h", "7d") is how long the current one keeps signing beside it.
#[server(endpoint = "rotate_signing_secret", client = crate::api::csrf_client::CsrfClient)]
pub async fn rotate_signing_secret(
    project_id: i64,
    #[server(default)] overlap: String,
) -> Result<String, AppError> {
    let (actor, services) = crate::api::ctx::caller().await?;
    let overlap = match overlap.as_str() {
        "" => rules::webhooks::signing::Overlap::None,
        key => rules::webhooks::signing::Overlap::parse(key).ok_or_else(|| {
            domain::Error::field("overlap", "Choose how long the old secret signs.")
        })?,
    };
    Ok(domain::webhooks::signing::rotate(&services, &actor, project_id, overlap).await?)
}
