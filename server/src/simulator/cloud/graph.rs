//! The simulated Graph API: `/{version}/{node}` and `/{version}/{node}/{edge}` behind the
//! access token, for messages, media, the business profile, the resumable upload, the
//! number's fields and the template library.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

use super::{CloudSimulator, graph_error, notify, templates};

/// Media and photos up to the Cloud API's own limits (100 MB; axum's default is 2 MB).
const BODY_MAX: usize = 100 * 1024 * 1024;

pub fn routes() -> Router<CloudSimulator> {
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

fn unknown_node(node: &str) -> Response {
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
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refusal(&sim, &headers) {
        return refused;
    }
    if sim.knows_number(&node) {
        return Json(super::health::number(&sim, &node)).into_response();
    }
    let media = sim.world.lock().unwrap().media.get(&node).cloned();
    let Some((mime, size)) = media else {
        return unknown_node(&node);
    };
    if query
        .get("phone_number_id")
        .is_some_and(|p| !sim.knows_number(p))
    {
        return unknown_node(&node);
    }
    let expires = chrono::Utc::now().timestamp() + 300;
    let url = format!(
        "{}/media-files/{node}?expires={expires}",
        sim.config.public_base
    );
    Json(
        json!({"messaging_product": "whatsapp", "url": url, "mime_type": mime,
        "sha256": "simulated", "file_size": size, "id": node}),
    )
    .into_response()
}

/// The bytes behind a media URL: the token, and a URL not older than five minutes.
pub async fn media_file(
    State(sim): State<CloudSimulator>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refusal(&sim, &headers) {
        return refused;
    }
    let expires: i64 = query
        .get("expires")
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    if expires < chrono::Utc::now().timestamp() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some((mime, _)) = sim.world.lock().unwrap().media.get(&id).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(file) = tokio::fs::File::open(sim.config.media_dir.join(&id)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    ([(header::CONTENT_TYPE, mime)], body).into_response()
}

async fn node_post(
    State(sim): State<CloudSimulator>,
    Path((_, node)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Some(refused) = refusal(&sim, &headers) {
        return refused;
    }
    if let Some(edited) = templates::edit(&sim, &node, &body) {
        return edited;
    }
    // The second step of a resumable upload: the bytes, from offset 0.
    let upload = sim.world.lock().unwrap().uploads.remove(&node);
    let Some((file_type, length)) = upload else {
        return unknown_node(&node);
    };
    let offset = headers.get("file_offset").and_then(|v| v.to_str().ok());
    if offset != Some("0") || body.len() != length {
        let detail = format!("Send all {length} bytes with file_offset: 0.");
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid upload",
            Some(&detail),
        );
    }
    let handle = format!("4:{}:{}", sim.next_id(), file_type);
    sim.world
        .lock()
        .unwrap()
        .handles
        .insert(handle.clone(), (file_type, body.to_vec()));
    Json(json!({"h": handle})).into_response()
}

async fn node_delete(
    State(sim): State<CloudSimulator>,
    Path((_, node)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refusal(&sim, &headers) {
        return refused;
    }
    if sim.world.lock().unwrap().media.remove(&node).is_none() {
        return unknown_node(&node);
    }
    let _ = tokio::fs::remove_file(sim.config.media_dir.join(&node)).await;
    Json(json!({"success": true})).into_response()
}

async fn edge_get(
    State(sim): State<CloudSimulator>,
    Path((_, node, edge)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refusal(&sim, &headers) {
        return refused;
    }
    match edge.as_str() {
        "whatsapp_business_profile" if sim.knows_number(&node) => profile(&sim, &node),
        "message_templates" if node == sim.config.waba_id => templates::list(&sim, &query),
        _ => unknown_node(&node),
    }
}

fn profile(sim: &CloudSimulator, number: &str) -> Response {
    let world = sim.world.lock().unwrap();
    let mut fields = world.profiles.get(number).cloned().unwrap_or_else(|| {
        json!({"about": "Hey there! I am using WhatsApp.", "address": "", "description": "",
            "email": "", "websites": [], "vertical": "OTHER"})
    });
    fields["messaging_product"] = json!("whatsapp");
    if world.photos.contains_key(number) {
        fields["profile_picture_url"] = json!(format!(
            "{}/profile-photos/{number}",
            sim.config.public_base
        ));
    }
    Json(json!({"data": [{"business_profile": fields}]})).into_response()
}

/// A profile photo, as Meta's CDN serves it (no token).
pub async fn profile_photo(
    State(sim): State<CloudSimulator>,
    Path(number): Path<String>,
) -> Response {
    match sim.world.lock().unwrap().photos.get(&number).cloned() {
        Some((mime, bytes)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn edge_post(
    State(sim): State<CloudSimulator>,
    Path((_, node, edge)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    if let Some(refused) = refusal(&sim, request.headers()) {
        return refused;
    }
    match edge.as_str() {
        "messages" if sim.knows_number(&node) => {
            let Ok(Json(body)) = Json::<Value>::from_request(request, &sim).await else {
                return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid JSON", None);
            };
            notify::send_message(&sim, &node, body).await
        }
        "media" if sim.knows_number(&node) => {
            let Ok(form) = Multipart::from_request(request, &sim).await else {
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    100,
                    "Expected a multipart form",
                    None,
                );
            };
            upload_media(&sim, form).await
        }
        "whatsapp_business_profile" if sim.knows_number(&node) => {
            let Ok(Json(body)) = Json::<Value>::from_request(request, &sim).await else {
                return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid JSON", None);
            };
            set_profile(&sim, &node, body)
        }
        "uploads" if node == sim.config.app_id => {
            let length = query.get("file_length").and_then(|l| l.parse().ok());
            let file_type = query.get("file_type").cloned().unwrap_or_default();
            let Some(length) = length.filter(|_| file_type.starts_with("image/")) else {
                let detail = "file_length and an image file_type are required";
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    100,
                    "Invalid parameter",
                    Some(detail),
                );
            };
            let id = format!("upload:{}", sim.next_id());
            sim.world
                .lock()
                .unwrap()
                .uploads
                .insert(id.clone(), (file_type, length));
            Json(json!({"id": id})).into_response()
        }
        "message_templates" if node == sim.config.waba_id => {
            let Ok(Json(body)) = Json::<Value>::from_request(request, &sim).await else {
                return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid JSON", None);
            };
            templates::create(&sim, body)
        }
        _ => unknown_node(&node),
    }
}

async fn edge_delete(
    State(sim): State<CloudSimulator>,
    Path((_, node, edge)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refusal(&sim, &headers) {
        return refused;
    }
    match edge.as_str() {
        "message_templates" if node == sim.config.waba_id => templates::delete(&sim, &query),
        _ => unknown_node(&node),
    }
}

async fn upload_media(sim: &CloudSimulator, mut form: Multipart) -> Response {
    let (mut product, mut file) = (None, None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or_default() {
            "messaging_product" => product = field.text().await.ok(),
            "file" => {
                let mime = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                file = field.bytes().await.ok().map(|b| (mime, b));
            }
            _ => {}
        }
    }
    if product.as_deref() != Some("whatsapp") {
        let detail = "The parameter messaging_product is required.";
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid parameter",
            Some(detail),
        );
    }
    let Some((mime, bytes)) = file else {
        let detail = "The parameter file is required.";
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid parameter",
            Some(detail),
        );
    };
    let id = format!("{}", 1_000_000_000_000 + sim.next_id());
    if tokio::fs::write(sim.config.media_dir.join(&id), &bytes)
        .await
        .is_err()
    {
        return graph_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            131000,
            "Something went wrong",
            None,
        );
    }
    let size = bytes.len() as u64;
    sim.world
        .lock()
        .unwrap()
        .media
        .insert(id.clone(), (mime, size));
    Json(json!({"id": id})).into_response()
}

fn set_profile(sim: &CloudSimulator, number: &str, body: Value) -> Response {
    if body["messaging_product"] != "whatsapp" {
        let detail = "The parameter messaging_product is required.";
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid parameter",
            Some(detail),
        );
    }
    let mut world = sim.world.lock().unwrap();
    if let Some(handle) = body["profile_picture_handle"].as_str() {
        let Some(photo) = world.handles.remove(handle) else {
            let detail = "Unknown profile_picture_handle.";
            return graph_error(
                StatusCode::BAD_REQUEST,
                100,
                "Invalid parameter",
                Some(detail),
            );
        };
        world.photos.insert(number.to_owned(), photo);
    }
    let mut profile = world
        .profiles
        .get(number)
        .cloned()
        .unwrap_or_else(|| json!({}));
    for key in [
        "about",
        "address",
        "description",
        "email",
        "websites",
        "vertical",
    ] {
        if let Some(value) = body.get(key) {
            profile[key] = value.clone();
        }
    }
    world.profiles.insert(number.to_owned(), profile);
    Json(json!({"success": true})).into_response()
}
