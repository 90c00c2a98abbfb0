//! The project's business profile and "about" text, through its upstream.

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use rules::projects::profile::{BusinessProfile, ProfileView};

use crate::error::AppError;

#[server(endpoint = "get_profile", client = crate::api::csrf_client::CsrfClient)]
pub async fn get_profile(project_id: i64) -> Result<ProfileView, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::projects::profile::get(&ctx::services()?, &actor, project_id).await?)
}

#[server(endpoint = "save_profile", client = crate::api::csrf_client::CsrfClient)]
pub async fn save_profile(project_id: i64, profile: BusinessProfile) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    domain::projects::profile::set(&ctx::services()?, &actor, project_id, &profile).await?;
    ctx::flash("Business profile saved.").await?;
    Ok(())
}

#[server(endpoint = "save_about", client = crate::api::csrf_client::CsrfClient)]
pub async fn save_about(project_id: i64, about: String) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    domain::projects::profile::set_about(&ctx::services()?, &actor, project_id, &about).await?;
    ctx::flash("About text saved.").await?;
    Ok(())
}

/// The profile photo as a data URL for an `<img>`, or `None`.
#[server(endpoint = "get_photo", client = crate::api::csrf_client::CsrfClient)]
pub async fn get_photo(project_id: i64) -> Result<Option<String>, AppError> {
    use crate::api::ctx;
    use base64::Engine;
    let actor = ctx::actor().await?;
    let photo = domain::projects::profile::photo(&ctx::services()?, &actor, project_id).await?;
    Ok(photo.map(|(mime, bytes)| {
        format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }))
}

/// A multipart form with `project_id` and `photo` (a JPEG or PNG file).
#[server(endpoint = "upload_photo", input = MultipartFormData, client = crate::api::csrf_client::CsrfClient)]
pub async fn upload_photo(data: MultipartData) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let mut data = data
        .into_inner()
        .ok_or_else(|| AppError::Internal.answered())?;
    let (mut project_id, mut bytes) = (None, Vec::new());
    while let Ok(Some(mut field)) = data.next_field().await {
        match field.name().unwrap_or_default() {
            "project_id" => {
                project_id = field
                    .text()
                    .await
                    .ok()
                    .and_then(|t| t.trim().parse::<i64>().ok())
            }
            "photo" => {
                while let Ok(Some(chunk)) = field.chunk().await {
                    if bytes.len() + chunk.len() > domain::projects::profile::PHOTO_MAX_BYTES {
                        return Err(domain::Error::field(
                            "photo",
                            "The photo is larger than 5 MB. Use a smaller JPEG or PNG.",
                        )
                        .into());
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    let project_id = project_id.ok_or_else(|| {
        domain::Error::field("photo", "The form lost its project; reload the page.")
    })?;
    domain::projects::profile::set_photo(&ctx::services()?, &actor, project_id, bytes).await?;
    ctx::flash("Profile photo saved.").await?;
    Ok(())
}

#[server(endpoint = "delete_photo", client = crate::api::csrf_client::CsrfClient)]
pub async fn delete_photo(project_id: i64) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    domain::projects::profile::delete_photo(&ctx::services()?, &actor, project_id).await?;
    ctx::flash("Profile photo deleted.").await?;
    Ok(())
}
