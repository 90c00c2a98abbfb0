//! API keys of a project: everyone who may see the project sees the keys' metadata;
//! admins and the project's partners create, revoke and rotate them.

use leptos::prelude::*;
use rules::projects::keys::{ApiKey, KeyList, NewApiKey};

use crate::error::AppError;

#[server(endpoint = "list_keys", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_keys(project_id: i64) -> Result<KeyList, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let keys = domain::projects::keys::list(&ctx::services()?, &actor, project_id).await?;
    Ok(KeyList {
        as_of: domain::platform::db::now_ms(),
        keys,
    })
}

/// `expires_in_days`: empty for a key that does not expire.
#[server(endpoint = "create_key", client = crate::api::csrf_client::CsrfClient)]
pub async fn create_key(
    project_id: i64,
    name: String,
    expires_in_days: Option<String>,
) -> Result<NewApiKey, AppError> {
    use domain::projects::keys;
    let (actor, services) = crate::api::ctx::caller().await?;
    let days = match expires_in_days.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(d.parse::<i64>().map_err(|_| {
            domain::Error::field("expires_in_days", "Choose an expiry from the list.")
        })?),
    };
    let expires_at = keys::expiry_after_days(days)?;
    // No flash: a secret never goes into the session store. Without JavaScript the
    // server's guard shows the answer as a page instead (http::security).
    Ok(keys::create(&services, &actor, project_id, &name, expires_at).await?)
}

#[server(endpoint = "revoke_key", client = crate::api::csrf_client::CsrfClient)]
pub async fn revoke_key(key_id: i64) -> Result<ApiKey, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let key = domain::projects::keys::revoke(
        &ctx::services()?,
        &actor,
        key_id,
        domain::platform::db::now_ms(),
    )
    .await?;
    ctx::flash(format!(
        "Key {} revoked: requests with it now get 401.",
        key.prefix
    ))
    .await?;
    Ok(key)
}

/// `grace`: how long the old key keeps working ("none", "1h", "24h", "7d").
#[server(endpoint = "rotate_key", client = crate::api::csrf_client::CsrfClient)]
pub async fn rotate_key(key_id: i64, grace: String) -> Result<NewApiKey, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let grace_ms = domain::projects::keys::ROTATION_GRACE
        .iter()
        .find(|(name, _)| *name == grace)
        .map(|(_, ms)| *ms)
        .ok_or_else(|| {
            domain::Error::field("grace", "Choose how long the old key keeps working.")
        })?;
    // No flash: see create_key.
    Ok(domain::projects::keys::rotate(&ctx::services()?, &actor, key_id, grace_ms).await?)
}
