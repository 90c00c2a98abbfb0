//! The numbers' standing at Meta: what `GET /{phone-number-id}` answers (GREEN, TIER_1K,
//! STANDARD and CONNECTED to begin with), changed by tests through
//! `POST /control/number_health`, which notifies the app as Meta does
//! (`phone_number_quality_update`, naming the account and the display number), and
//! `POST /control/account_update`, Meta's notice about the whole account.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::{Value, json};

use super::{CloudSimulator, notify};

/// The number's fields as Meta answers them.
pub fn number(sim: &CloudSimulator, id: &str) -> Value {
    let mut fields = json!({
        "id": id, "display_phone_number": "+1 555-078-3881",
        "verified_name": "Simulated Shop", "name_status": "APPROVED",
        "quality_rating": "GREEN", "messaging_limit_tier": "TIER_1K",
        "throughput": {"level": "STANDARD"}, "status": "CONNECTED", "account_mode": "LIVE",
    });
    if let Some(Value::Object(changed)) = sim.world.lock().unwrap().health.get(id) {
        for (field, value) in changed {
            fields[field] = value.clone();
        }
    }
    fields
}

/// `POST /control/number_health`
/// `{phone_number_id, event, quality_rating?, messaging_limit_tier?, status?, throughput?}`.
pub async fn change(State(sim): State<CloudSimulator>, Json(change): Json<Value>) -> Response {
    let id = change["phone_number_id"].as_str().unwrap_or_default();
    if !sim.knows_number(id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut fields = serde_json::Map::new();
    for field in ["quality_rating", "messaging_limit_tier", "status"] {
        if let Some(v) = change[field].as_str() {
            fields.insert(field.into(), json!(v));
        }
    }
    if let Some(level) = change["throughput"].as_str() {
        fields.insert("throughput".into(), json!({"level": level}));
    }
    {
        let mut world = sim.world.lock().unwrap();
        let kept = world
            .health
            .entry(id.to_owned())
            .or_insert_with(|| json!({}));
        for (field, value) in fields {
            kept[field] = value;
        }
    }
    let now = number(&sim, id);
    let value = json!({"display_phone_number": "15550783881",
        "event": change["event"].as_str().unwrap_or("DOWNGRADE"),
        "current_limit": now["messaging_limit_tier"]});
    notify::deliver(&sim, "phone_number_quality_update", value).await;
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /control/account_update {status?, value}`: Meta restricts, bans or reinstates
/// the account: every number takes `status` (e.g. `RESTRICTED`) and the app is notified
/// with `account_update` carrying `value` as Meta words it.
pub async fn account(State(sim): State<CloudSimulator>, Json(change): Json<Value>) -> Response {
    if let Some(status) = change["status"].as_str() {
        let mut world = sim.world.lock().unwrap();
        for id in &sim.config.phone_number_ids {
            let kept = world.health.entry(id.clone()).or_insert_with(|| json!({}));
            kept["status"] = json!(status);
        }
    }
    notify::deliver(&sim, "account_update", change["value"].clone()).await;
    StatusCode::NO_CONTENT.into_response()
}
