//! The console's request guard, in one place: the client's address for throttling, the
//! session's CSRF token (checked on every state-changing request, echoed into pages),
//! and the log-in gate in front of every page.

use std::net::SocketAddr;

use app::AppError;
use app::api::ctx::{ClientIp, CsrfToken, CurrentRole};
use app::api::session_keys;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use domain::Services;
use http::{Method, StatusCode, header};
use rand::RngCore;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

pub const CSRF_HEADER: &str = "x-csrf-token";

/// The largest body a console request may send (it is read before the CSRF check, so an
/// unauthenticated request cannot make the server hold more than this): a profile photo
/// (5 MB) with its form, a template library's JSON, or an ordinary form.
fn form_limit(path: &str) -> usize {
    match path {
        "/api/upload_photo" => 6 * 1024 * 1024,
        "/api/import_templates" => 4 * 1024 * 1024,
        _ => 256 * 1024,
    }
}

pub async fn guard(
    State(services): State<Services>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    match check(&services, session, request).await {
        Ok(request) => next.run(request).await,
        Err(response) => response,
    }
}

// The error is the answer itself (a redirect or a refusal), as axum middleware returns it.
#[allow(clippy::result_large_err)]
async fn check(
    services: &Services,
    session: Session,
    mut request: Request,
) -> Result<Request, Response> {
    let path = request.uri().path().to_owned();
    if is_asset(&path) {
        return Ok(request);
    }
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    request.extensions_mut().insert(ClientIp(ip));
    let token = session_token(&session).await?;
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        request = verify_csrf(request, &token).await?;
    } else if !path.starts_with("/api/") {
        let user = session_keys::signed_in(&session).await.map_err(internal)?;
        let actor = match user {
            // A disabled or deleted user, or one whose password changed since this session
            // began, is logged out; a database failure is a 500, not a logout.
            Some(user) => match domain::accounts::sessions::session_actor(&services.db, user).await
            {
                Ok(actor) => Some(actor),
                Err(domain::Error::Unauthenticated) => None,
                Err(e) => return Err(internal(e)),
            },
            None => None,
        };
        if let Some(actor) = &actor {
            request.extensions_mut().insert(CurrentRole(actor.role));
            // Plain routes (downloads) take the checked caller from here.
            request.extensions_mut().insert(actor.clone());
        }
        let logged_in = actor.is_some();
        if !logged_in && path != "/login" {
            let next = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
            return Err(Redirect::to(&format!("/login?{query}")).into_response());
        }
        if logged_in && path == "/login" {
            return Err(Redirect::to("/").into_response());
        }
    }
    request.extensions_mut().insert(CsrfToken(token));
    Ok(request)
}

/// Static files: built assets and anything that looks like a file name.
fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path == "/healthz"
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

// The error is the answer itself (a redirect or a refusal), as axum middleware returns it.
#[allow(clippy::result_large_err)]
async fn session_token(session: &Session) -> Result<String, Response> {
    if let Some(token) = session
        .get::<String>(session_keys::CSRF)
        .await
        .map_err(internal)?
    {
        return Ok(token);
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    session
        .insert(session_keys::CSRF, &token)
        .await
        .map_err(internal)?;
    Ok(token)
}

/// The token must come back in the `x-csrf-token` header, the form's `csrf` field, or (for
/// file uploads without JavaScript, whose bodies are multipart) the `csrf` query parameter.
// The error is the answer itself (a redirect or a refusal), as axum middleware returns it.
#[allow(clippy::result_large_err)]
async fn verify_csrf(request: Request, expected: &str) -> Result<Request, Response> {
    let from_query = request
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v));
    let from_header = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(from_query);
    let accepts_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, form_limit(parts.uri.path()))
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response())?;
    let presented = from_header.or_else(|| {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v)
    });
    let valid = presented.is_some_and(|p| bool::from(p.as_bytes().ct_eq(expected.as_bytes())));
    if !valid {
        tracing::warn!(path = %parts.uri.path(), "refused a request without a valid CSRF token");
        return Err(csrf_refusal(accepts_html));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn csrf_refusal(accepts_html: bool) -> Response {
    let message = AppError::Csrf.to_string();
    if accepts_html {
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><title>Form expired · Tujenge</title><body style=\"font-family:sans-serif;max-width:32rem;margin:6rem auto\"><h1>Form expired</h1><p>{message}</p><p><a href=\"/\">Back to the console</a></p></body></html>"
        );
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response()
    } else {
        let body = serde_json::to_string(&AppError::Csrf).unwrap_or_default();
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "session or user lookup failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Internal.to_string(),
    )
        .into_response()
}
