//! The project's business profile and "about" text, through its upstream.

use leptos::prelude::*;
use rules::profile::{BusinessProfile, ProfileView};

use crate::error::AppError;

#[server(endpoint = "get_profile", client = super::csrf_client::CsrfClient)]
pub async fn get_profile(project_id: i64) -> Result<ProfileView, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::profile::get(&ctx::services()?, &actor, project_id).await?)
}

#[server(endpoint = "save_profile", client = super::csrf_client::CsrfClient)]
pub async fn save_profile(project_id: i64, profile: BusinessProfile) -> Result<(), AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    domain::profile::set(&ctx::services()?, &actor, project_id, &profile).await?;
    ctx::flash("Business profile saved.").await?;
    Ok(())
}

#[server(endpoint = "save_about", client = super::csrf_client::CsrfClient)]
pub async fn save_about(project_id: i64, about: String) -> Result<(), AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    domain::profile::set_about(&ctx::services()?, &actor, project_id, &about).await?;
    ctx::flash("About text saved.").await?;
    Ok(())
}
