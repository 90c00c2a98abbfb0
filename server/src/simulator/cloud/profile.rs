//! The business profile on the simulated Graph API: read and written as one object per
//! number, a new photo by Meta's resumable upload (a session under the app id, the bytes,
//! then the handle in the profile), and the photo served as Meta's CDN would.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

use super::graph::unknown_node;
use super::{CloudSimulator, graph_error, invalid_parameter};

/// The fields a profile write may change.
const FIELDS: [&str; 6] = [
    "about",
    "address",
    "description",
    "email",
    "websites",
    "vertical",
];

/// `GET /{phone-number-id}/whatsapp_business_profile`, nested as Meta's file shows it.
pub fn read(sim: &CloudSimulator, number: &str) -> Response {
    let world = sim.world.lock().unwrap();
    let mut fields = world.profiles.get(number).cloned().unwrap_or_else(|| {
        json!({
            "about": "Hey there! I am using WhatsApp.",
            "address": "",
            "description": "",
            "email": "",
            "websites": [],
            "vertical": "OTHER",
        })
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

/// `POST /{phone-number-id}/whatsapp_business_profile`: the fields given, and the photo
/// behind a `profile_picture_handle`.
pub fn write(sim: &CloudSimulator, number: &str, body: Value) -> Response {
    if body["messaging_product"] != "whatsapp" {
        return invalid_parameter("The parameter messaging_product is required.");
    }
    let mut world = sim.world.lock().unwrap();
    if let Some(handle) = body["profile_picture_handle"].as_str() {
        let Some(photo) = world.handles.remove(handle) else {
            return invalid_parameter("Unknown profile_picture_handle.");
        };
        world.photos.insert(number.to_owned(), photo);
    }
    let mut profile = world
        .profiles
        .get(number)
        .cloned()
        .unwrap_or_else(|| json!({}));
    for key in FIELDS {
        if let Some(value) = body.get(key) {
            profile[key] = value.clone();
        }
    }
    world.profiles.insert(number.to_owned(), profile);
    Json(json!({"success": true})).into_response()
}

/// `POST /{app-id}/uploads?file_length=…&file_type=…`: a session for an image.
pub fn start_upload(sim: &CloudSimulator, query: &HashMap<String, String>) -> Response {
    let length = query.get("file_length").and_then(|l| l.parse().ok());
    let file_type = query.get("file_type").cloned().unwrap_or_default();
    let Some(length) = length.filter(|_| file_type.starts_with("image/")) else {
        return invalid_parameter("file_length and an image file_type are required");
    };
    let id = format!("upload:{}", sim.next_id());
    let mut world = sim.world.lock().unwrap();
    world.uploads.insert(id.clone(), (file_type, length));
    Json(json!({"id": id})).into_response()
}

/// `POST /{upload-session}`: all the bytes, from offset 0; answers the handle.
pub fn finish_upload(
    sim: &CloudSimulator,
    node: &str,
    headers: &HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let upload = sim.world.lock().unwrap().uploads.remove(node);
    let Some((file_type, length)) = upload else {
        return unknown_node(node);
    };
    let offset = headers.get("file_offset").and_then(|v| v.to_str().ok());
    if offset != Some("0") || body.len() != length {
        let detail = format!("Send all {length} bytes with file_offset: 0.");
        let status = StatusCode::BAD_REQUEST;
        return graph_error(status, 100, "Invalid upload", Some(&detail));
    }
    let handle = format!("4:{}:{}", sim.next_id(), file_type);
    let mut world = sim.world.lock().unwrap();
    world
        .handles
        .insert(handle.clone(), (file_type, body.to_vec()));
    Json(json!({"h": handle})).into_response()
}

/// A profile photo, as Meta's CDN serves it (no token).
pub async fn photo(State(sim): State<CloudSimulator>, Path(number): Path<String>) -> Response {
    match sim.world.lock().unwrap().photos.get(&number).cloned() {
        Some((mime, bytes)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
