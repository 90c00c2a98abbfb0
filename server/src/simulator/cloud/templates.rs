//! The WABA's template library as Graph keeps it: listed a page at a time (cursor
//! paging), submitted as PENDING and "reviewed" after the status delay (approved, or
//! rejected when the name says `reject`), with a `message_template_status_update`
//! posted to the callback; deleted by name. Sends are checked against it as Meta does
//! (132001 unknown, 132015 paused, 132016 disabled). Tests seed it and change a
//! template's status (a pause, say) through the control routes.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::{Value, json};

use super::{CloudSimulator, graph_error, invalid_parameter, notify};

/// The sample template Meta puts in every new account, as its OpenAPI file lists it.
pub fn sample() -> Value {
    json!({"id": "1192339204654487", "name": "hello_world", "language": "en_US",
        "category": "MARKETING", "status": "APPROVED", "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
            {"type": "BODY", "text": "Welcome and congratulations!! This message demonstrates \
                your ability to send a WhatsApp message notification from the Cloud API, hosted \
                by Meta. Thank you for taking the time to test with us."},
            {"type": "FOOTER", "text": "WhatsApp Business API Team"}]})
}

pub fn list(sim: &CloudSimulator, query: &HashMap<String, String>) -> Response {
    let limit: usize = query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(25)
        .max(1);
    let after: usize = query.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let all = sim.world.lock().unwrap().templates.clone();
    let page: Vec<Value> = all.iter().skip(after).take(limit).cloned().collect();
    let mut paging = json!({"cursors": {"before": after.to_string(),
        "after": (after + page.len()).to_string()}});
    if after + page.len() < all.len() {
        paging["next"] = json!(format!("after={}", after + page.len()));
    }
    Json(json!({"data": page, "paging": paging})).into_response()
}

pub fn create(sim: &CloudSimulator, body: Value) -> Response {
    let (Some(name), Some(language), Some(category)) = (
        body["name"].as_str(),
        body["language"].as_str(),
        body["category"].as_str(),
    ) else {
        let detail = "name, language and category are required.";
        return invalid_parameter(detail);
    };
    let id = format!("{}", 2_000_000_000_000 + sim.next_id());
    let template = json!({"id": id, "name": name, "language": language, "category": category,
        "status": "PENDING", "components": body["components"].clone()});
    {
        let mut world = sim.world.lock().unwrap();
        let taken = world
            .templates
            .iter()
            .any(|t| t["name"] == name && t["language"] == language);
        if taken {
            let detail = format!("Content in this language already exists for {name}.");
            return invalid_parameter(&detail);
        }
        world.templates.push(template);
    }
    tokio::spawn(review(
        sim.clone(),
        id.clone(),
        name.to_owned(),
        language.to_owned(),
    ));
    Json(json!({"id": id, "status": "PENDING", "category": category})).into_response()
}

/// `POST /control/templates`: templates as Meta lists them, added as they are (APPROVED
/// unless they say otherwise).
pub async fn seed(State(sim): State<CloudSimulator>, Json(entries): Json<Vec<Value>>) -> Response {
    for mut entry in entries {
        entry["id"] = json!(format!("{}", 2_000_000_000_000 + sim.next_id()));
        if entry["status"].is_null() {
            entry["status"] = json!("APPROVED");
        }
        sim.world.lock().unwrap().templates.push(entry);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /control/template_status` `{name, language, event, reason}`: Meta changes a
/// template's status (pauses it, disables it…) and says so by webhook.
pub async fn set_status(State(sim): State<CloudSimulator>, Json(change): Json<Value>) -> Response {
    let (name, language) = (&change["name"], &change["language"]);
    let event = change["event"].as_str().unwrap_or("APPROVED");
    let id = {
        let mut world = sim.world.lock().unwrap();
        let Some(t) = world
            .templates
            .iter_mut()
            .find(|t| t["name"] == *name && t["language"] == *language)
        else {
            return StatusCode::NOT_FOUND.into_response();
        };
        t["status"] = json!(event);
        t["id"].as_str().unwrap_or_default().to_owned()
    };
    let value = json!({"event": event, "message_template_id": id.parse::<i64>().unwrap_or(0),
        "message_template_name": name, "message_template_language": language,
        "reason": change["reason"].as_str().unwrap_or("NONE")});
    notify::deliver(&sim, "message_template_status_update", value).await;
    StatusCode::NO_CONTENT.into_response()
}

/// Meta's refusal of a template message whose template it does not have in that language
/// or cannot send.
pub fn refusal(sim: &CloudSimulator, message: &Value) -> Option<Response> {
    let template = &message["template"];
    let (name, language) = (&template["name"], &template["language"]["code"]);
    let status = sim
        .world
        .lock()
        .unwrap()
        .templates
        .iter()
        .find(|t| t["name"] == *name && t["language"] == *language)
        .map(|t| t["status"].as_str().unwrap_or_default().to_owned());
    let (code, title) = match status.as_deref() {
        Some("APPROVED") => return None,
        Some("PAUSED") => (132015, "Template is paused"),
        Some("DISABLED") => (132016, "Template is disabled"),
        _ => (132001, "Template name does not exist in the translation"),
    };
    let detail = format!("template name ({name}) does not exist in {language}");
    Some(graph_error(
        StatusCode::BAD_REQUEST,
        code,
        title,
        Some(&detail),
    ))
}

/// `POST /{template-id}` `{components}`: an edit, reviewed again like a submission; `None`
/// when `node` is no template's id.
pub fn edit(sim: &CloudSimulator, node: &str, body: &[u8]) -> Option<Response> {
    let edited: Value = serde_json::from_slice(body).unwrap_or_default();
    let (name, language) = {
        let mut world = sim.world.lock().unwrap();
        let t = world.templates.iter_mut().find(|t| t["id"] == node)?;
        t["components"] = edited["components"].clone();
        t["status"] = json!("PENDING");
        (text(&t["name"]), text(&t["language"]))
    };
    tokio::spawn(review(sim.clone(), node.to_owned(), name, language));
    Some(Json(json!({"success": true})).into_response())
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

async fn review(sim: CloudSimulator, id: String, name: String, language: String) {
    tokio::time::sleep(sim.config.status_delay * 2).await;
    let (event, reason) = if name.contains("reject") {
        ("REJECTED", "INVALID_FORMAT")
    } else {
        ("APPROVED", "NONE")
    };
    {
        let mut world = sim.world.lock().unwrap();
        if let Some(t) = world.templates.iter_mut().find(|t| t["id"] == id) {
            t["status"] = json!(event);
            if event == "REJECTED" {
                t["rejected_reason"] = json!(reason);
            }
        }
    }
    let value = json!({"event": event, "message_template_id": id.parse::<i64>().unwrap_or(0),
        "message_template_name": name, "message_template_language": language,
        "reason": reason});
    notify::deliver(&sim, "message_template_status_update", value).await;
}

pub fn delete(sim: &CloudSimulator, query: &HashMap<String, String>) -> Response {
    let Some(name) = query.get("name") else {
        let detail = "The parameter name is required.";
        return invalid_parameter(detail);
    };
    // With `hsm_id`, only that language of the name; without, every language.
    let hsm_id = query.get("hsm_id");
    let doomed =
        |t: &Value| t["name"] == name.as_str() && hsm_id.is_none_or(|id| t["id"] == id.as_str());
    let mut world = sim.world.lock().unwrap();
    let before = world.templates.len();
    world.templates.retain(|t| !doomed(t));
    if world.templates.len() == before {
        let detail = format!("Message template {name} was not found.");
        return invalid_parameter(&detail);
    }
    Json(json!({"success": true})).into_response()
}
