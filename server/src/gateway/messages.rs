//! `POST /v1/messages`: the checks, the 24-hour window, the upstream call, and one row
//! in the message log for every attempt, refused or not.

use std::time::Instant;

use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use domain::messages::log::NewMessage;
use domain::platform::db::now_ms;
use domain::projects::keys::KeyGrant;
use domain::upstream::client::{Access, Payload, Target, Upstream};
use http::header;
use rules::api::message::{self, Refusal};

use super::Gateway;
use super::envelope::ApiError;
use super::proxy::read_capped;

/// The largest upstream answer kept in the log.
const LOGGED_RESPONSE_MAX: usize = 16 * 1024;

pub async fn send(
    gateway: &Gateway,
    grant: &KeyGrant,
    request: Request,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let up = domain::upstream::calls::project(&gateway.services, grant.project_id).await?;
    let (parts, body) = request.into_parts();
    let mut entry = NewMessage {
        created_at: now_ms(),
        project_id: grant.project_id,
        api_key_id: Some(grant.key_id),
        direction: "outbound",
        request_headers: Some(domain::messages::log::loggable_headers(
            parts
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_bytes())),
        )),
        ..NewMessage::default()
    };
    let bytes = match read_capped(body, gateway.config.json_limit).await {
        Ok(bytes) => bytes,
        Err(e) => {
            // Too large (413) or cut off: logged as refused, without the body.
            entry.decision = "body_size".into();
            return Err(log_failure(gateway, entry, "refused", e, started).await);
        }
    };
    entry.request_body = Some(stored_body(&bytes, up.project.redact_bodies));
    let checked = match message::check(&bytes) {
        Ok(accepted) => {
            entry.contact = accepted.to.clone();
            entry.message_type = accepted.kind.clone();
            let template = match &accepted.template {
                Some(call) => super::templates::check(gateway, &up, call).await?,
                None => None,
            };
            match template {
                Some(refusal) => Err(refusal),
                None => window_check(gateway, &up, &accepted)
                    .await?
                    .map_or(Ok(accepted), Err),
            }
        }
        Err(refusal) => {
            entry.contact = guess_recipient(&bytes);
            Err(refusal)
        }
    };
    let accepted = match checked {
        Ok(accepted) => accepted,
        Err(refusal) => {
            entry.decision = refusal.check.to_owned();
            entry.status = "refused".into();
            entry.error_codes = refusal.code.to_string();
            entry.decision_detail = Some(refusal.message.clone());
            entry.latency_ms = Some(started.elapsed().as_millis() as i64);
            gateway.log.write(entry).await;
            return Err(ApiError::refusal(&refusal));
        }
    };

    if let Access::Cloud(number) = &up.access {
        if let Err(held) = super::limits::check(gateway, up.project.id, number, &accepted).await {
            entry.decision = held.decision.into();
            entry.status = "refused".into();
            entry.error_codes = "429".into();
            entry.decision_detail = Some(held.error.message.clone());
            entry.latency_ms = Some(started.elapsed().as_millis() as i64);
            gateway.log.write(entry).await;
            return Err(held.error);
        }
    }
    let upstream_started = Instant::now();
    let result = deliver(gateway, &up, parts.headers, bytes, accepted.body).await;
    gateway.metrics.upstream_latency(upstream_started.elapsed());
    entry.decision = "accepted".into();
    let answer = match result {
        Ok(answer) => answer,
        Err(e) => return Err(log_failure(gateway, entry, "failed", e, started).await),
    };
    record_upstream_answer(&mut entry, &answer);
    let stale = super::meta_refresh::STALE_TEMPLATE_CODES;
    if matches!(up.access, Access::Cloud(_))
        && entry.error_codes.split(',').any(|c| stale.contains(&c))
    {
        let why = "Meta refused a template the library held";
        let templates = super::meta_refresh::Read::Templates;
        gateway.meta_refresh.soon(templates, up.project.id, why);
    }
    entry.latency_ms = Some(started.elapsed().as_millis() as i64);
    gateway.log.write(entry).await;

    let mut response = Response::builder().status(answer.status);
    if let Some(ct) = answer.content_type {
        response = response.header(header::CONTENT_TYPE, ct);
    }
    Ok(response
        .body(Body::from(answer.body))
        .unwrap_or_else(|_| ApiError::internal().into_response()))
}

/// What the upstream answered: the partner's answer (the On-Premises shape, whatever the
/// number runs on) and what the log keeps of the upstream's own answer.
struct Answered {
    status: u16,
    content_type: Option<http::HeaderValue>,
    body: bytes::Bytes,
    upstream_said: bytes::Bytes,
}

