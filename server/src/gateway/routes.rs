//! Where each `/v1` request goes: classified once on its normalised path (blocked, the
//! gateway's own endpoint, checked messages, or proxied), authenticated by its
//! `WA-API-KEY`, handed to its handler and counted in the metrics.

use domain::upstream::client::Target;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rules::api::path::{self, Route};

use super::envelope::ApiError;
use super::{Gateway, messages, proxy, templates, webhook_config};

/// Middleware in front of the console: API paths are answered here, the rest go on.
pub async fn intercept(
    State(gateway): State<Arc<Gateway>>,
    request: Request,
    next: Next,
) -> Response {
    let route = match path::classify(request.uri().path(), &gateway.config.base_path) {
        Ok(Route::NotApi) => return next.run(request).await,
        Ok(route) => route,
        Err(path::BadPath(message)) => return ApiError::bad_path(message).into_response(),
    };
    let started = Instant::now();
    let label = route_label(&route);
    let response = dispatch(&gateway, route, request).await;
    gateway
        .metrics
        .request(label, response.status().as_u16(), started.elapsed());
    response
}

fn route_label(route: &Route) -> &'static str {
    match route {
        Route::NotApi => "console",
        Route::Blocked { .. } => "blocked",
        Route::WebhookConfig => "webhook_config",
        Route::Templates => "templates",
        Route::Messages => "messages",
        Route::Proxy { .. } => "proxy",
    }
}

async fn dispatch(gateway: &Gateway, route: Route, request: Request) -> Response {
    let grant = match gateway.keys.authenticate(request.headers()).await {
        Ok(grant) => grant,
        Err(e) => return e.into_response(),
    };
    let result = match route {
        Route::Blocked { path, instead } => Err(ApiError::blocked(&path, instead)),
        Route::Messages if request.method() == http::Method::POST => {
            messages::send(gateway, &grant, request).await
        }
        Route::Messages => {
            let segments = Target::path("/v1/messages").segments;
            proxy::forward(gateway, &grant, segments, request).await
        }
        Route::Proxy { segments } => proxy::forward(gateway, &grant, segments, request).await,
        Route::WebhookConfig => webhook_config::handle(gateway, &grant, request).await,
        Route::Templates => templates::list(gateway, &grant, request.method()).await,
        Route::NotApi => unreachable!("handled by intercept"),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}
