//! Which Cloud translation answers an On-Premises call (method and normalised path), for
//! the gateway's proxied paths and the console's calls alike. A call with no Cloud twin
//! is `UpstreamError::NoCloudTwin`, which the gateway answers with a 404 envelope.

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use super::answer::{Bridge, OnPremAnswer};
use super::{contacts, media, messages, profile};
use crate::Services;
use crate::cloud::graph::CloudNumber;
use crate::upstream::client::{Payload, UpstreamError};

/// An On-Premises call as the gateway received it.
pub struct Call<'a> {
    pub method: Method,
    /// The path's segments, `v1` first.
    pub segments: &'a [String],
    pub content_type: &'a str,
    pub payload: Payload,
    pub timeout: Duration,
}

fn json_of(payload: Payload) -> Value {
    match payload {
        Payload::Bytes(bytes) => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        Payload::Stream(_) => Value::Null,
    }
}

/// Answers `call` on the Cloud number.
pub async fn answer(
    services: &Services,
    number: &CloudNumber,
    call: Call<'_>,
) -> Result<OnPremAnswer, UpstreamError> {
    let Call {
        method,
        segments,
        content_type,
        payload,
        timeout,
    } = call;
    let version = number.app.graph_version.clone();
    let bridge = Bridge {
        services,
        number,
        timeout,
    };
    let path: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let id = segments.get(2).map(String::as_str).unwrap_or_default();
    match (method.as_str(), path.as_slice()) {
        ("POST", ["v1", "messages"]) => Ok(messages::send(bridge, json_of(payload)).await?.answer),
        ("PUT", ["v1", "messages", _]) => messages::mark_read(bridge, id, &json_of(payload)).await,
        ("POST", ["v1", "media"]) => media::upload(bridge, content_type, payload).await,
        ("GET", ["v1", "media", _]) => media::download(bridge, id).await,
        ("DELETE", ["v1", "media", _]) => media::delete(bridge, id).await,
        ("POST", ["v1", "contacts"]) => Ok(contacts::check(&json_of(payload), &version)),
        ("GET", ["v1", "settings", "business", "profile"]) => profile::business(bridge).await,
        ("POST", ["v1", "settings", "business", "profile"]) => {
            profile::set_business(bridge, &json_of(payload)).await
        }
        ("GET", ["v1", "settings", "profile", "about"]) => profile::about(bridge).await,
        ("PATCH" | "POST", ["v1", "settings", "profile", "about"]) => {
            profile::set_about(bridge, &json_of(payload)).await
        }
        ("GET", ["v1", "settings", "profile", "photo"]) => profile::photo(bridge).await,
        ("POST", ["v1", "settings", "profile", "photo"]) => {
            let image = match payload {
                Payload::Bytes(bytes) => bytes,
                Payload::Stream(_) => {
                    return Err(UpstreamError::BadAnswer("a photo must be sent whole"));
                }
            };
            profile::set_photo(bridge, content_type, image).await
        }
        _ => Err(UpstreamError::NoCloudTwin(format!(
            "{method} /{}",
            segments.join("/")
        ))),
    }
}
