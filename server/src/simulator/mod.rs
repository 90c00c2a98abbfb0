//! `tujenge simulate-upstream`: a real HTTP server that behaves like the on-premises
//! WhatsApp Business API client as far as the gateway uses it, strictly (a missing token
//! is 401, a bad payload an `errors` array), and sends notifications to its callback URL.
//!
//! Recipients with documented behaviour:
//! - `15550000470`: the message fails with 470 (24-hour window).
//! - `15550001013`: the contact is invalid; messages fail with 1013.
//! - `15550000504`: the simulator answers only after 60 s (for timeout tests).
//! - any other number: sent, delivered, read.
//!
//! Control endpoints (no token; for tests and demos):
//! - `POST /control/inbound {"from":"...","text":"..."}` sends an inbound message notification.
//! - `GET /control/requests` lists the requests received, as "METHOD /path".

mod api;
pub mod cloud;
mod media;
pub(crate) mod notify;
mod routes;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use http::StatusCode;
use serde_json::{Value, json};

#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    pub admin_user: String,
    pub admin_password: String,
    /// How long a login token lasts.
    pub token_ttl: Duration,
    /// Pause between a message and each of its status notifications.
    pub status_delay: Duration,
    /// Where uploaded media are kept.
    pub media_dir: PathBuf,
    /// Where notifications go until `PATCH /v1/settings/application` sets another URL.
    pub callback_url: Option<String>,
    /// Time a real client spends on each message before answering (zero: answer at once).
    pub message_latency: Duration,
}

#[derive(Default)]
struct World {
    tokens: HashMap<String, DateTime<Utc>>,
    callback_url: Option<String>,
    profile: Value,
    about: String,
    photo: Option<(String, Vec<u8>)>,
    /// Media id to MIME type; the bytes are files in `media_dir`.
    media: HashMap<String, String>,
    requests: Vec<String>,
    next_id: u64,
}

#[derive(Clone)]
pub struct Simulator {
    config: Arc<SimulatorConfig>,
    world: Arc<Mutex<World>>,
    http: reqwest::Client,
}

impl Simulator {
    pub fn new(config: SimulatorConfig) -> Self {
        let world = World {
            callback_url: config.callback_url.clone(),
            profile: json!({
                "address": "",
                "description": "",
                "email": "",
                "vertical": "UNDEFINED",
                "websites": []
            }),
            about: "Hey there! I am using WhatsApp.".into(),
            ..World::default()
        };
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client");
        Simulator {
            config: Arc::new(config),
            world: Arc::new(Mutex::new(world)),
            http,
        }
    }

    fn next_id(&self, prefix: &str) -> String {
        let mut world = self.world.lock().unwrap();
        world.next_id += 1;
        format!("{prefix}{:016X}{}", world.next_id, rand_suffix())
    }
}

fn rand_suffix() -> String {
    use rand::Rng;
    rand::thread_rng()
        .sample_iter(&rand::distributions::Alphanumeric)
        .take(8)
        .map(char::from)
        .collect()
}

/// The upstream's error shape: `{"errors":[{"code":..,"title":..,"details":..}],"meta":{...}}`.
pub fn errors(status: StatusCode, code: u32, title: &str, details: &str) -> Response {
    let body = json!({
        "errors": [{"code": code, "title": title, "details": details}],
        "meta": {"api_status": "stable", "version": "2.41.2"}
    });
    (status, axum::Json(body)).into_response()
}
