//! The WABA's template library as Graph keeps it: listed a page at a time (cursor
//! paging), submitted as PENDING and "reviewed" after the status delay (approved, or
//! rejected when the name says `reject`), with a `message_template_status_update`
//! posted to the callback; deleted by name.

use std::collections::HashMap;

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::{Value, json};

use super::{CloudSimulator, graph_error, notify};

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
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid parameter",
            Some(detail),
        );
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
            return graph_error(
                StatusCode::BAD_REQUEST,
                100,
                "Invalid parameter",
                Some(&detail),
            );
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
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid parameter",
            Some(detail),
        );
    };
    let mut world = sim.world.lock().unwrap();
    let before = world.templates.len();
    world.templates.retain(|t| t["name"] != name.as_str());
    if world.templates.len() == before {
        let detail = format!("Message template {name} was not found.");
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid parameter",
            Some(&detail),
        );
    }
    Json(json!({"success": true})).into_response()
}
