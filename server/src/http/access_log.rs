//! One log line per request: method, path (never the query, headers or body), status, time.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if path.starts_with("/pkg/") {
        tracing::debug!(%method, %path, status, ms, "request");
    } else {
        tracing::info!(%method, %path, status, ms, "request");
    }
    response
}

/// The path as logged: the secret token of an inbound URL is left out.
fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/inbound/") {
        Some(rest) => format!(
            "/inbound/{}/[token]",
            rest.split('/').next().unwrap_or_default()
        ),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn inbound_tokens_are_not_logged() {
        assert_eq!(
            super::loggable_path("/inbound/7/secret-token"),
            "/inbound/7/[token]"
        );
        assert_eq!(super::loggable_path("/v1/messages"), "/v1/messages");
    }
}
