//! Organizations: list (scoped to the caller) and create (admins).

use leptos::prelude::*;
use rules::accounts::Organization;

use crate::error::AppError;

#[server(endpoint = "list_organizations", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_organizations() -> Result<Vec<Organization>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::accounts::organizations::list(&ctx::services()?.db, &actor).await?)
}

#[server(endpoint = "create_organization", client = crate::api::csrf_client::CsrfClient)]
pub async fn create_organization(name: String) -> Result<i64, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let org = domain::accounts::organizations::create(&ctx::services()?.db, &actor, &name).await?;
    ctx::flash(format!("Organization {} created.", org.name)).await?;
    Ok(org.id)
}
