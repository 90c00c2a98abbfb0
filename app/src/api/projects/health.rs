//! A Cloud number's health at Meta: everyone who may see the project reads it; staff
//! check it again now. The home overview's list of numbers that need attention.

use leptos::prelude::*;
use rules::projects::health::{Attention, HealthView, NumberHealth};

use crate::error::AppError;

/// The number's health and timeline; none for a project on an On-Premises client.
#[server(endpoint = "project_health", client = crate::api::csrf_client::CsrfClient)]
pub async fn project_health(project_id: i64) -> Result<Option<HealthView>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::health::view(&ctx::services()?, &actor, project_id).await?)
}

#[server(endpoint = "check_number_health", client = crate::api::csrf_client::CsrfClient)]
pub async fn check_number_health(project_id: i64) -> Result<NumberHealth, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::health::check(&ctx::services()?, &actor, project_id).await?)
}

#[server(endpoint = "needs_attention", client = crate::api::csrf_client::CsrfClient)]
pub async fn needs_attention() -> Result<Vec<Attention>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::health::attention(&ctx::services()?, &actor).await?)
}

/// Sets the number's warm-up plan (admins): `caps` as typed ("250, 500, 1000"), `starts_at`
/// a date (YYYY-MM-DD) or empty for today.
#[server(endpoint = "set_warmup", client = crate::api::csrf_client::CsrfClient)]
pub async fn set_warmup(
    project_id: i64,
    caps: String,
    #[server(default)] starts_at: String,
) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    domain::projects::warmup::set(&services, &actor, project_id, &caps, &starts_at).await?;
    Ok(())
}

#[server(endpoint = "clear_warmup", client = crate::api::csrf_client::CsrfClient)]
pub async fn clear_warmup(project_id: i64) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::warmup::clear(&ctx::services()?, &actor, project_id).await?)
}
