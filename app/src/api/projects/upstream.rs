//! A project's upstream in the console: whether the gateway can log in, and the inbound
//! URL (which carries a secret, so admins only) set as the upstream's callback URL.

use leptos::prelude::*;

use crate::error::AppError;

/// The URL to set as the project's upstream callback URL (admins only: it carries a secret).
#[server(endpoint = "project_inbound_url", client = crate::api::csrf_client::CsrfClient)]
pub async fn project_inbound_url(id: i64) -> Result<String, AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    Ok(domain::webhooks::inbound::url(&services, &actor, id, &ctx::public_url()).await?)
}

/// Whether the gateway can log in to the project's upstream right now.
#[server(endpoint = "upstream_status", client = crate::api::csrf_client::CsrfClient)]
pub async fn upstream_status(id: i64) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    domain::projects::settings::get(&services, &actor, id).await?;
    Ok(domain::upstream::calls::check_login(&services, id).await?)
}

/// Sets the project's inbound URL as the upstream's callback URL (admins).
#[server(endpoint = "set_upstream_callback", client = crate::api::csrf_client::CsrfClient)]
pub async fn set_upstream_callback(id: i64) -> Result<String, AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    let url =
        domain::upstream::calls::point_callback_here(&services, &actor, id, &ctx::public_url())
            .await?;
    ctx::flash("The upstream now sends its notifications to this project's inbound URL.").await?;
    Ok(url)
}
