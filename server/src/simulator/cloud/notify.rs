//! Messages and what Meta posts about them: a send answered as Graph does, its statuses
//! (sent, delivered, read, or a failure for the documented numbers) and customers'
//! messages posted to the app's callback in Meta's envelope, signed with the app secret.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{CloudSimulator, graph_error, invalid_parameter};

/// Why Meta could not deliver: (code, title, details).
type Failure = (i64, &'static str, &'static str);

/// How a message to `to` ends: its statuses, the last one failing for the documented numbers.
fn script(to: &str) -> Vec<(&'static str, Option<Failure>)> {
    match to {
        "15550131047" => vec![(
            "failed",
            Some((
                131047,
                "Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the \
                 customer last replied to this number.",
            )),
        )],
        "15550131026" => vec![(
            "failed",
            Some((
                131026,
                "Message undeliverable",
                "Unable to deliver message.",
            )),
        )],
        _ => vec![("sent", None), ("delivered", None), ("read", None)],
    }
}

pub async fn send_message(sim: &CloudSimulator, number: &str, body: Value) -> Response {
    {
        let mut world = sim.world.lock().unwrap();
        world.messages.push(body.clone());
        world.arrivals.push(chrono::Utc::now().timestamp_millis());
    }
    if body["messaging_product"] != "whatsapp" {
        let detail = "The parameter messaging_product is required.";
        return invalid_parameter(detail);
    }
    if body["status"] == "read" {
        return match body["message_id"].as_str() {
            Some(_) => Json(json!({"success": true})).into_response(),
            None => {
                let detail = "The parameter message_id is required.";
                invalid_parameter(detail)
            }
        };
    }
    let Some(to) = body["to"]
        .as_str()
        .map(|t| t.trim_start_matches('+').to_owned())
    else {
        let detail = "The parameter to is required.";
        return invalid_parameter(detail);
    };
    if sim.config.check_templates && body["type"] == "template" {
        if let Some(refused) = super::templates::refusal(sim, &body) {
            return refused;
        }
    }
    match to.as_str() {
        "15550130429" => {
            let detail = "Message failed to send because there were too many messages sent \
                          from this phone number in a short period of time.";
            return graph_error(
                StatusCode::BAD_REQUEST,
                130429,
                "Rate limit hit",
                Some(detail),
            );
        }
        "15550131056" => {
            let detail = "Message failed to send because there were too many messages sent \
                          from this phone number to the same phone number in a short period.";
            return graph_error(
                StatusCode::BAD_REQUEST,
                131056,
                "(Business Account, Consumer Account) pair rate limit hit",
                Some(detail),
            );
        }
        _ => {}
    }
    let id = format!("wamid.SIM{:020}", sim.next_id());
    tokio::spawn(statuses(
        sim.clone(),
        number.to_owned(),
        id.clone(),
        to.clone(),
    ));
    Json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": body["to"], "wa_id": to}],
        "messages": [{"id": id}],
    }))
    .into_response()
}

async fn statuses(sim: CloudSimulator, number: String, id: String, to: String) {
    for (status, error) in script(&to) {
        tokio::time::sleep(sim.config.status_delay).await;
        let mut entry = json!({"id": id, "status": status, "recipient_id": to,
            "timestamp": chrono::Utc::now().timestamp().to_string(),
            "conversation": {"id": format!("conv{}", sim.next_id()),
                "origin": {"type": "marketing"}},
            "pricing": {"billable": true, "pricing_model": "PMP", "category": "marketing"}});
        if let Some((code, title, details)) = error {
            entry["errors"] = json!([{"code": code, "title": title, "message": title,
                "error_data": {"details": details}}]);
        }
        let value = json!({"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": number},
            "statuses": [entry]});
        deliver(&sim, "messages", value).await;
    }
}

/// The On-Premises simulator's inbound message, and which number the customer writes to
/// (default: the first one).
#[derive(Deserialize)]
pub struct Inbound {
    #[serde(flatten)]
    message: crate::simulator::notify::Inbound,
    #[serde(default)]
    phone_number_id: Option<String>,
}

/// `POST /control/inbound`: a customer's text message, posted to the callback.
pub async fn inbound(State(sim): State<CloudSimulator>, Json(request): Json<Inbound>) -> Response {
    let number = request
        .phone_number_id
        .unwrap_or_else(|| sim.config.phone_number_ids[0].clone());
    let id = format!("wamid.IN{:020}", sim.next_id());
    let message = request.message;
    let name = message.name.unwrap_or_else(|| "Customer".into());
    let value = json!({"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": number},
        "contacts": [{"profile": {"name": name}, "wa_id": message.from}],
        "messages": [{"from": message.from, "id": id,
            "timestamp": chrono::Utc::now().timestamp().to_string(), "type": "text",
            "text": {"body": message.text}}]});
    let delivered = deliver(&sim, "messages", value).await;
    Json(json!({"id": id, "delivered": delivered})).into_response()
}

/// Posts one change in Meta's envelope, signed, retrying (3 attempts); true on 2xx.
pub async fn deliver(sim: &CloudSimulator, field: &str, value: Value) -> bool {
    let Some(url) = sim.config.callback_url.clone() else {
        return false;
    };
    let body = json!({"object": "whatsapp_business_account",
        "entry": [{"id": sim.config.waba_id, "changes": [{"field": field, "value": value}]}]})
    .to_string();
    let signature = domain::cloud::intake::sign(&sim.config.app_secret, body.as_bytes());
    let mut pause = Duration::from_millis(500);
    for _ in 0..3 {
        let sent = sim
            .http
            .post(&url)
            .header("content-type", "application/json")
            .header("x-hub-signature-256", &signature)
            .body(body.clone())
            .send()
            .await;
        if sent.is_ok_and(|r| r.status().is_success()) {
            return true;
        }
        tokio::time::sleep(pause).await;
        pause *= 2;
    }
    false
}