/// Sends the checked message to the project's upstream, of whichever kind: the bytes as
/// the partner sent them to an On-Premises client, the parsed body translated to Graph.
async fn deliver(
    gateway: &Gateway,
    up: &Upstream,
    mut headers: http::HeaderMap,
    bytes: bytes::Bytes,
    message: serde_json::Value,
) -> Result<Answered, ApiError> {
    let timeout = gateway.config.upstream_timeout;
    if let Access::Cloud(number) = &up.access {
        use domain::cloud::bridge::answer::{Body, Bridge};
        let bridge = Bridge {
            services: &gateway.services,
            number,
            timeout,
        };
        let sent = domain::cloud::bridge::messages::send(bridge, message).await?;
        let body = match sent.answer.body {
            Body::Bytes(b) => b,
            Body::Stream(_) => bytes::Bytes::new(),
        };
        return Ok(Answered {
            status: sent.status,
            content_type: Some(http::HeaderValue::from_static("application/json")),
            body,
            upstream_said: bytes::Bytes::from(sent.cloud_answer),
        });
    }
    headers.insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    let target = Target::path("/v1/messages");
    let response = gateway
        .services
        .upstreams
        .send(
            up,
            http::Method::POST,
            &target,
            &headers,
            Payload::Bytes(bytes),
            timeout,
        )
        .await?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| http::HeaderValue::from_bytes(v.as_bytes()).ok());
    let body = response.bytes().await.map_err(|e| {
        ApiError::from(domain::upstream::client::network_error(
            &e,
            "reading its answer",
        ))
    })?;
    Ok(Answered {
        status,
        content_type,
        upstream_said: body.clone(),
        body,
    })
}

/// Logs a message the gateway could not take or the upstream did not answer, with the
/// gateway's own answer as the detail; returns that answer.
async fn log_failure(
    gateway: &Gateway,
    mut entry: NewMessage,
    status: &str,
    e: ApiError,
    started: Instant,
) -> ApiError {
    entry.status = status.into();
    entry.error_codes = e.status.as_u16().to_string();
    entry.decision_detail = Some(e.message.clone());
    entry.latency_ms = Some(started.elapsed().as_millis() as i64);
    gateway.log.write(entry).await;
    e
}

/// The 470 rule before the upstream: free-form messages need an inbound message in 24 h.
async fn window_check(
    gateway: &Gateway,
    up: &Upstream,
    accepted: &message::Accepted,
) -> Result<Option<Refusal>, ApiError> {
    if !up.project.enforce_24h_window || accepted.template.is_some() {
        return Ok(None);
    }
    if gateway
        .windows
        .is_open(&gateway.services.db, up.project.id, &accepted.to, now_ms())
        .await?
    {
        return Ok(None);
    }
    Ok(Some(Refusal {
        code: 470,
        check: "24h_window",
        field: Some("to".into()),
        message: format!(
            "{} has not written to this number in the last 24 hours, so WhatsApp would refuse this {} message (470). Send an approved template message instead; free-form messages are possible again after the customer replies.",
            accepted.to, accepted.kind
        ),
    }))
}

/// What the log keeps of an answer: the message id, the error codes (an On-Premises code
/// and, for a Cloud number, Meta's own beside it: `470,131047`), and the upstream's words.
fn record_upstream_answer(entry: &mut NewMessage, answer: &Answered) {
    let status = answer.status;
    entry.upstream_status = Some(i64::from(status));
    let said = &answer.upstream_said;
    let text = String::from_utf8_lossy(&said[..said.len().min(LOGGED_RESPONSE_MAX)]).into_owned();
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
    entry.upstream_message_id = json["messages"][0]["id"].as_str().map(str::to_owned);
    let (codes, words) = rules::messages::log::failure(&json["errors"]);
    entry.error_codes = codes;
    entry.status = if (200..300).contains(&status) && entry.upstream_message_id.is_some() {
        "accepted"
    } else {
        "failed"
    }
    .into();
    if entry.status == "failed" {
        if entry.error_codes.is_empty() {
            entry.error_codes = status.to_string();
        }
        entry.decision_detail = words;
    }
    entry.upstream_response = Some(text);
}

/// The body as the log keeps it: redacted when the project asks for it.
fn stored_body(bytes: &[u8], redact: bool) -> String {
    if !redact {
        return String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]).into_owned();
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(v) => domain::messages::log::redact_body(&v).to_string(),
        Err(_) => "[redacted: not JSON]".into(),
    }
}

/// For refused messages, whatever `to` the body names, so the log can still be searched.
fn guess_recipient(bytes: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| v["to"].as_str().map(str::to_owned))
        .unwrap_or_default()
}
