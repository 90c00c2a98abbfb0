//! Notifications from the simulated client to its callback URL: message statuses, and
//! inbound customer messages on request. Like the real client it retries a failed callback.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Simulator, errors};

/// The statuses a message to `to` goes through, with the error that fails it, if any.
fn script(to: &str) -> Vec<(&'static str, Option<(u32, &'static str)>)> {
    match to {
        "15550000470" => vec![(
            "failed",
            Some((
                470,
                "Message failed to send because more than 24 hours have passed \
                 since the customer last replied to this number",
            )),
        )],
        "15550001013" => vec![("failed", Some((1013, "User is not valid")))],
        _ => vec![("sent", None), ("delivered", None), ("read", None)],
    }
}

pub async fn statuses(sim: Simulator, id: String, to: String) {
    for (status, error) in script(&to) {
        tokio::time::sleep(sim.config.status_delay).await;
        let timestamp = Utc::now().timestamp().to_string();
        let mut entry =
            json!({"id": id, "recipient_id": to, "status": status, "timestamp": timestamp});
        if let Some((code, title)) = error {
            entry["errors"] = json!([{"code": code, "title": title}]);
        }
        deliver(&sim, json!({"statuses": [entry]})).await;
    }
}

/// A customer's text message, as `POST /control/inbound` takes it (both simulators).
#[derive(Deserialize)]
pub struct Inbound {
    pub from: String,
    #[serde(default = "hello")]
    pub text: String,
    #[serde(default)]
    pub name: Option<String>,
}

fn hello() -> String {
    "Hello".into()
}

pub async fn inbound(State(sim): State<Simulator>, Json(request): Json<Inbound>) -> Response {
    let id = sim.next_id("ABGG");
    let name = request.name.unwrap_or_else(|| "Customer".into());
    let timestamp = Utc::now().timestamp().to_string();
    let notification = json!({
        "contacts": [{"profile": {"name": name}, "wa_id": request.from}],
        "messages": [{
            "from": request.from,
            "id": id,
            "timestamp": timestamp,
            "type": "text",
            "text": {"body": request.text}
        }],
    });
    if sim.world.lock().unwrap().callback_url.is_none() {
        return errors(
            StatusCode::PRECONDITION_FAILED,
            1022,
            "Webhooks URL is not configured",
            "Set it with PATCH /v1/settings/application",
        );
    }
    let delivered = deliver(&sim, notification).await;
    Json(json!({"id": id, "delivered": delivered})).into_response()
}

/// POSTs to the callback URL, retrying with a doubling pause (3 attempts); true on 2xx.
async fn deliver(sim: &Simulator, body: Value) -> bool {
    let Some(url) = sim.world.lock().unwrap().callback_url.clone() else {
        return false;
    };
    let mut pause = Duration::from_millis(500);
    for _ in 0..3 {
        match sim.http.post(&url).json(&body).send().await {
            Ok(r) if r.status().is_success() => return true,
            Ok(r) => tracing::debug!(status = r.status().as_u16(), "simulator callback refused"),
            Err(e) => tracing::debug!(error = %e, "simulator callback failed"),
        }
        tokio::time::sleep(pause).await;
        pause *= 2;
    }
    false
}
