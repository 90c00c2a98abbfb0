//! The simulated Graph API: `/{version}/{node}` and `/{version}/{node}/{edge}` behind the
//! access token, each call handed to its area (messages, media, the business profile and
//! its resumable upload, the number's fields, the template library).

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, StatusCode, header};
use serde_json::Value;

use super::{CloudSimulator, graph_error, invalid_json, media, notify, profile, templates};

/// Media and photos up to the Cloud API's own limits (100 MB; axum's default is 2 MB).
const BODY_MAX: usize = 100 * 1024 * 1024;

pub fn routes(sim: &CloudSimulator) -> Router<CloudSimulator> {
    Router::new()
        .route(
            "/{version}/{node}",
            get(node_get).post(node_post).delete(node_delete),
        )
        .route(
            "/{version}/{node}/{edge}",
            get(edge_get).post(edge_post).delete(edge_delete),
        )
        .layer(axum::extract::DefaultBodyLimit::max(BODY_MAX))
        .route_layer(axum::middleware::from_fn_with_state(
            sim.clone(),
            require_token,
        ))
        .route_layer(axum::middleware::from_fn(require_version))
}

/// Every Graph path starts with a version such as `v23.0`.
async fn require_version(request: Request, next: Next) -> Response {
    let version = request.uri().path().split('/').nth(1).unwrap_or_default();
    if !version.starts_with('v') || rules::cloud::check_graph_version(version).is_err() {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Unknown path", None);
    }
    next.run(request).await
}

/// Every Graph call carries the number's token.
pub async fn require_token(
    State(sim): State<CloudSimulator>,
    request: Request,
    next: Next,
) -> Response {
    match refusal(&sim, request.headers()) {
        Some(refused) => refused,
        None => next.run(request).await,
    }
}

/// Graph's answer to a call without the number's token, if this one is.
fn refusal(sim: &CloudSimulator, headers: &HeaderMap) -> Option<Response> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("OAuth "))
        });
    (given != Some(sim.config.access_token.as_str())).then(|| {
        graph_error(
            StatusCode::UNAUTHORIZED,
            190,
            "Invalid OAuth access token - Cannot parse access token",
            None,
        )
    })
}

pub fn unknown_node(node: &str) -> Response {
    let message = format!(
        "Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded due \
         to missing permissions, or does not support this operation."
    );
    graph_error(StatusCode::BAD_REQUEST, 100, &message, None)
}

async fn node_get(
    State(sim): State<CloudSimulator>,
    Path((_, node)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if sim.knows_number(&node) {
        return Json(super::health::number(&sim, &node)).into_response();
    }
    media::info(&sim, &node, &query)
}

async fn node_post(
    State(sim): State<CloudSimulator>,
    Path((_, node)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Some(edited) = templates::edit(&sim, &node, &body) {
        return edited;
    }
    profile::finish_upload(&sim, &node, &headers, body)
}

async fn node_delete(
    State(sim): State<CloudSimulator>,
    Path((_, node)): Path<(String, String)>,
) -> Response {
    media::delete(&sim, &node).await
}

async fn edge_get(
    State(sim): State<CloudSimulator>,
    Path((_, node, edge)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match edge.as_str() {
        "whatsapp_business_profile" if sim.knows_number(&node) => profile::read(&sim, &node),
        "message_templates" if node == sim.config.waba_id => templates::list(&sim, &query),
        _ => unknown_node(&node),
    }
}

async fn edge_post(
    State(sim): State<CloudSimulator>,
    Path((_, node, edge)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let json = async |request: Request| {
        Json::<Value>::from_request(request, &sim)
            .await
            .map(|Json(body)| body)
            .map_err(|_| invalid_json())
    };
    let answer = match edge.as_str() {
        "messages" if sim.knows_number(&node) => match json(request).await {
            Ok(body) => Ok(notify::send_message(&sim, &node, body).await),
            Err(refused) => Err(refused),
        },
        "media" if sim.knows_number(&node) => match Multipart::from_request(request, &sim).await {
            Ok(form) => Ok(media::upload(&sim, form).await),
            Err(_) => Err(graph_error(
                StatusCode::BAD_REQUEST,
                100,
                "Expected a multipart form",
                None,
            )),
        },
        "whatsapp_business_profile" if sim.knows_number(&node) => json(request)
            .await
            .map(|body| profile::write(&sim, &node, body)),
        "uploads" if node == sim.config.app_id => Ok(profile::start_upload(&sim, &query)),
        "message_templates" if node == sim.config.waba_id => json(request)
            .await
            .map(|body| templates::create(&sim, body)),
        _ => Err(unknown_node(&node)),
    };
    answer.unwrap_or_else(|refused| refused)
}

async fn edge_delete(
    State(sim): State<CloudSimulator>,
    Path((_, node, edge)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match edge.as_str() {
        "message_templates" if node == sim.config.waba_id => templates::delete(&sim, &query),
        _ => unknown_node(&node),
    }
}
