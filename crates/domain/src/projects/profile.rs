//! A project's WhatsApp business profile and "about" text, read from and written to its
//! upstream, with the limits checked first and upstream refusals worded plainly.

use reqwest::Method;
use rules::projects::profile::{BusinessProfile, ProfileView};
use serde_json::json;

use crate::audit::{self, Change};
use crate::projects::settings;
use crate::upstream::calls::call;
use crate::{Actor, Error, Result, Services};

pub async fn get(services: &Services, actor: &Actor, project_id: i64) -> Result<ProfileView> {
    settings::get(services, actor, project_id).await?;
    let profile = call(
        services,
        project_id,
        Method::GET,
        "/v1/settings/business/profile",
        None,
    )
    .await?;
    let about = call(
        services,
        project_id,
        Method::GET,
        "/v1/settings/profile/about",
        None,
    )
    .await?;
    let profile: BusinessProfile =
        serde_json::from_value(profile["settings"]["business"]["profile"].clone())
            .unwrap_or_default();
    Ok(ProfileView {
        profile,
        about: about["settings"]["profile"]["about"]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    })
}

pub async fn set(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    profile: &BusinessProfile,
) -> Result<()> {
    settings::get_to_configure(services, actor, project_id).await?;
    rules::projects::profile::check(profile).into_result()?;
    let websites: Vec<&String> = profile
        .websites
        .iter()
        .filter(|w| !w.trim().is_empty())
        .collect();
    let body = json!({
        "address": profile.address,
        "description": profile.description,
        "email": profile.email,
        "vertical": profile.vertical,
        "websites": websites,
    });
    let edit = Edit {
        method: Method::POST,
        path: "/v1/settings/business/profile",
        body: Some(body.clone()),
        action: "profile.update",
        after: body,
    };
    apply(services, actor, project_id, edit).await
}

pub async fn set_about(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    text: &str,
) -> Result<()> {
    settings::get_to_configure(services, actor, project_id).await?;
    rules::projects::profile::check_about(text).map_err(|m| Error::field("about", m))?;
    let edit = Edit {
        method: Method::PATCH,
        path: "/v1/settings/profile/about",
        body: Some(json!({"text": text})),
        action: "profile.about",
        after: json!({"about": text}),
    };
    apply(services, actor, project_id, edit).await
}

pub const PHOTO_MAX_BYTES: usize = 5 * 1024 * 1024;

/// The MIME type of a JPEG or PNG image, judged by its first bytes (not by its name).
pub fn photo_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// The profile photo as (MIME type, bytes), or `None` when there is none.
pub async fn photo(
    services: &Services,
    actor: &Actor,
    project_id: i64,
) -> Result<Option<(String, Vec<u8>)>> {
    settings::get(services, actor, project_id).await?;
    match crate::upstream::calls::call_raw(
        services,
        project_id,
        Method::GET,
        "/v1/settings/profile/photo",
        "application/json",
        Default::default(),
    )
    .await
    {
        Ok((mime, bytes)) if mime.starts_with("image/") => Ok(Some((mime, bytes.to_vec()))),
        Ok(_) => Ok(None),
        Err(Error::Upstream(m)) if m.contains("(404)") => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn set_photo(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    bytes: Vec<u8>,
) -> Result<()> {
    settings::get_to_configure(services, actor, project_id).await?;
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err(Error::field(
            "photo",
            "The photo is larger than 5 MB. Use a smaller JPEG or PNG (640x640 is plenty).",
        ));
    }
    let mime =
        photo_type(&bytes).ok_or_else(|| Error::field("photo", "Choose a JPEG or PNG image."))?;
    crate::upstream::calls::call_raw(
        services,
        project_id,
        Method::POST,
        "/v1/settings/profile/photo",
        mime,
        bytes.into(),
    )
    .await?;
    record(
        services,
        actor,
        project_id,
        "profile.photo",
        json!({"photo": mime}),
    )
    .await
}

pub async fn delete_photo(services: &Services, actor: &Actor, project_id: i64) -> Result<()> {
    settings::get_to_configure(services, actor, project_id).await?;
    let edit = Edit {
        method: Method::DELETE,
        path: "/v1/settings/profile/photo",
        body: None,
        action: "profile.photo",
        after: json!({"photo": null}),
    };
    apply(services, actor, project_id, edit).await
}

/// A change made at the upstream, and how the audit log records it.
struct Edit {
    method: Method,
    path: &'static str,
    body: Option<serde_json::Value>,
    action: &'static str,
    after: serde_json::Value,
}

async fn apply(services: &Services, actor: &Actor, project_id: i64, edit: Edit) -> Result<()> {
    call(services, project_id, edit.method, edit.path, edit.body).await?;
    record(services, actor, project_id, edit.action, edit.after).await
}

/// Records a change of the project's profile (made at the upstream) in the audit log.
async fn record(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    action: &'static str,
    after: serde_json::Value,
) -> Result<()> {
    let change = Change {
        action,
        subject_type: "project",
        subject_id: Some(project_id),
        project_id: Some(project_id),
        after: Some(after),
        ..Change::default()
    };
    audit::record(services.db.pool(), actor, change).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn photos_are_judged_by_their_bytes() {
        assert_eq!(
            super::photo_type(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(
            super::photo_type(b"\x89PNG\r\n\x1a\nrest"),
            Some("image/png")
        );
        assert_eq!(super::photo_type(b"GIF89a"), None);
    }
}
