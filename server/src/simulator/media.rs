//! Media upload and download, streamed to and from files (never held in memory).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use http::{HeaderMap, StatusCode, header};
use serde_json::json;
use tokio::io::AsyncWriteExt;

use super::{Simulator, errors};

const SUPPORTED: [&str; 12] = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "audio/aac",
    "audio/mp4",
    "audio/mpeg",
    "audio/amr",
    "audio/ogg",
    "video/mp4",
    "video/3gpp",
    "application/pdf",
    "application/octet-stream",
];

pub async fn upload(State(sim): State<Simulator>, headers: HeaderMap, body: Body) -> Response {
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if !SUPPORTED.contains(&mime.as_str()) {
        return errors(
            StatusCode::BAD_REQUEST,
            1000,
            "Generic error",
            &format!("Media type '{mime}' is not supported"),
        );
    }
    let id = sim.next_id("media-");
    let path = sim.config.media_dir.join(&id);
    let mut file = match tokio::fs::File::create(&path).await {
        Ok(f) => f,
        Err(_) => {
            return errors(
                StatusCode::INTERNAL_SERVER_ERROR,
                1000,
                "Generic error",
                "Failed to generate processed file path",
            );
        }
    };
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let written = match chunk {
            Ok(bytes) => file.write_all(&bytes).await.is_ok(),
            Err(_) => false,
        };
        if !written {
            let _ = tokio::fs::remove_file(&path).await;
            return errors(
                StatusCode::BAD_REQUEST,
                1000,
                "Generic error",
                "The upload was interrupted",
            );
        }
    }
    let _ = file.flush().await;
    sim.world.lock().unwrap().media.insert(id.clone(), mime);
    axum::Json(
        json!({"media": [{"id": id}], "meta": {"api_status": "stable", "version": "2.41.2"}}),
    )
    .into_response()
}

pub async fn download(State(sim): State<Simulator>, Path(id): Path<String>) -> Response {
    let Some(mime) = sim.world.lock().unwrap().media.get(&id).cloned() else {
        return errors(
            StatusCode::NOT_FOUND,
            1006,
            "Resource not found",
            &format!("Unknown media id {id}"),
        );
    };
    match tokio::fs::File::open(sim.config.media_dir.join(&id)).await {
        Ok(file) => {
            let length = file.metadata().await.map(|m| m.len()).unwrap_or_default();
            let stream = tokio_util::io::ReaderStream::new(file);
            (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::CONTENT_LENGTH, length.to_string()),
                ],
                Body::from_stream(stream),
            )
                .into_response()
        }
        Err(_) => errors(
            StatusCode::NOT_FOUND,
            1006,
            "Resource not found",
            &format!("Media {id} is gone"),
        ),
    }
}

pub async fn delete(State(sim): State<Simulator>, Path(id): Path<String>) -> Response {
    if sim.world.lock().unwrap().media.remove(&id).is_none() {
        return errors(
            StatusCode::NOT_FOUND,
            1006,
            "Resource not found",
            &format!("Unknown media id {id}"),
        );
    }
    let _ = tokio::fs::remove_file(sim.config.media_dir.join(&id)).await;
    axum::Json(json!({"meta": {"api_status": "stable", "version": "2.41.2"}})).into_response()
}
