//! The console's request guard, in one place: the client's address for throttling (the
//! TCP peer, or what a trusted proxy says), the session's CSRF token (checked on every
//! state-changing request before its body is read, echoed into pages), the log-in gate in
//! front of every page, and the login's absolute lifetime. Anonymous requests never make a
//! session: only the login form does.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use app::AppError;
use app::api::ctx::{ClientIp, CsrfToken, CurrentRole};
use app::api::session_keys;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use domain::platform::db::now_ms;
use domain::{Actor, Services};
use http::{HeaderMap, Method, StatusCode, header};
use rand::RngCore;
use rules::net::Cidr;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

pub const CSRF_HEADER: &str = "x-csrf-token";

/// The largest plain form read to find its `csrf` field (a token in the header or the query
/// needs no read at all).
const FORM_FIELD_LIMIT: usize = 256 * 1024;

/// The largest body a console request may send once its token matched: a profile photo
/// (5 MB) with its form, a template library's JSON, or an ordinary form.
fn form_limit(path: &str) -> usize {
    match path {
        "/api/upload_photo" => 6 * 1024 * 1024,
        "/api/import_templates" => 4 * 1024 * 1024,
        _ => 256 * 1024,
    }
}

/// What the guard needs besides the session: the services, the proxies whose
/// `X-Forwarded-For` is believed, and how long a login lasts at most.
#[derive(Clone)]
pub struct GuardState {
    pub services: Services,
    /// Peers allowed to say who the client is (`--trusted-proxies`); from anyone else
    /// `X-Forwarded-For` is ignored, so a client cannot pick the address it is throttled by.
    pub trusted_proxies: Arc<[Cidr]>,
    /// A login ends this long after it began, however active the session.
    pub session_lifetime: Duration,
}

pub async fn guard(
    State(state): State<GuardState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let shows_new_key = NEW_KEY_ENDPOINTS.contains(&request.uri().path()) && accepts_html(&request);
    match check(&state, session, request).await {
        Ok(request) if shows_new_key => new_key_page(next.run(request).await).await,
        Ok(request) => next.run(request).await,
        Err(response) => response,
    }
}

/// Headers on every console answer: never framed, no content-type guessing, the referrer
/// kept on this site (no-JavaScript forms are sent back to it), and HSTS when the console
/// is served over TLS (`--secure-cookies`). Pages add their Content-Security-Policy.
pub async fn response_headers(State(tls): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(header::HeaderValue::from_static(value));
    };
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    if tls {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    response
}

/// Server functions that answer with a new API key (shown once).
const NEW_KEY_ENDPOINTS: [&str; 2] = ["/api/create_key", "/api/rotate_key"];

fn accepts_html(request: &Request) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// Without JavaScript a form post is answered with a redirect back to the form, and the
/// new key (the body) would be lost; keeping it for the next page would store it in the
/// session. So the key is shown right here, once, on a page of its own (never cached).
async fn new_key_page(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let Ok(new) = serde_json::from_slice::<rules::projects::keys::NewApiKey>(&bytes) else {
        // An error: the redirect back to the form (with its flash) stands.
        return Response::from_parts(parts, Body::from(bytes));
    };
    let back = format!("/projects/{}/keys", new.key.project_id);
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><title>New API key · Tujenge</title>\
         <link rel=\"stylesheet\" href=\"/pkg/tujenge.css\">\
         <body class=\"bg-slate-50 text-slate-900\"><main class=\"content\">\
         <h1 class=\"page-title\">New API key {prefix}</h1>\
         <p class=\"notice notice-warning\">Copy it now: it is not shown again.</p>\
         <p><code class=\"mono secret-once\">{secret}</code></p>\
         <p><a class=\"link\" href=\"{back}\">Back to the project's keys</a></p>\
         </main></body></html>",
        prefix = new.key.prefix,
        secret = new.secret,
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        page,
    )
        .into_response()
}

