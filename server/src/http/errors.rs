//! The last-resort 500 answer: a plain page that reveals nothing internal.

use axum::body::Body;
use axum::response::Response;
use http::{StatusCode, header};

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
