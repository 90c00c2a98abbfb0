//! What a server function needs from its request: the shared services, the session and
//! the acting user.

use domain::{Actor, Services};
use tower_sessions::Session;

use super::session_keys;
use crate::error::AppError;

pub fn services() -> Result<Services, AppError> {
    leptos::prelude::use_context::<Services>().ok_or_else(|| AppError::Internal.answered())
}

/// The caller and the services: what nearly every server function starts with.
pub async fn caller() -> Result<(Actor, Services), AppError> {
    Ok((actor().await?, services()?))
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer on this request");
        AppError::Internal.answered()
    })
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store failed");
    AppError::Internal.answered()
}

/// The viewer's time zone, from the cookie the hydrated page sets (UTC until then).
pub fn zone() -> rules::zone::Zone {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|p| {
            let cookies = p.headers.get_all(http::header::COOKIE).iter();
            rules::zone::Zone::from_cookies(cookies.filter_map(|v| v.to_str().ok()))
        })
        .unwrap_or_default()
}

/// Whether this request is a plain HTML form post (JavaScript off): Leptos answers it
/// with a redirect back to the form's page, which an error status must not replace.
fn plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|a| a.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Gives a server function's HTTP answer `status`. Only for calls to `/api/…`: a server
/// function called while a page renders must not turn the page into an error.
pub fn set_error_status(status: u16) {
    let is_api_call = leptos::prelude::use_context::<http::request::Parts>()
        .is_some_and(|p| p.uri.path().starts_with("/api/"));
    if !is_api_call || plain_form_post() {
        return;
    }
    if let (Some(response), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(status);
    }
}

/// The logged-in, enabled user making this request (page loads carry the one the
/// request guard already looked up; server-function calls look it up here).
pub async fn actor() -> Result<Actor, AppError> {
    signed_in()
        .await?
        .ok_or_else(|| AppError::Unauthenticated.answered())
}

/// The logged-in, enabled user, or `None` when nobody is (not an error: for `me`).
pub async fn signed_in() -> Result<Option<Actor>, AppError> {
    if let Some(actor) = request_extension::<Actor>() {
        return Ok(Some(actor));
    }
    let session = session().await?;
    let Some(user) = session_keys::signed_in(&session)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    match domain::accounts::sessions::session_actor(&services()?.db, user).await {
        Ok(actor) => Ok(Some(actor)),
        Err(domain::Error::Unauthenticated) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Leaves a one-time message for the next page, when that page is a full load: a plain
/// HTML form post (JavaScript off). With JavaScript the form shows its own result.
pub async fn flash(message: impl Into<String>) -> Result<(), AppError> {
    if !plain_form_post() {
        return Ok(());
    }
    session()
        .await?
        .insert(session_keys::FLASH, message.into())
        .await
        .map_err(session_error)
}

/// The one-time message, removed as it is read. Removing marks the session changed (a
/// write to the store), so it is only removed when there is one.
pub async fn take_flash() -> Result<Option<String>, AppError> {
    let session = session().await?;
    let flash = session
        .get::<String>(session_keys::FLASH)
        .await
        .map_err(session_error)?;
    if flash.is_some() {
        session
            .remove::<String>(session_keys::FLASH)
            .await
            .map_err(session_error)?;
    }
    Ok(flash)
}

/// Logs `user` in: a new session id (no fixation), keeping the CSRF token.
pub async fn log_in(user: domain::accounts::sessions::SessionUser) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session_keys::sign_in(&session, user)
        .await
        .map_err(session_error)
}

pub async fn log_out() -> Result<(), AppError> {
    let session = session().await?;
    session_keys::sign_out(&session)
        .await
        .map_err(session_error)?;
    session.cycle_id().await.map_err(session_error)
}

/// The client's address, put on the request by the server's middleware.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// The session's CSRF token, put on page requests by the server's middleware.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

fn request_extension<T: Clone + Send + Sync + 'static>() -> Option<T> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<T>().cloned())
}

pub fn client_ip() -> String {
    request_extension::<ClientIp>()
        .map(|ip| ip.0)
        .unwrap_or_else(|| "unknown".into())
}

/// The logged-in user's role, put on page requests by the server's middleware.
#[derive(Clone, Copy, Debug)]
pub struct CurrentRole(pub rules::Role);

pub fn current_role() -> Option<rules::Role> {
    request_extension::<CurrentRole>().map(|r| r.0)
}

pub fn csrf_token() -> String {
    request_extension::<CsrfToken>()
        .map(|t| t.0)
        .unwrap_or_default()
}

/// The address the upstreams reach this server at (for inbound URLs), from `--public-url`.
#[derive(Clone, Debug)]
pub struct PublicUrl(pub String);

pub fn public_url() -> String {
    leptos::prelude::use_context::<PublicUrl>()
        .map(|u| u.0)
        .unwrap_or_default()
}