// The error is the answer itself (a redirect or a refusal), as axum middleware returns it.
#[allow(clippy::result_large_err)]
async fn check(
    state: &GuardState,
    session: Session,
    mut request: Request,
) -> Result<Request, Response> {
    let path = request.uri().path().to_owned();
    if is_asset(&path) {
        return Ok(request);
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let ip = peer.map_or_else(
        || "unknown".to_owned(),
        |peer| client_address(peer, request.headers(), &state.trusted_proxies).to_string(),
    );
    request.extensions_mut().insert(ClientIp(ip));
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        // Never creates a session: a request without one has no token to match.
        let token = session
            .get::<String>(session_keys::CSRF)
            .await
            .map_err(internal)?;
        return verify_csrf(request, token.as_deref()).await;
    }
    if path.starts_with("/api/") {
        return Ok(request);
    }
    let actor = signed_in_actor(state, &session).await?;
    if let Some(actor) = &actor {
        request.extensions_mut().insert(CurrentRole(actor.role));
        // Plain routes (downloads) take the checked caller from here.
        request.extensions_mut().insert(actor.clone());
    }
    match (actor.is_some(), path == "/login") {
        // Anonymous visitors are sent to the login form without a session being made:
        // only the form itself needs one (for its CSRF token).
        (false, false) => {
            let next = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
            Err(Redirect::to(&format!("/login?{query}")).into_response())
        }
        (true, true) => Err(Redirect::to("/").into_response()),
        _ => {
            let token = session_token(&session).await?;
            request.extensions_mut().insert(CsrfToken(token));
            Ok(request)
        }
    }
}

/// The session's user, if the login still holds: a disabled or deleted user, one whose
/// password changed since the login, or a login older than the session lifetime is
/// logged out; a database failure is a 500, not a logout.
#[allow(clippy::result_large_err)]
async fn signed_in_actor(state: &GuardState, session: &Session) -> Result<Option<Actor>, Response> {
    let Some(user) = session_keys::signed_in(session).await.map_err(internal)? else {
        return Ok(None);
    };
    let started = session
        .get::<i64>(session_keys::STARTED_AT)
        .await
        .map_err(internal)?;
    let lifetime = i64::try_from(state.session_lifetime.as_millis()).unwrap_or(i64::MAX);
    if started.is_none_or(|at| now_ms().saturating_sub(at) > lifetime) {
        session_keys::sign_out(session).await.map_err(internal)?;
        return Ok(None);
    }
    match domain::accounts::sessions::session_actor(&state.services.db, user).await {
        Ok(actor) => Ok(Some(actor)),
        Err(domain::Error::Unauthenticated) => Ok(None),
        Err(e) => Err(internal(e.report())),
    }
}

/// The client's address: the TCP peer, unless the peer is a trusted proxy; then the
/// right-most address in `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|a| a.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(*ip))
        .unwrap_or(peer)
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

/// The token must come back in the `x-csrf-token` header, the `csrf` query parameter (file
/// uploads without JavaScript, whose bodies are multipart), or the form's `csrf` field. A
/// token in the header or query is checked before a byte of the body is read; only a plain
/// form without one is read (up to its limit) to find the field.
// The error is the answer itself (a redirect or a refusal), as axum middleware returns it.
#[allow(clippy::result_large_err)]
async fn verify_csrf(request: Request, expected: Option<&str>) -> Result<Request, Response> {
    let accepts_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let path = request.uri().path().to_owned();
    let refuse = || {
        tracing::warn!(%path, "refused a request without a valid CSRF token");
        csrf_refusal(accepts_html)
    };
    let matches = |presented: &str| {
        expected.is_some_and(|e| bool::from(presented.as_bytes().ct_eq(e.as_bytes())))
    };
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
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/"));
    let (parts, body) = request.into_parts();
    let limit = form_limit(parts.uri.path());
    if let Some(presented) = from_header {
        if !matches(&presented) {
            return Err(refuse());
        }
        let limited = http_body_util::Limited::new(body, limit);
        return Ok(Request::from_parts(parts, Body::new(limited)));
    }
    if multipart || expected.is_none() {
        return Err(refuse());
    }
    let bytes = to_bytes(body, FORM_FIELD_LIMIT)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response())?;
    let presented = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| {
            fields
                .into_iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v)
        });
    if !presented.is_some_and(|p| matches(&p)) {
        return Err(refuse());
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

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use http::HeaderMap;

    use super::client_address;

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().unwrap());
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(
            client_address(peer, &headers, &trusted).to_string(),
            "203.0.113.9"
        );
        assert_eq!(
            client_address(peer, &headers, &[]),
            peer,
            "no trusted proxies"
        );
        let stranger: IpAddr = "198.51.100.4".parse().unwrap();
        assert_eq!(client_address(stranger, &headers, &trusted), stranger);
        headers.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(client_address(peer, &headers, &trusted), peer);
    }
}
