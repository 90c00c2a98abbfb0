//! A project's webhook delivery log in the console, and sending deliveries again.

use leptos::prelude::*;
use rules::webhooks::deliveries::DeliveryView;

use crate::error::AppError;

/// `only`: empty for all, "failed" or "dead".
#[server(endpoint = "list_deliveries", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_deliveries(
    project_id: i64,
    #[server(default)] only: String,
) -> Result<Vec<DeliveryView>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let only = Some(only.as_str()).filter(|o| !o.is_empty());
    Ok(domain::webhooks::deliveries::list(&ctx::services()?, &actor, project_id, only).await?)
}

#[server(endpoint = "resend_delivery", client = crate::api::csrf_client::CsrfClient)]
pub async fn resend_delivery(delivery_id: i64) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    domain::webhooks::deliveries::resend(&ctx::services()?, &actor, delivery_id).await?;
    ctx::flash("The notification is queued to be sent again.").await?;
    Ok(())
}

/// `since`: a date (YYYY-MM-DD, UTC); every failed or dead delivery created since then.
#[server(endpoint = "resend_failed", client = crate::api::csrf_client::CsrfClient)]
pub async fn resend_failed(project_id: i64, since: String) -> Result<u64, AppError> {
    use crate::api::ctx;
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
