//! Projects: everyone lists and reads what their role and organization allow; admins
//! create and edit.

use leptos::prelude::*;
use rules::model::{Project, ProjectInput};

use crate::error::AppError;

#[server(endpoint = "list_projects", client = super::csrf_client::CsrfClient)]
pub async fn list_projects() -> Result<Vec<Project>, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::list(&ctx::services()?, &actor).await?)
}

#[server(endpoint = "get_project", client = super::csrf_client::CsrfClient)]
pub async fn get_project(id: i64) -> Result<Project, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::get(&ctx::services()?, &actor, id).await?)
}

#[server(endpoint = "create_project", client = super::csrf_client::CsrfClient)]
pub async fn create_project(input: ProjectInput) -> Result<i64, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let project = domain::projects::create(&ctx::services()?, &actor, &input).await?;
    ctx::flash(format!("Project {} created.", project.name)).await?;
    leptos_axum::redirect(&format!("/projects/{}", project.id));
    Ok(project.id)
}

#[server(endpoint = "update_project", client = super::csrf_client::CsrfClient)]
pub async fn update_project(id: i64, input: ProjectInput) -> Result<(), AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let project = domain::projects::update(&ctx::services()?, &actor, id, &input).await?;
    ctx::flash(format!("Project {} saved.", project.name)).await?;
    Ok(())
}

/// The URL to set as the project's upstream callback URL (admins only: it carries a secret).
#[server(endpoint = "project_inbound_url", client = super::csrf_client::CsrfClient)]
pub async fn project_inbound_url(id: i64) -> Result<String, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    domain::projects::get(&services, &actor, id).await?;
    actor.require_admin()?;
    Ok(format!("{}{}", ctx::public_url(), domain::inbound::path(&services, id).await?))
}
