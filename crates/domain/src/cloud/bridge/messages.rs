//! `POST /v1/messages` and `PUT /v1/messages/{id}` on a Cloud number: the partner's
//! message as written plus `messaging_product`, the answer in the On-Premises shape (with
//! Cloud's `contacts` kept), a Graph error as an `errors` array with the twin code.

use reqwest::Method;
use serde_json::Value;

use super::answer::{Bridge, OnPremAnswer};
use crate::cloud::graph::{self, Body};
use crate::cloud::translate;
use crate::upstream::client::UpstreamError;

/// A message sent (or refused by Meta): the partner's answer and what the log keeps.
pub struct Sent {
    pub answer: OnPremAnswer,
    pub status: u16,
    /// Meta's `wamid.…` when the message was accepted.
    pub message_id: Option<String>,
    /// The error codes for the log: the twin first, then Meta's own (`470,131047`).
    pub error_codes: Vec<String>,
    /// Meta's answer as it came, for the trace.
    pub cloud_answer: String,
    /// The call made, for the trace (`POST https://graph…/v23.0/{id}/messages`).
    pub call: String,
}

pub async fn send(bridge: Bridge<'_>, partner_body: Value) -> Result<Sent, UpstreamError> {
    let Bridge {
        services,
        number,
        timeout,
    } = bridge;
    let segments = [number.phone_number_id.as_str(), "messages"];
    let url = number.url(&segments)?;
    let body = translate::message_request(partner_body);
    let http = services.upstreams.http();
    let response = graph::call(http, number, Method::POST, url, Body::Json(body), timeout).await?;
    let answer = graph::read(services, number, response).await?;
    let version = &number.app.graph_version;
    let cloud_answer = String::from_utf8_lossy(&answer.raw).into_owned();
    let call = number.describe(&Method::POST, &segments);
    if let Some(error) = &answer.error {
        let onprem = OnPremAnswer::graph_error(&answer, version).expect("an error answer");
        let twin = error.partner_code().to_string();
        let mut error_codes = vec![twin.clone()];
        if twin != error.code.to_string() {
            error_codes.push(error.code.to_string());
        }
        return Ok(Sent {
            status: onprem.status,
            answer: onprem,
            message_id: None,
            error_codes,
            cloud_answer,
            call,
        });
    }
    if number.token_problem {
        graph::clear_token_problem(services, number.project_id).await?;
    }
    let message_id = answer.json["messages"][0]["id"].as_str().map(str::to_owned);
    let onprem = translate::message_answer(&answer.json, version);
    Ok(Sent {
        status: answer.status,
        answer: OnPremAnswer::json(answer.status, &onprem),
        message_id,
        error_codes: Vec::new(),
        cloud_answer,
        call,
    })
}

/// `PUT /v1/messages/{id}` with `{"status":"read"}`: Cloud's mark-as-read.
pub async fn mark_read(
    bridge: Bridge<'_>,
    message_id: &str,
    partner_body: &Value,
) -> Result<OnPremAnswer, UpstreamError> {
    if partner_body["status"] != "read" {
        return Err(UpstreamError::NoCloudTwin(
            "Changing a message's status to anything but \"read\"".into(),
        ));
    }
    let number = bridge.number;
    let url = number.url(&[&number.phone_number_id, "messages"])?;
    let body = Body::Json(translate::mark_read_request(message_id));
    bridge.perform(Method::POST, url, body).await
}
