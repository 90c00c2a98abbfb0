//! The provider's Meta apps (admins): register one, list them with what to paste into
//! Meta's dashboard, and the numbers Meta posts about that no project has.

use leptos::prelude::*;
use rules::cloud::{MetaAppInput, MetaAppView, UnmatchedNumber};

use crate::error::AppError;

#[server(endpoint = "list_meta_apps", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_meta_apps() -> Result<Vec<MetaAppView>, AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    Ok(domain::cloud::apps::list(&services, &actor, &ctx::public_url()).await?)
}

#[server(endpoint = "add_meta_app", client = crate::api::csrf_client::CsrfClient)]
pub async fn add_meta_app(input: MetaAppInput) -> Result<MetaAppView, AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    let app = domain::cloud::apps::add(&services, &actor, &input, &ctx::public_url()).await?;
    Ok(app)
}

#[server(endpoint = "list_unmatched_numbers", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_unmatched_numbers() -> Result<Vec<UnmatchedNumber>, AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    Ok(domain::cloud::unmatched::list(&services, &actor, 50).await?)
}
