//! The simulated `/v1` endpoints.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use base64::Engine;
use chrono::Utc;
use http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

use super::{Simulator, errors, media, notify};

/// Profile photos up to 5 MB, as WhatsApp takes them (axum's default body limit is 2 MB).
const PHOTO_MAX_BYTES: usize = 5 * 1024 * 1024;

const META: fn() -> Value = || json!({"api_status": "stable", "version": "2.41.2"});

pub fn routes() -> Router<Simulator> {
    Router::new()
        .route("/v1/messages", post(send_message))
        .route("/v1/messages/{id}", put(mark_read))
        .route("/v1/contacts", post(contacts))
        .route("/v1/media", post(media::upload))
        .route("/v1/media/{id}", get(media::download).delete(media::delete))
        .route(
            "/v1/settings/business/profile",
            get(get_profile).post(set_profile),
        )
        .route(
            "/v1/settings/profile/about",
            get(get_about).patch(set_about),
        )
        .route(
            "/v1/settings/profile/photo",
            get(get_photo)
                .post(set_photo)
                .delete(delete_photo)
                .layer(axum::extract::DefaultBodyLimit::max(PHOTO_MAX_BYTES)),
        )
        .route(
            "/v1/settings/application",
            get(get_application).patch(set_application),
        )
        .route(
            "/v1/health",
            get(|| async { Json(json!({"health": {"gateway_status": "connected"}})) }),
        )
        .route(
            "/v1/stats/app",
            get(|| async { Json(json!({"stats": {}})) }),
        )
}

pub async fn login(State(sim): State<Simulator>, headers: HeaderMap) -> Response {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    let credentials = basic
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let expected = format!("{}:{}", sim.config.admin_user, sim.config.admin_password);
    if credentials.as_deref() != Some(expected.as_str()) {
        return errors(
            StatusCode::UNAUTHORIZED,
            1005,
            "Access denied",
            "Invalid credentials.",
        );
    }
    let token = sim.next_id("tok");
    let expires = Utc::now() + chrono::Duration::from_std(sim.config.token_ttl).unwrap_or_default();
    sim.world
        .lock()
        .unwrap()
        .tokens
        .insert(token.clone(), expires);
    let expires_after = expires.format("%Y-%m-%d %H:%M:%S%:z").to_string();
    let user = json!({"token": token, "expires_after": expires_after});
    Json(json!({"users": [user], "meta": META()})).into_response()
}

// The error is the simulator's answer, ready to send.
#[allow(clippy::result_large_err)]
fn body_json(body: &[u8]) -> Result<Value, Response> {
    serde_json::from_slice(body).map_err(|e| {
        errors(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid parameter",
            &format!("Request body is not valid JSON: {e}"),
        )
    })
}

async fn send_message(State(sim): State<Simulator>, body: axum::body::Bytes) -> Response {
    let message = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(to) = message["to"].as_str().map(str::to_owned) else {
        return errors(
            StatusCode::BAD_REQUEST,
            1008,
            "Required parameter is missing",
            "Parameter 'to' is required",
        );
    };
    let kind = message["type"].as_str().unwrap_or("text");
    if kind == "text" && message["text"]["body"].as_str().is_none() {
        return errors(
            StatusCode::BAD_REQUEST,
            1008,
            "Required parameter is missing",
            "Parameter 'text.body' is required",
        );
    }
    if !sim.config.message_latency.is_zero() {
        tokio::time::sleep(sim.config.message_latency).await;
    }
    if to == "15550000504" {
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    }
    let id = sim.next_id("gBEG");
    tokio::spawn(notify::statuses(sim.clone(), id.clone(), to));
    Json(json!({"messages": [{"id": id}], "meta": META()})).into_response()
}

async fn mark_read(
    axum::extract::Path(_id): axum::extract::Path<String>,
    body: axum::body::Bytes,
) -> Response {
    match body_json(&body) {
        Ok(v) if v["status"] == "read" => Json(json!({"meta": META()})).into_response(),
        Ok(_) => errors(
            StatusCode::BAD_REQUEST,
            1009,
            "Parameter value is not valid",
            "status must be \"read\"",
        ),
        Err(r) => r,
    }
}

async fn contacts(body: axum::body::Bytes) -> Response {
    let request = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(list) = request["contacts"].as_array() else {
        return errors(
            StatusCode::BAD_REQUEST,
            1008,
            "Required parameter is missing",
            "Parameter 'contacts' is required",
        );
    };
    let answers: Vec<Value> = list
        .iter()
        .filter_map(Value::as_str)
        .map(|input| {
            let wa_id: String = input.chars().filter(char::is_ascii_digit).collect();
            if wa_id == "15550001013" || wa_id.len() < 8 {
                json!({"input": input, "status": "invalid"})
            } else {
                json!({"input": input, "status": "valid", "wa_id": wa_id})
            }
        })
        .collect();
    Json(json!({"contacts": answers, "meta": META()})).into_response()
}

