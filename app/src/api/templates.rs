//! Template libraries: everyone who may see a project reads its templates; customer
//! success (admins) create, edit, delete and import them. Templates travel as JSON (the
//! same format as the export), checked on the server by the same rules the editor runs.

use leptos::prelude::*;
use rules::templates::library::{Library, Template};
use rules::templates::meta::Synced;

use crate::error::AppError;

/// The library of `project_id`, or of the first project the caller may see.
#[server(endpoint = "template_library", client = crate::api::csrf_client::CsrfClient)]
pub async fn template_library(
    #[server(default)] project_id: Option<i64>,
) -> Result<Library, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    let project = match project_id {
        Some(id) => domain::projects::settings::get(&services, &actor, id).await?,
        None => match domain::projects::settings::list(&services, &actor)
            .await?
            .into_iter()
            .next()
        {
            Some(p) => p,
            None => return Ok(Library::default()),
        },
    };
    let templates = domain::templates::library::list(&services, &actor, project.id).await?;
    Ok(Library {
        project_id: project.id,
        project_name: project.name,
        at_meta: project.kind == rules::projects::settings::UpstreamKind::Cloud,
        templates,
    })
}

/// Reads a Cloud project's library again from Meta (staff).
#[server(endpoint = "sync_templates", client = crate::api::csrf_client::CsrfClient)]
pub async fn sync_templates(project_id: i64) -> Result<Synced, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let synced = domain::templates::meta::sync(&ctx::services()?, &actor, project_id).await?;
    ctx::flash(synced.to_string()).await?;
    Ok(synced)
}

#[server(endpoint = "get_template", client = crate::api::csrf_client::CsrfClient)]
pub async fn get_template(id: i64) -> Result<Template, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::templates::library::get(&ctx::services()?, &actor, id).await?)
}

/// What the editor opens with: the template (none for a new one in `project_id`), its
/// project, and whether Meta keeps that project's library (then saving submits to Meta).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct EditorStart {
    pub template: Option<Template>,
    pub project_id: i64,
    pub at_meta: bool,
}

#[server(endpoint = "template_editor", client = crate::api::csrf_client::CsrfClient)]
pub async fn template_editor(
    #[server(default)] id: Option<i64>,
    #[server(default)] project_id: Option<i64>,
) -> Result<EditorStart, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    let template = match id {
        Some(id) => Some(domain::templates::library::get(&services, &actor, id).await?),
        None => None,
    };
    let project_id = match (&template, project_id) {
        (Some(t), _) => t.project_id,
        (None, Some(p)) => p,
        (None, None) => return Err(AppError::NotFound),
    };
    let project = domain::projects::settings::get(&services, &actor, project_id).await?;
    Ok(EditorStart {
        template,
        project_id,
        at_meta: project.kind == rules::projects::settings::UpstreamKind::Cloud,
    })
}

/// `template`: a `TemplateInput` as JSON; `id`: none to create.
#[server(endpoint = "save_template", client = crate::api::csrf_client::CsrfClient)]
pub async fn save_template(
    project_id: i64,
    #[server(default)] id: Option<i64>,
    template: String,
) -> Result<Template, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let input = serde_json::from_str(&template).map_err(|e| {
        domain::Error::field("template", format!("The template could not be read: {e}"))
    })?;
    Ok(domain::templates::library::save(&ctx::services()?, &actor, project_id, id, &input).await?)
}

/// Deletes a template, or with `language` only that translation; what is left of it.
#[server(endpoint = "delete_template", client = crate::api::csrf_client::CsrfClient)]
pub async fn delete_template(
    id: i64,
    language: Option<String>,
) -> Result<Option<Template>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let services = ctx::services()?;
    let language = language.as_deref();
    Ok(domain::templates::library::delete(&services, &actor, id, language).await?)
}

/// `json`: an export of templates (a JSON array), created or updated by name.
#[server(endpoint = "import_templates", client = crate::api::csrf_client::CsrfClient)]
pub async fn import_templates(project_id: i64, json: String) -> Result<(usize, usize), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let done =
        domain::templates::import::import(&ctx::services()?, &actor, project_id, &json).await?;
    ctx::flash(format!(
        "Imported: {} created, {} updated.",
        done.created, done.updated
    ))
    .await?;
    Ok((done.created, done.updated))
}
