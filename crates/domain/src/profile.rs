//! A project's WhatsApp business profile and "about" text, read from and written to its
//! upstream, with the limits checked first and upstream refusals worded plainly.

use reqwest::Method;
use rules::profile::{BusinessProfile, ProfileView};
use serde_json::json;

use crate::audit::{self, Change};
use crate::upstream::call;
use crate::{Actor, Error, Result, Services, projects};

pub async fn get(services: &Services, actor: &Actor, project_id: i64) -> Result<ProfileView> {
    projects::get(services, actor, project_id).await?;
    let profile = call(services, project_id, Method::GET, "/v1/settings/business/profile", None).await?;
    let about = call(services, project_id, Method::GET, "/v1/settings/profile/about", None).await?;
    let profile: BusinessProfile = serde_json::from_value(profile["settings"]["business"]["profile"].clone()).unwrap_or_default();
    Ok(ProfileView { profile, about: about["settings"]["profile"]["about"]["text"].as_str().unwrap_or_default().to_owned() })
}

fn require_editor(actor: &Actor) -> Result<()> {
    if actor.role == rules::Role::Support { Err(Error::Forbidden) } else { Ok(()) }
}

pub async fn set(services: &Services, actor: &Actor, project_id: i64, profile: &BusinessProfile) -> Result<()> {
    projects::get(services, actor, project_id).await?;
    require_editor(actor)?;
    rules::profile::check(profile).into_result()?;
    let websites: Vec<&String> = profile.websites.iter().filter(|w| !w.trim().is_empty()).collect();
    let body = json!({"address": profile.address, "description": profile.description, "email": profile.email, "vertical": profile.vertical, "websites": websites});
    call(services, project_id, Method::POST, "/v1/settings/business/profile", Some(body.clone())).await?;
    let change = Change { action: "profile.update", subject_type: "project", subject_id: Some(project_id), project_id: Some(project_id), after: Some(body), ..Change::default() };
    audit::record(services.db.pool(), actor, change).await
}

pub async fn set_about(services: &Services, actor: &Actor, project_id: i64, text: &str) -> Result<()> {
    projects::get(services, actor, project_id).await?;
    require_editor(actor)?;
    rules::profile::check_about(text).map_err(|m| Error::field("about", m))?;
    call(services, project_id, Method::PATCH, "/v1/settings/profile/about", Some(json!({"text": text}))).await?;
    let change = Change { action: "profile.about", subject_type: "project", subject_id: Some(project_id), project_id: Some(project_id), after: Some(json!({"about": text})), ..Change::default() };
    audit::record(services.db.pool(), actor, change).await
}
