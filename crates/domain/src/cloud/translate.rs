//! The seed's `/v1` shapes and Meta's Cloud API shapes, translated both ways. Partners keep
//! writing and reading On-Premises JSON; behind the gateway a Cloud number takes
//! `messaging_product`, answers with `contacts` and `wamid.…` ids, reports errors as one
//! Graph `error` object and posts notifications in Meta's envelope. Pure functions on
//! JSON, shared by the gateway, the console and the notification intake.

use serde_json::{Map, Value, json};

/// The `meta` object of answers the gateway makes for a Cloud number.
pub fn answer_meta(graph_version: &str) -> Value {
    json!({"api_status": "stable", "version": format!("cloud-{graph_version}")})
}

/// A partner's `POST /v1/messages` body as the Cloud API takes it: `messaging_product`
/// added, and only what the Cloud API refuses changed (a template's `namespace` dropped; a
/// top-level `preview_url` moved into `text`). `language.policy` stays: Meta's own schema
/// (`LanguageObject`) lists it, and its examples send it.
pub fn message_request(body: Value) -> Value {
    let mut out = body;
    let Some(object) = out.as_object_mut() else {
        return out;
    };
    object
        .entry("messaging_product")
        .or_insert_with(|| Value::String("whatsapp".into()));
    if let Some(template) = object.get_mut("template").and_then(Value::as_object_mut) {
        template.remove("namespace");
    }
    if let Some(preview) = object.remove("preview_url") {
        match object.get_mut("text").and_then(Value::as_object_mut) {
            Some(text) => {
                text.entry("preview_url").or_insert(preview);
            }
            None => {
                object.insert("preview_url".into(), preview);
            }
        }
    }
    out
}

/// `PUT /v1/messages/{id}` `{"status":"read"}` as the Cloud API's mark-as-read.
pub fn mark_read_request(message_id: &str) -> Value {
    json!({"messaging_product": "whatsapp", "status": "read", "message_id": message_id})
}

/// The Cloud answer to a send in the On-Premises shape (`messages[].id`, `meta`), with
/// Cloud's `contacts` (`input`, `wa_id`) kept beside it.
pub fn message_answer(cloud: &Value, graph_version: &str) -> Value {
    let mut out = Map::new();
    if let Some(contacts) = cloud.get("contacts") {
        out.insert("contacts".into(), contacts.clone());
    }
    out.insert(
        "messages".into(),
        cloud.get("messages").cloned().unwrap_or_else(|| json!([])),
    );
    out.insert("meta".into(), answer_meta(graph_version));
    Value::Object(out)
}

/// A Graph API error object, as Meta sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub code: i64,
    pub subcode: Option<i64>,
    pub message: String,
    pub title: Option<String>,
    pub details: Option<String>,
    pub fbtrace_id: Option<String>,
}

impl GraphError {
    /// The `error` object of a Graph answer, if the answer is one.
    pub fn parse(body: &Value) -> Option<GraphError> {
        let e = body.get("error")?;
        Some(GraphError {
            code: e.get("code")?.as_i64()?,
            subcode: e.get("error_subcode").and_then(Value::as_i64),
            message: text(e, "message").unwrap_or_default(),
            title: text(e, "error_user_title").or_else(|| text(e, "title")),
            details: e
                .pointer("/error_data/details")
                .and_then(Value::as_str)
                .map(str::to_owned),
            fbtrace_id: text(e, "fbtrace_id"),
        })
    }

    /// The On-Premises twin of the code, or the Cloud code itself where none exists.
    pub fn partner_code(&self) -> i64 {
        onprem_twin(self.code).unwrap_or(self.code)
    }

    /// Whether the project's access token must be replaced (expired, revoked, or
    /// without permission on the number).
    pub fn needs_new_token(&self) -> bool {
        matches!(self.code, 190 | 10 | 200)
    }

    /// What support quotes to Meta: the Cloud code, its message and the trace id.
    pub fn details_text(&self) -> String {
        let mut parts = vec![format!("Cloud API error {}", self.code)];
        if let Some(sub) = self.subcode {
            parts[0].push_str(&format!(" (subcode {sub})"));
        }
        if !self.message.is_empty() {
            parts.push(self.message.clone());
        }
        if let Some(d) = self.details.as_deref().filter(|d| !d.is_empty()) {
            parts.push(d.to_owned());
        }
        if let Some(t) = &self.fbtrace_id {
            parts.push(format!("fbtrace_id {t}"));
        }
        parts.join(": ")
    }

    /// The error in the On-Premises `errors` shape partners parse.
    pub fn onprem_error(&self) -> Value {
        let title = self.title.clone().unwrap_or_else(|| self.message.clone());
        json!({
            "code": self.partner_code(),
            "title": title,
            "details": self.details_text(),
            "cloud_code": self.code,
            "fbtrace_id": self.fbtrace_id,
        })
    }

