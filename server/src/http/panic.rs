//! The last-resort answer to a handler that panicked: a plain 500 page that reveals
//! nothing internal. (A server function's error sets its own status where it is made:
//! `app::AppError::answered`.)

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
