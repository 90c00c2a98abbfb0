//! The business profile, "about" and photo on a Cloud number: one Cloud object
//! (`/{phone-number-id}/whatsapp_business_profile`) behind three On-Premises endpoints;
//! a new photo goes through Meta's resumable upload (under the app id) first.

use bytes::Bytes;
use reqwest::Method;
use serde_json::{Value, json};

use super::answer::{Body as AnswerBody, Bridge, OnPremAnswer};
use crate::cloud::graph::{self, Body};
use crate::upstream::client::{UpstreamError, network_error};

const FIELDS: &str = "about,address,description,email,profile_picture_url,websites,vertical";

/// The Cloud profile (read as Meta's file nests it, `data[].business_profile`, or flat),
/// or the error answer.
async fn read(bridge: Bridge<'_>) -> Result<Result<Value, OnPremAnswer>, UpstreamError> {
    let number = bridge.number;
    let mut url = number.url(&[&number.phone_number_id, "whatsapp_business_profile"])?;
    url.query_pairs_mut().append_pair("fields", FIELDS);
    let answer = bridge.ask(Method::GET, url, Body::None).await?;
    Ok(answer.map(|json| {
        let item = &json["data"][0];
        item.get("business_profile").unwrap_or(item).clone()
    }))
}

async fn write(
    bridge: Bridge<'_>,
    mut fields: serde_json::Map<String, Value>,
) -> Result<OnPremAnswer, UpstreamError> {
    fields.insert("messaging_product".into(), json!("whatsapp"));
    let number = bridge.number;
    let url = number.url(&[&number.phone_number_id, "whatsapp_business_profile"])?;
    let body = Body::Json(Value::Object(fields));
    bridge.perform(Method::POST, url, body).await
}

/// `GET /v1/settings/business/profile`.
pub async fn business(bridge: Bridge<'_>) -> Result<OnPremAnswer, UpstreamError> {
    let answer = |profile: Value| {
        let shown = json!({
            "address": profile["address"].as_str().unwrap_or_default(),
            "description": profile["description"].as_str().unwrap_or_default(),
            "email": profile["email"].as_str().unwrap_or_default(),
            "vertical": profile["vertical"].as_str().unwrap_or("UNDEFINED"),
            "websites": profile["websites"].as_array().cloned().unwrap_or_default(),
        });
        OnPremAnswer::json(200, &json!({"settings": {"business": {"profile": shown}}}))
    };
    Ok(read(bridge).await?.map_or_else(|error| error, answer))
}

/// `POST /v1/settings/business/profile`: the same fields; On-Premises-only verticals
/// (`UNDEFINED`, `NOT_A_BIZ`) become Cloud's `OTHER`.
pub async fn set_business(bridge: Bridge<'_>, body: &Value) -> Result<OnPremAnswer, UpstreamError> {
    let mut fields = serde_json::Map::new();
    for key in ["address", "description", "email", "websites", "vertical"] {
        if let Some(value) = body.get(key) {
            fields.insert(key.into(), value.clone());
        }
    }
    if matches!(
        fields.get("vertical").and_then(Value::as_str),
        Some("UNDEFINED" | "NOT_A_BIZ" | "")
    ) {
        fields.insert("vertical".into(), json!("OTHER"));
    }
    write(bridge, fields).await
}

/// `GET /v1/settings/profile/about`.
pub async fn about(bridge: Bridge<'_>) -> Result<OnPremAnswer, UpstreamError> {
    let answer = |profile: Value| {
        let text = profile["about"].as_str().unwrap_or_default();
        OnPremAnswer::json(
            200,
            &json!({"settings": {"profile": {"about": {"text": text}}}}),
        )
    };
    Ok(read(bridge).await?.map_or_else(|error| error, answer))
}

/// `PATCH /v1/settings/profile/about` with `{"text": …}`.
pub async fn set_about(bridge: Bridge<'_>, body: &Value) -> Result<OnPremAnswer, UpstreamError> {
    let mut fields = serde_json::Map::new();
    fields.insert("about".into(), body["text"].clone());
    write(bridge, fields).await
}

/// `GET /v1/settings/profile/photo`: the picture itself, from Meta's `profile_picture_url`.
pub async fn photo(bridge: Bridge<'_>) -> Result<OnPremAnswer, UpstreamError> {
    let profile = match read(bridge).await? {
        Ok(profile) => profile,
        Err(error) => return Ok(error),
    };
    let Some(url) = profile["profile_picture_url"]
        .as_str()
        .filter(|u| !u.is_empty())
    else {
        let none = json!({"errors": [{"code": 1006, "title": "Resource not found",
            "details": "The business profile has no photo."}]});
        return Ok(OnPremAnswer::json(404, &none));
    };
    let url = reqwest::Url::parse(url).map_err(|_| UpstreamError::BadAnswer("a bad photo url"))?;
    let picture = bridge
        .services
        .upstreams
        .http()
        .get(url)
        .timeout(bridge.timeout)
        .send()
        .await
        .map_err(|e| network_error(&e, "downloading the profile photo"))?;
    let content_type = picture
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("image/jpeg")
        .to_owned();
    Ok(OnPremAnswer {
        status: picture.status().as_u16(),
        content_type,
        body: AnswerBody::Stream(picture),
    })
}

/// `POST /v1/settings/profile/photo` (the image as the body): Meta's resumable upload
/// under the app id gives a handle, which becomes the profile's picture.
pub async fn set_photo(
    bridge: Bridge<'_>,
    content_type: &str,
    image: Bytes,
) -> Result<OnPremAnswer, UpstreamError> {
    let Bridge {
        services,
        number,
        timeout,
    } = bridge;
    let mut session = number.url(&[&number.app.app_id, "uploads"])?;
    session
        .query_pairs_mut()
        .append_pair("file_length", &image.len().to_string())
        .append_pair("file_type", content_type);
    let answer = match bridge.ask(Method::POST, session, Body::None).await? {
        Ok(json) => json,
        Err(error) => return Ok(error),
    };
    let Some(upload) = answer["id"].as_str() else {
        return Err(UpstreamError::BadAnswer("the upload session had no id"));
    };
    let url = number.url(&[upload])?;
    let sent = services
        .upstreams
        .http()
        .post(url)
        .header(
            reqwest::header::AUTHORIZATION,
            format!("OAuth {}", number.access_token),
        )
        .header("file_offset", "0")
        .timeout(timeout)
        .body(image)
        .send()
        .await
        .map_err(|e| network_error(&e, "uploading the profile photo"))?;
    let answer = graph::read(services, number, sent).await?;
    if let Some(error) = OnPremAnswer::graph_error(&answer, &number.app.graph_version) {
        return Ok(error);
    }
    let Some(handle) = answer.json["h"].as_str() else {
        return Err(UpstreamError::BadAnswer("the upload gave no handle"));
    };
    let mut fields = serde_json::Map::new();
    fields.insert("profile_picture_handle".into(), json!(handle));
    write(bridge, fields).await
}
