//! `GET` and `POST /v1/configs/webhook`, exactly as the seed shows: the partner sets where
//! notifications go (URL and extra headers); 200 echoes the stored configuration.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use domain::Actor;
use domain::projects::keys::KeyGrant;
use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::Gateway;
use super::envelope::ApiError;
use super::proxy::read_capped;

pub async fn handle(
    gateway: &Gateway,
    grant: &KeyGrant,
    request: Request,
) -> Result<Response, ApiError> {
    let up = domain::upstream::calls::project(&gateway.services, grant.project_id).await?;
    // The key acts for its project's organization, and is named in the audit log.
    let actor = Actor {
        user_id: None,
        label: format!("API key {}", grant.prefix),
        role: rules::Role::Partner,
        organization_id: Some(up.project.organization_id),
    };
    let method = request.method().clone();
    if method == Method::GET {
        return match domain::webhooks::config::get(&gateway.services, &actor, grant.project_id)
            .await?
        {
            Some(config) => Ok(echo(&config)),
            None => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "No webhook is configured yet. Set one with POST /v1/configs/webhook.",
                vec!["404".into()],
            )),
        };
    }
    if method != Method::POST {
        return Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Use GET to read or POST to set the webhook configuration.",
            vec!["405".into()],
        ));
    }
    let body = read_capped(request.into_body(), 64 * 1024).await?;
    let (url, headers) = parse(&body)?;
    let saved =
        domain::webhooks::config::set(&gateway.services, &actor, grant.project_id, &url, headers)
            .await?;
    Ok(echo(&saved.config))
}

fn echo(config: &domain::webhooks::config::WebhookConfig) -> Response {
    (
        StatusCode::OK,
        Json(json!({"url": config.url, "headers": config.headers})),
    )
        .into_response()
}

fn bad(message: impl Into<String>, field: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        message,
        vec!["400".into(), format!("field: {field}")],
    )
}

/// `{"url": string, "headers": {name: string}}`; headers are optional (an empty value
/// keeps the stored one: `domain::webhooks::config::merge_headers`).
fn parse(body: &[u8]) -> Result<(String, BTreeMap<String, String>), ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("The body is not valid JSON ({e})."),
            vec!["400".into()],
        )
    })?;
    let url = match &value["url"] {
        Value::String(u) => u.clone(),
        Value::Null => {
            return Err(bad(
                "'url' is required: the https URL that should receive notifications.",
                "url",
            ));
        }
        _ => return Err(bad("'url' must be a string.", "url")),
    };
    let mut headers = BTreeMap::new();
    match &value["headers"] {
        Value::Null => {}
        Value::Object(map) => {
            for (name, v) in map {
                let Value::String(v) = v else {
                    return Err(bad(
                        format!("The value of header '{name}' must be a string."),
                        &format!("headers.{name}"),
                    ));
                };
                headers.insert(name.clone(), v.clone());
            }
        }
        _ => {
            return Err(bad(
                "'headers' must be an object of header names to string values.",
                "headers",
            ));
        }
    }
    Ok((url, headers))
}