const PROFILE_LIMITS: [(&str, usize); 3] = [("address", 256), ("description", 512), ("email", 128)];

async fn get_profile(State(sim): State<Simulator>) -> Response {
    let profile = sim.world.lock().unwrap().profile.clone();
    Json(json!({"settings": {"business": {"profile": profile}}, "meta": META()})).into_response()
}

async fn set_profile(State(sim): State<Simulator>, body: axum::body::Bytes) -> Response {
    let update = match body_json(&body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return errors(
                StatusCode::BAD_REQUEST,
                1009,
                "Parameter value is not valid",
                "The profile must be an object",
            );
        }
        Err(r) => return r,
    };
    for (field, max) in PROFILE_LIMITS {
        if update
            .get(field)
            .and_then(Value::as_str)
            .is_some_and(|v| v.chars().count() > max)
        {
            return errors(
                StatusCode::BAD_REQUEST,
                1009,
                "Parameter value is not valid",
                &format!("{field} is longer than {max} characters"),
            );
        }
    }
    if update
        .get("websites")
        .and_then(Value::as_array)
        .is_some_and(|w| w.len() > 2)
    {
        return errors(
            StatusCode::BAD_REQUEST,
            1009,
            "Parameter value is not valid",
            "At most 2 websites",
        );
    }
    let mut world = sim.world.lock().unwrap();
    for (k, v) in update {
        world.profile[k] = v;
    }
    Json(json!({"meta": META()})).into_response()
}

async fn get_about(State(sim): State<Simulator>) -> Response {
    let about = sim.world.lock().unwrap().about.clone();
    Json(json!({"settings": {"profile": {"about": {"text": about}}}, "meta": META()}))
        .into_response()
}

async fn set_about(State(sim): State<Simulator>, body: axum::body::Bytes) -> Response {
    let text = match body_json(&body) {
        Ok(v) => v["text"].as_str().map(str::to_owned),
        Err(r) => return r,
    };
    match text {
        Some(t) if (1..=139).contains(&t.chars().count()) => {
            sim.world.lock().unwrap().about = t;
            Json(json!({"meta": META()})).into_response()
        }
        _ => errors(
            StatusCode::BAD_REQUEST,
            1009,
            "Parameter value is not valid",
            "about text must be 1 to 139 characters",
        ),
    }
}

async fn get_photo(State(sim): State<Simulator>, uri: http::Uri) -> Response {
    let photo = sim.world.lock().unwrap().photo.clone();
    match photo {
        None => errors(
            StatusCode::NOT_FOUND,
            1006,
            "Resource not found",
            "No profile photo is set",
        ),
        Some(_) if uri.query().is_some_and(|q| q.contains("format=link")) => {
            let photo = json!({"link": "http://simulator.invalid/photo"});
            Json(json!({"settings": {"profile": {"photo": photo}}, "meta": META()})).into_response()
        }
        Some((mime, bytes)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
    }
}

async fn set_photo(
    State(sim): State<Simulator>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if mime != "image/jpeg" && mime != "image/png" {
        return errors(
            StatusCode::BAD_REQUEST,
            1009,
            "Parameter value is not valid",
            "The photo must be image/jpeg or image/png",
        );
    }
    sim.world.lock().unwrap().photo = Some((mime, body.to_vec()));
    Json(json!({"meta": META()})).into_response()
}

async fn delete_photo(State(sim): State<Simulator>) -> Response {
    sim.world.lock().unwrap().photo = None;
    Json(json!({"meta": META()})).into_response()
}

async fn get_application(State(sim): State<Simulator>) -> Response {
    let url = sim
        .world
        .lock()
        .unwrap()
        .callback_url
        .clone()
        .unwrap_or_default();
    Json(json!({"settings": {"application": {"webhooks": {"url": url}}}, "meta": META()}))
        .into_response()
}

async fn set_application(State(sim): State<Simulator>, body: axum::body::Bytes) -> Response {
    match body_json(&body) {
        Ok(v) => {
            if let Some(url) = v["webhooks"]["url"].as_str() {
                sim.world.lock().unwrap().callback_url =
                    Some(url.to_owned()).filter(|u| !u.is_empty());
            }
            Json(json!({"meta": META()})).into_response()
        }
        Err(r) => r,
    }
}
