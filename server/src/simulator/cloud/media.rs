//! Media on the simulated Graph API: an upload from Meta's multipart form kept on disk,
//! the media's short-lived URL, the bytes behind it (token and expiry checked), deletion.

use std::collections::HashMap;

use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};
use serde_json::json;

use super::graph::unknown_node;
use super::{CloudSimulator, graph_error, invalid_parameter};

/// `GET /{media-id}`: the URL the bytes can be fetched from for five minutes.
pub fn info(sim: &CloudSimulator, node: &str, query: &HashMap<String, String>) -> Response {
    let media = sim.world.lock().unwrap().media.get(node).cloned();
    let Some((mime, size)) = media else {
        return unknown_node(node);
    };
    if query
        .get("phone_number_id")
        .is_some_and(|p| !sim.knows_number(p))
    {
        return unknown_node(node);
    }
    let expires = chrono::Utc::now().timestamp() + 300;
    let url = format!(
        "{}/media-files/{node}?expires={expires}",
        sim.config.public_base
    );
    Json(json!({
        "messaging_product": "whatsapp",
        "url": url,
        "mime_type": mime,
        "sha256": "simulated",
        "file_size": size,
        "id": node,
    }))
    .into_response()
}

/// The bytes behind a media URL (behind the token): a URL not older than five minutes.
pub async fn file(
    State(sim): State<CloudSimulator>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
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

/// `POST /{phone-number-id}/media`: `messaging_product` and `file` are required.
pub async fn upload(sim: &CloudSimulator, mut form: Multipart) -> Response {
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
        return invalid_parameter("The parameter messaging_product is required.");
    }
    let Some((mime, bytes)) = file else {
        return invalid_parameter("The parameter file is required.");
    };
    let id = format!("{}", 1_000_000_000_000 + sim.next_id());
    if tokio::fs::write(sim.config.media_dir.join(&id), &bytes)
        .await
        .is_err()
    {
        let status = StatusCode::INTERNAL_SERVER_ERROR;
        return graph_error(status, 131000, "Something went wrong", None);
    }
    let size = bytes.len() as u64;
    let mut world = sim.world.lock().unwrap();
    world.media.insert(id.clone(), (mime, size));
    Json(json!({"id": id})).into_response()
}

/// `DELETE /{media-id}`.
pub async fn delete(sim: &CloudSimulator, node: &str) -> Response {
    if sim.world.lock().unwrap().media.remove(node).is_none() {
        return unknown_node(node);
    }
    let _ = tokio::fs::remove_file(sim.config.media_dir.join(node)).await;
    Json(json!({"success": true})).into_response()
}
