//! One log line per request (tower-http's `TraceLayer`): method and path in the request's
//! span (never the query, headers or body; an inbound URL's token left out), status and
//! milliseconds when it is answered. Site assets (`/pkg/…`) log at debug level.

use std::time::Duration;

use axum::body::Body;
use http::{Request, Response};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{OnResponse, TraceLayer};
use tracing::{Level, Span};

pub type AccessLogLayer =
    TraceLayer<SharedClassifier<ServerErrorsAsFailures>, fn(&Request<Body>) -> Span, (), AccessLog>;

pub fn layer() -> AccessLogLayer {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&Request<Body>) -> Span)
        .on_request(())
        .on_response(AccessLog)
}

fn request_span(request: &Request<Body>) -> Span {
    let method = request.method();
    let path = loggable_path(request.uri().path());
    if path.starts_with("/pkg/") {
        tracing::debug_span!("request", %method, %path)
    } else {
        tracing::info_span!("request", %method, %path)
    }
}

/// Writes the request's line when it is answered, at its span's level.
#[derive(Clone, Copy, Debug)]
pub struct AccessLog;

impl<B> OnResponse<B> for AccessLog {
    fn on_response(self, response: &Response<B>, latency: Duration, span: &Span) {
        let status = response.status().as_u16();
        let ms = latency.as_secs_f64() * 1000.0;
        match span.metadata().map(|m| *m.level()) {
            Some(Level::DEBUG) => tracing::debug!(status, ms, "request"),
            Some(_) => tracing::info!(status, ms, "request"),
            // The span is filtered out: so is its line.
            None => {}
        }
    }
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
