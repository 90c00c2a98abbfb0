//! Logging in and out, and who is logged in.

use leptos::prelude::*;
use rules::Role;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The logged-in user as pages need them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub email: String,
    pub role: Role,
    pub organization_id: Option<i64>,
}

#[server(endpoint = "login", client = crate::api::csrf_client::CsrfClient)]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::api::ctx;
    let services = ctx::services()?;
    let user = domain::accounts::login::authenticate(
        &services.db,
        &services.throttle,
        &email,
        &password,
        &ctx::client_ip(),
    )
    .await?;
    ctx::log_in(domain::accounts::sessions::session_for(&services.db, user.id).await?).await?;
    // Only same-site paths, so the login form cannot be used to send people elsewhere.
    leptos_axum::redirect(rules::text::safe_next(next.as_deref().unwrap_or("/")));
    Ok(())
}

#[server(endpoint = "logout", client = crate::api::csrf_client::CsrfClient)]
pub async fn logout() -> Result<(), AppError> {
    crate::api::ctx::log_out().await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// The logged-in user, or `None` when nobody is.
#[server(endpoint = "me", client = crate::api::csrf_client::CsrfClient)]
pub async fn me() -> Result<Option<SignedInUser>, AppError> {
    Ok(crate::api::ctx::signed_in()
        .await?
        .map(|actor| SignedInUser {
            email: actor.label,
            role: actor.role,
            organization_id: actor.organization_id,
        }))
}

/// The one-time message left by the last action, if any.
#[server(endpoint = "take_flash", client = crate::api::csrf_client::CsrfClient)]
pub async fn take_flash() -> Result<Option<String>, AppError> {
    crate::api::ctx::take_flash().await
}