    /// The whole answer body: `{"errors":[…],"meta":{…}}`.
    pub fn answer(&self, graph_version: &str) -> Value {
        json!({"errors": [self.onprem_error()], "meta": answer_meta(graph_version)})
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The On-Premises twin of a Cloud code (the catalog's migration table).
pub fn onprem_twin(cloud: i64) -> Option<i64> {
    let code = u32::try_from(cloud).ok()?;
    rules::error_codes::onprem_twin(code).map(i64::from)
}

/// A Cloud status or message error (`{code, title, message, error_data.details}`) in the
/// On-Premises shape, the Cloud code kept in `details` and `cloud_code`.
pub fn notification_error(e: &Value) -> Value {
    let code = e.get("code").and_then(Value::as_i64).unwrap_or(0);
    let graph = GraphError {
        code,
        subcode: None,
        message: text(e, "message").unwrap_or_default(),
        title: text(e, "title"),
        details: e
            .pointer("/error_data/details")
            .and_then(Value::as_str)
            .map(str::to_owned),
        fbtrace_id: None,
    };
    let mut out = json!({
        "code": graph.partner_code(),
        "title": graph.title.clone().unwrap_or_else(|| graph.message.clone()),
        "details": graph.details_text(),
        "cloud_code": code,
    });
    if let Some(href) = e.get("href") {
        out["href"] = href.clone();
    }
    out
}

fn map_errors(list: &Value) -> Value {
    Value::Array(
        list.as_array()
            .into_iter()
            .flatten()
            .map(notification_error)
            .collect(),
    )
}

/// A `messages` change's `value` as the On-Premises notification body: the same
/// `contacts`, `messages`, `statuses` and `errors`, without Meta's `metadata` and
/// `messaging_product`, and with Cloud error codes mapped to their twins.
pub fn notification(value: &Value) -> Value {
    let mut out = Map::new();
    if let Some(contacts) = value.get("contacts") {
        out.insert("contacts".into(), contacts.clone());
    }
    if let Some(messages) = value.get("messages").and_then(Value::as_array) {
        let mapped = messages
            .iter()
            .map(|m| {
                let mut m = m.clone();
                if let Some(errors) = m.get("errors").cloned() {
                    m["errors"] = map_errors(&errors);
                }
                m
            })
            .collect();
        out.insert("messages".into(), Value::Array(mapped));
    }
    if let Some(statuses) = value.get("statuses").and_then(Value::as_array) {
        let mapped = statuses
            .iter()
            .map(|s| {
                let mut s = s.clone();
                if let Some(errors) = s.get("errors").cloned() {
                    s["errors"] = map_errors(&errors);
                }
                s
            })
            .collect();
        out.insert("statuses".into(), Value::Array(mapped));
    }
    if let Some(errors) = value.get("errors") {
        out.insert("errors".into(), map_errors(errors));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_partners_message_gains_messaging_product_and_loses_only_what_cloud_refuses() {
        let onprem = json!({"to": "15551234567", "type": "template", "preview_url": false,
            "template": {"namespace": "ns", "name": "order_update",
                "language": {"policy": "deterministic", "code": "en"}}});
        let cloud = message_request(onprem.clone());
        assert_eq!(cloud["messaging_product"], "whatsapp");
        assert_eq!(
            cloud["template"],
            json!({"name": "order_update", "language": {"policy": "deterministic", "code": "en"}})
        );
        let text = message_request(json!({"to": "1", "preview_url": true, "text": {"body": "x"}}));
        assert_eq!(text["text"]["preview_url"], true);
        assert!(text.get("preview_url").is_none());
    }

    #[test]
    fn answers_and_errors_come_back_in_the_on_premises_shape() {
        let cloud = json!({"messaging_product": "whatsapp",
            "contacts": [{"input": "15551234567", "wa_id": "15551234567"}],
            "messages": [{"id": "wamid.HBgL"}]});
        let onprem = message_answer(&cloud, "v23.0");
        assert_eq!(onprem["messages"][0]["id"], "wamid.HBgL");
        assert_eq!(onprem["contacts"][0]["wa_id"], "15551234567");
        assert_eq!(onprem["meta"]["version"], "cloud-v23.0");

        let error = json!({"error": {"message": "Re-engagement message", "type": "OAuthException",
            "code": 131047, "error_data": {"details": "More than 24 hours have passed."},
            "fbtrace_id": "AbC123"}});
        let e = GraphError::parse(&error).unwrap();
        let answer = e.answer("v23.0");
        assert_eq!(answer["errors"][0]["code"], 470);
        let details = answer["errors"][0]["details"].as_str().unwrap();
        assert!(
            details.contains("131047") && details.contains("AbC123"),
            "{details}"
        );
        assert!(!e.needs_new_token());
        let expired = json!({"error": {"message": "Invalid OAuth access token", "code": 190}});
        assert!(GraphError::parse(&expired).unwrap().needs_new_token());
    }

    #[test]
    fn a_cloud_status_becomes_an_on_premises_status_with_the_twin_code() {
        let value = json!({"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "statuses": [{"id": "wamid.X", "status": "failed", "timestamp": "1750000000",
                "recipient_id": "15551234567",
                "errors": [{"code": 131026, "title": "Message undeliverable",
                    "error_data": {"details": "Receiver is incapable"}}]}]});
        let onprem = notification(&value);
        assert!(onprem.get("metadata").is_none() && onprem.get("messaging_product").is_none());
        let error = &onprem["statuses"][0]["errors"][0];
        assert_eq!(
            (error["code"].as_i64(), error["cloud_code"].as_i64()),
            (Some(1013), Some(131026))
        );
    }
}
