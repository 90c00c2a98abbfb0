//! Media on a Cloud number: an upload streamed into Meta's multipart form, a download in
//! two calls (the media's short-lived URL, then its bytes with the same token) streamed
//! back with Meta's `mime_type`, and deletion.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use super::answer::{Body as AnswerBody, Bridge, OnPremAnswer};
use crate::cloud::graph::{Body, CloudNumber};
use crate::cloud::translate::answer_meta;
use crate::upstream::client::{Payload, UpstreamError, network_error};

/// `POST /v1/media`: the body (as the partner streams it) is the file, `content_type` its type.
pub async fn upload(
    bridge: Bridge<'_>,
    content_type: &str,
    payload: Payload,
) -> Result<OnPremAnswer, UpstreamError> {
    let body = match payload {
        Payload::Bytes(bytes) => reqwest::Body::from(bytes),
        Payload::Stream(stream) => stream,
    };
    let extension = content_type.rsplit('/').next().unwrap_or("bin");
    let file = Part::stream(body)
        .file_name(format!("upload.{extension}"))
        .mime_str(content_type)
        .map_err(|_| UpstreamError::NoCloudTwin(format!("A file of type '{content_type}'")))?;
    let form = Form::new()
        .text("messaging_product", "whatsapp")
        .text("type", content_type.to_owned())
        .part("file", file);
    let number = bridge.number;
    let url = number.url(&[&number.phone_number_id, "media"])?;
    let version = &number.app.graph_version;
    let answer = match bridge.ask(Method::POST, url, Body::Form(form)).await? {
        Ok(json) => json,
        Err(error) => return Ok(error),
    };
    let id = answer["id"].clone();
    Ok(OnPremAnswer::json(
        200,
        &json!({"media": [{"id": id}], "meta": answer_meta(version)}),
    ))
}

/// The URL of `media_id` for this number.
fn media_url(number: &CloudNumber, media_id: &str) -> Result<reqwest::Url, UpstreamError> {
    let mut url = number.url(&[media_id])?;
    url.query_pairs_mut()
        .append_pair("phone_number_id", &number.phone_number_id);
    Ok(url)
}

/// `GET /v1/media/{id}`: the bytes, streamed, typed as Meta says.
pub async fn download(bridge: Bridge<'_>, media_id: &str) -> Result<OnPremAnswer, UpstreamError> {
    let url = media_url(bridge.number, media_id)?;
    let answer = match bridge.ask(Method::GET, url, Body::None).await? {
        Ok(json) => json,
        Err(error) => return Ok(error),
    };
    let (Some(file_url), mime) = (
        answer["url"].as_str(),
        answer["mime_type"]
            .as_str()
            .unwrap_or("application/octet-stream"),
    ) else {
        return Err(UpstreamError::BadAnswer("the media answer had no url"));
    };
    let file_url =
        reqwest::Url::parse(file_url).map_err(|_| UpstreamError::BadAnswer("a bad media url"))?;
    let file = bridge
        .services
        .upstreams
        .http()
        .get(file_url)
        .bearer_auth(&bridge.number.access_token)
        .timeout(bridge.timeout)
        .send()
        .await
        .map_err(|e| network_error(&e, "downloading media"))?;
    if !file.status().is_success() {
        return Err(UpstreamError::BadAnswer("the media download was refused"));
    }
    Ok(OnPremAnswer {
        status: 200,
        content_type: mime.to_owned(),
        body: AnswerBody::Stream(file),
    })
}

/// `DELETE /v1/media/{id}`.
pub async fn delete(bridge: Bridge<'_>, media_id: &str) -> Result<OnPremAnswer, UpstreamError> {
    let url = media_url(bridge.number, media_id)?;
    bridge.perform(Method::DELETE, url, Body::None).await
}
