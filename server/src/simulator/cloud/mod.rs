//! `tujenge simulate-upstream --cloud`: a real HTTP server that acts as Meta's Graph API
//! for one or more WhatsApp numbers, as strict as Meta: a wrong Bearer token is error 190,
//! a message without `messaging_product` or for an unknown node is error 100. It keeps
//! media behind short-lived URLs that need the token, takes profile photos through the
//! resumable upload, keeps a template library whose submissions Meta "reviews", and posts
//! notifications in Meta's envelope, signed with the app secret, to the app's callback.
//!
//! Recipients with documented behaviour:
//! - `15550131047`: delivered-then-failed with 131047 (more than 24 hours since the reply).
//! - `15550131026`: fails with 131026 (message undeliverable).
//! - `15550130429`: refused at once with 130429 (throughput exceeded).
//! - `15550131056`: refused at once with 131056 (pair rate limit).
//! - any other number: sent, delivered, read.
//!
//! Templates named with `reject` are rejected by the review; others are approved.
//!
//! Control endpoints (no token): `POST /control/inbound {"from","text","phone_number_id"?}`
//! sends a customer's message; `GET /control/requests` lists the requests received and
//! `GET /control/messages` the message bodies, `GET /control/arrivals` the Unix time in
//! milliseconds each of them arrived (what Meta counts a number's throughput by).

mod graph;
mod health;
mod media;
mod notify;
mod profile;
mod templates;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use serde_json::{Value, json};

#[derive(Clone, Debug)]
pub struct CloudConfig {
    /// The one access token Graph accepts.
    pub access_token: String,
    /// Signs every notification (`X-Hub-Signature-256`).
    pub app_secret: String,
    pub app_id: String,
    pub waba_id: String,
    /// The numbers this Graph knows (phone-number-ids).
    pub phone_number_ids: Vec<String>,
    /// The app's callback URL, where notifications go.
    pub callback_url: Option<String>,
    /// Pause between a message and each of its statuses, and before a template review.
    pub status_delay: Duration,
    pub media_dir: PathBuf,
    /// This server's own address, for media and photo URLs.
    pub public_base: String,
    /// Refuse template messages the library cannot send, as Meta does.
    pub check_templates: bool,
}

#[derive(Default)]
struct World {
    /// Media id to (MIME type, size).
    media: HashMap<String, (String, u64)>,
    /// Resumable uploads in progress: id to (file type, length).
    uploads: HashMap<String, (String, usize)>,
    /// Finished uploads: handle to (type, bytes).
    handles: HashMap<String, (String, Vec<u8>)>,
    /// Per number: the profile fields, and the photo.
    profiles: HashMap<String, Value>,
    photos: HashMap<String, (String, Vec<u8>)>,
    templates: Vec<Value>,
    /// Per number: the fields changed from the defaults (`health`).
    health: HashMap<String, Value>,
    requests: Vec<String>,
    /// The bodies of `POST …/messages`, as received, and when each arrived.
    messages: Vec<Value>,
    arrivals: Vec<i64>,
    next_id: u64,
}

#[derive(Clone)]
pub struct CloudSimulator {
    config: Arc<CloudConfig>,
    world: Arc<Mutex<World>>,
    http: reqwest::Client,
}

impl CloudSimulator {
    pub fn new(config: CloudConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client");
        CloudSimulator {
            config: Arc::new(config),
            world: Arc::new(Mutex::new(World {
                templates: vec![templates::sample()],
                ..World::default()
            })),
            http,
        }
    }

    pub fn router(self) -> Router {
        Router::new()
            .route("/control/inbound", post(notify::inbound))
            .route("/control/requests", get(control_requests))
            .route("/control/messages", get(control_messages))
            .route("/control/arrivals", get(control_arrivals))
            .route("/control/templates", post(templates::seed))
            .route("/control/template_status", post(templates::set_status))
            .route("/control/number_health", post(health::change))
            .route("/control/account_update", post(health::account))
            .route(
                "/media-files/{id}",
                get(media::file).route_layer(axum::middleware::from_fn_with_state(
                    self.clone(),
                    graph::require_token,
                )),
            )
            .route("/profile-photos/{number}", get(profile::photo))
            .merge(graph::routes(&self))
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                record_request,
            ))
            .with_state(self)
    }

    fn next_id(&self) -> u64 {
        let mut world = self.world.lock().unwrap();
        world.next_id += 1;
        world.next_id
    }

    fn knows_number(&self, id: &str) -> bool {
        self.config.phone_number_ids.iter().any(|n| n == id)
    }
}

/// Graph's error shape.
pub fn graph_error(
    status: StatusCode,
    code: i64,
    message: &str,
    details: Option<&str>,
) -> Response {
    let mut error = json!({
        "message": message,
        "type": if code == 190 { "OAuthException" } else { "GraphMethodException" },
        "code": code,
        "fbtrace_id": format!("Sim{:08X}", rand::random::<u32>()),
    });
    if let Some(details) = details {
        error["error_data"] = json!({"messaging_product": "whatsapp", "details": details});
    }
    (status, axum::Json(json!({"error": error}))).into_response()
}

/// Graph's answer to a missing or wrong parameter, with what was wrong.
pub fn invalid_parameter(detail: &str) -> Response {
    graph_error(
        StatusCode::BAD_REQUEST,
        100,
        "Invalid parameter",
        Some(detail),
    )
}

/// Graph's answer to a body that is not JSON.
pub fn invalid_json() -> Response {
    graph_error(StatusCode::BAD_REQUEST, 100, "Invalid JSON", None)
}

async fn record_request(
    State(sim): State<CloudSimulator>,
    request: Request,
    next: Next,
) -> Response {
    let line = format!("{} {}", request.method(), request.uri().path());
    sim.world.lock().unwrap().requests.push(line);
    next.run(request).await
}

async fn control_requests(State(sim): State<CloudSimulator>) -> axum::Json<Vec<String>> {
    axum::Json(sim.world.lock().unwrap().requests.clone())
}

async fn control_messages(State(sim): State<CloudSimulator>) -> axum::Json<Vec<Value>> {
    axum::Json(sim.world.lock().unwrap().messages.clone())
}

async fn control_arrivals(State(sim): State<CloudSimulator>) -> axum::Json<Vec<i64>> {
    axum::Json(sim.world.lock().unwrap().arrivals.clone())
}
