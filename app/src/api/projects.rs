//! Projects: everyone lists and reads what their role and organization allow; admins
//! create and edit.

use leptos::prelude::*;
use rules::projects::settings::{Project, ProjectInput};

use crate::error::AppError;

#[server(endpoint = "list_projects", client = super::csrf_client::CsrfClient)]
pub async fn list_projects() -> Result<Vec<Project>, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::settings::list(&ctx::services()?, &actor).await?)
}

#[server(endpoint = "get_project", client = super::csrf_client::CsrfClient)]
pub async fn get_project(id: i64) -> Result<Project, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::settings::get(&ctx::services()?, &actor, id).await?)
}

#[server(endpoint = "create_project", client = super::csrf_client::CsrfClient)]
pub async fn create_project(input: ProjectInput) -> Result<i64, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let project = domain::projects::settings::create(&ctx::services()?, &actor, &input).await?;
    ctx::flash(format!("Project {} created.", project.name)).await?;
    leptos_axum::redirect(&format!("/projects/{}", project.id));
    Ok(project.id)
}

#[server(endpoint = "update_project", client = super::csrf_client::CsrfClient)]
pub async fn update_project(id: i64, input: ProjectInput) -> Result<(), AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let project = domain::projects::settings::update(&ctx::services()?, &actor, id, &input).await?;
    ctx::flash(format!("Project {} saved.", project.name)).await?;
    Ok(())
}

/// The URL to set as the project's upstream callback URL (admins only: it carries a secret).
#[server(endpoint = "project_inbound_url", client = super::csrf_client::CsrfClient)]
pub async fn project_inbound_url(id: i64) -> Result<String, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    domain::projects::settings::get(&services, &actor, id).await?;
    actor.require_admin()?;
    Ok(format!(
        "{}{}",
        ctx::public_url(),
        domain::webhooks::inbound::path(&services, id).await?
    ))
}

/// Whether the gateway can log in to the project's upstream right now.
#[server(endpoint = "upstream_status", client = super::csrf_client::CsrfClient)]
pub async fn upstream_status(id: i64) -> Result<(), AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    domain::projects::settings::get(&services, &actor, id).await?;
    Ok(domain::upstream::calls::check_login(&services, id).await?)
}

/// Sets the project's inbound URL as the upstream's callback URL (admins).
#[server(endpoint = "set_upstream_callback", client = super::csrf_client::CsrfClient)]
pub async fn set_upstream_callback(id: i64) -> Result<String, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    domain::projects::settings::get(&services, &actor, id).await?;
    actor.require_admin()?;
    let url = format!(
        "{}{}",
        ctx::public_url(),
        domain::webhooks::inbound::path(&services, id).await?
    );
    let body = serde_json::json!({"webhooks": {"url": url}});
    domain::upstream::calls::call(
        &services,
        id,
        http::Method::PATCH,
        "/v1/settings/application",
        Some(body),
    )
    .await?;
    ctx::flash("The upstream now sends its notifications to this project's inbound URL.").await?;
    Ok(url)
}

/// The project's latest messages.
#[server(endpoint = "recent_messages", client = super::csrf_client::CsrfClient)]
pub async fn recent_messages(
    id: i64,
) -> Result<Vec<rules::messages::log::MessageListRow>, AppError> {
    use super::ctx;
    let actor = ctx::actor().await?;
    let filter = rules::messages::log::MessageFilter {
        project_id: Some(id),
        ..Default::default()
    };
    let mut page = domain::messages::search::page(&ctx::services()?, &actor, &filter).await?;
    page.rows.truncate(10);
    Ok(page.rows)
}
