//! A project's webhook delivery log in the console, and sending deliveries again.

use leptos::prelude::*;
use rules::webhooks::deliveries::{DeliveryView, Resent};

use crate::error::AppError;

/// `only`: a `DeliveryState` key ("retrying", "given-up", …), or empty for all.
#[server(endpoint = "list_deliveries", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_deliveries(
    project_id: i64,
    #[server(default)] only: String,
) -> Result<Vec<DeliveryView>, AppError> {
    let (actor, services) = crate::api::ctx::caller().await?;
    let only = rules::webhooks::deliveries::DeliveryState::parse(&only);
    Ok(domain::webhooks::deliveries::list(&services, &actor, project_id, only).await?)
}

/// Sends one delivery again now; the delivery as it then stands, newest attempt first.
#[server(endpoint = "resend_delivery", client = crate::api::csrf_client::CsrfClient)]
pub async fn resend_delivery(delivery_id: i64) -> Result<DeliveryView, AppError> {
    let (actor, services) = crate::api::ctx::caller().await?;
    Ok(domain::webhooks::resend::now(&services, &actor, delivery_id).await?)
}

/// `since`: a date (YYYY-MM-DD) in the viewer's zone. Without `confirm`, only how many
/// failed notifications there are since then; with it, all of them queued to be sent
/// again.
#[server(endpoint = "resend_failed", client = crate::api::csrf_client::CsrfClient)]
pub async fn resend_failed(
    project_id: i64,
    since: String,
    #[server(default)] confirm: Option<String>,
) -> Result<Resent, AppError> {
    let (actor, services) = crate::api::ctx::caller().await?;
    let start = (rules::time::is_date_only(&since))
        .then(|| crate::api::ctx::zone().start_of(&since))
        .flatten()
        .ok_or_else(|| domain::Error::field("since", "Choose a date."))?;
    let confirmed = confirm.is_some();
    let resend = domain::webhooks::resend::failed_since;
    let resent = resend(&services, &actor, project_id, start, confirmed).await?;
    Ok(Resent {
        day: since.trim().to_owned(),
        ..resent
    })
}
