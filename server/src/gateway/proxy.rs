//! Forwarding to the project's upstream: JSON bodies buffered (capped, replayable after a
//! re-login), media and other bodies streamed both ways, never held whole in memory. The
//! upstream's own answers pass through unchanged.

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use bytes::Bytes;
use domain::projects::keys::KeyGrant;
use futures::TryStreamExt;
use http::{HeaderValue, header};

use super::Gateway;
use super::envelope::ApiError;
use axum::response::IntoResponse;
use domain::cloud::bridge::answer::{Body as AnswerBody, OnPremAnswer};
use domain::cloud::bridge::routes::{self, Call};
use domain::upstream::client::{Access, Payload, Target};

/// Response headers worth passing back; hop-by-hop and upstream internals are dropped.
const PASSED_BACK: [header::HeaderName; 5] = [
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::CONTENT_DISPOSITION,
    header::CACHE_CONTROL,
    header::ETAG,
];

pub async fn forward(
    gateway: &Gateway,
    grant: &KeyGrant,
    segments: Vec<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let up = domain::upstream::calls::project(&gateway.services, grant.project_id).await?;
    let (parts, body) = request.into_parts();
    let path = format!("/{}", segments.join("/")).to_ascii_lowercase();
    let target = Target {
        segments,
        query: parts.uri.query().map(str::to_owned),
    };
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    let is_media = path.starts_with("/v1/media") || path.starts_with("/v1/settings/profile/photo");
    let timeout = if is_media {
        gateway.config.media_timeout
    } else {
        gateway.config.upstream_timeout
    };
    let cloud_photo = matches!(up.access, Access::Cloud(_))
        && path == "/v1/settings/profile/photo"
        && parts.method == http::Method::POST;
    let payload = if cloud_photo {
        // Meta's resumable upload needs the length first: the photo is read whole.
        let limit = domain::projects::profile::PHOTO_MAX_BYTES;
        Payload::Bytes(read_capped(body, limit).await?)
    } else if is_json || parts.method == http::Method::GET {
        Payload::Bytes(read_capped(body, gateway.config.json_limit).await?)
    } else {
        Payload::Stream(reqwest::Body::wrap_stream(body.into_data_stream()))
    };
    let started = std::time::Instant::now();
    let response = match &up.access {
        Access::Cloud(number) => {
            let content_type = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/octet-stream");
            let call = Call {
                method: parts.method.clone(),
                segments: &target.segments,
                content_type,
                payload,
                timeout,
            };
            let answer = routes::answer(&gateway.services, number, call).await?;
            gateway.metrics.upstream_latency(started.elapsed());
            return Ok(cloud_answer(answer));
        }
        Access::OnPremises { .. } => {
            gateway
                .services
                .upstreams
                .send(&up, parts.method, &target, &parts.headers, payload, timeout)
                .await?
        }
    };
    gateway.metrics.upstream_latency(started.elapsed());
    Ok(stream_back(response))
}

/// A Cloud number's answer in the On-Premises shape: JSON, or media streamed through.
fn cloud_answer(answer: OnPremAnswer) -> Response {
    let builder = Response::builder()
        .status(answer.status)
        .header(header::CONTENT_TYPE, answer.content_type);
    let body = match answer.body {
        AnswerBody::Bytes(bytes) => Body::from(bytes),
        AnswerBody::Stream(response) => {
            Body::from_stream(response.bytes_stream().map_err(std::io::Error::other))
        }
    };
    builder
        .body(body)
        .unwrap_or_else(|_| ApiError::internal().into_response())
}

/// Reads a body up to `limit` bytes, answering 413 beyond it.
pub async fn read_capped(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::too_large(limit))
}

/// The upstream's answer, status and body unchanged, body streamed.
pub fn stream_back(response: reqwest::Response) -> Response {
    let mut builder = Response::builder().status(response.status().as_u16());
    for name in PASSED_BACK {
        if let Some(v) = response
            .headers()
            .get(&name)
            .and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok())
        {
            builder = builder.header(name, v);
        }
    }
    let stream = response.bytes_stream().map_err(std::io::Error::other);
    builder
        .body(Body::from_stream(stream))
        .expect("a valid response")
}
