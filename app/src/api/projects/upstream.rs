//! A project's upstream in the console: whether the gateway can log in, and the inbound
//! URL (which carries a secret, so admins only) set as the upstream's callback URL.

use leptos::prelude::*;
use rules::projects::settings::UpstreamKind;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The URL to set as the project's upstream callback URL (admins only: it carries a
/// secret); none for a Cloud number, whose notifications come through its Meta app.
#[server(endpoint = "project_inbound_url", client = crate::api::csrf_client::CsrfClient)]
pub async fn project_inbound_url(id: i64) -> Result<Option<String>, AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    let project = domain::projects::settings::get(&services, &actor, id).await?;
    if project.kind == UpstreamKind::Cloud {
        return Ok(None);
    }
    let url = domain::webhooks::inbound::url(&services, &actor, id, &ctx::public_url()).await?;
    Ok(Some(url))
}

/// Whether the gateway can reach the project's number right now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamCheck {
    pub kind: UpstreamKind,
    /// Why not, in words (none when it answers).
    pub problem: Option<String>,
}

/// Logs in to an On-Premises client, or asks Meta for a Cloud number with its token.
#[server(endpoint = "upstream_status", client = crate::api::csrf_client::CsrfClient)]
pub async fn upstream_status(id: i64) -> Result<UpstreamCheck, AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    let project = domain::projects::settings::get(&services, &actor, id).await?;
    let problem = match domain::upstream::calls::check_login(&services, id).await {
        Ok(()) => None,
        Err(domain::Error::Upstream(why)) => Some(why),
        Err(e) => return Err(e.into()),
    };
    Ok(UpstreamCheck {
        kind: project.kind,
        problem,
    })
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
