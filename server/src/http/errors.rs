//! Error answers: a server function's error gets the HTTP status its kind means (Leptos
//! answers every one with 500), and the last-resort 500 page reveals nothing internal.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{StatusCode, header};

/// Server-function errors are typed (`app::AppError`) but all leave as 500: a wrong
/// password or a field error would count as a server failure in every dashboard. This
/// reads the error back and answers with its own status (400, 401, 403, 404, 429, 502);
/// the browser decodes the body the same way for any 4xx or 5xx.
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<app::AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked");
    Response::builder()
        .status(StatusCode::INTERNAL_SERVER_ERROR)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(
            "<!DOCTYPE html><html lang=\"en\"><title>Something went wrong · Tujenge</title><body style=\"font-family:sans-serif;max-width:32rem;margin:6rem auto;text-align:center\"><h1>Something went wrong</h1><p>It has been logged. Please try again, or go back to the <a href=\"/\">overview</a>.</p></body></html>",
        ))
        .expect("static response")
}
