//! Projects: everyone lists and reads what their role and organization allow; admins
//! create and edit.

use leptos::prelude::*;
use rules::projects::settings::{Project, ProjectInput};

use crate::error::AppError;

#[server(endpoint = "list_projects", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_projects() -> Result<Vec<Project>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::settings::list(&ctx::services()?, &actor).await?)
}

#[server(endpoint = "get_project", client = crate::api::csrf_client::CsrfClient)]
pub async fn get_project(id: i64) -> Result<Project, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::settings::get(&ctx::services()?, &actor, id).await?)
}

#[server(endpoint = "create_project", client = crate::api::csrf_client::CsrfClient)]
pub async fn create_project(input: ProjectInput) -> Result<i64, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let project = domain::projects::settings::create(&ctx::services()?, &actor, &input).await?;
    ctx::flash(format!("Project {} created.", project.name)).await?;
    leptos_axum::redirect(&format!("/projects/{}", project.id));
    Ok(project.id)
}

/// `confirm_move`: present (a ticked checkbox) when the admin confirmed moving the project
/// to another organization, which revokes its keys.
#[server(endpoint = "update_project", client = crate::api::csrf_client::CsrfClient)]
pub async fn update_project(
    id: i64,
    input: ProjectInput,
    #[server(default)] confirm_move: Option<String>,
) -> Result<(), AppError> {
    use crate::api::ctx;
    let (actor, services) = ctx::caller().await?;
    let confirmed = confirm_move.is_some();
    let project =
        domain::projects::settings::update_with(&services, &actor, id, &input, confirmed).await?;
    ctx::flash(format!("Project {} saved.", project.name)).await?;
    Ok(())
}
