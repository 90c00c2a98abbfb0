//! Calls to a project's upstream on behalf of the console and the gateway: the project's
//! upstream settings (cached briefly), JSON and raw calls whose refusals become plain
//! messages, and a fresh login to check the stored credentials.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{self, HeaderMap};

use crate::projects::settings;
use crate::upstream::client::{Payload, Target, Upstream, UpstreamError, network_error};
use crate::webhooks::inbound;
use crate::{Actor, Services};

/// The project's upstream settings, cached briefly.
pub async fn project(services: &Services, id: i64) -> Result<Arc<Upstream>, crate::Error> {
    services
        .upstreams
        .projects
        .get_or_load(id, &services.changes, async {
            Ok(Arc::new(settings::upstream(services, id).await?))
        })
        .await
}

/// The failure in plain words for the console.
pub fn plain(e: UpstreamError) -> crate::Error {
    use crate::Error;
    match e {
        UpstreamError::Domain(e) => e,
        UpstreamError::LoginRefused(status) => Error::Upstream(format!("The WhatsApp client refused the project's stored login (answer {status}). Check the upstream username and password.")),
        UpstreamError::Timeout(_) => Error::Upstream("The WhatsApp client did not answer in time. Try again in a moment.".into()),
        UpstreamError::Unreachable(_) => Error::Upstream("The WhatsApp client could not be reached. Check the project's upstream URL and that the client is running.".into()),
        other => Error::Upstream(format!("The WhatsApp client gave an unexpected answer ({other}).")),
    }
}

/// A call to a project's upstream for the console: the answer's content type and bytes on
/// success; a refusal becomes a plain message.
pub async fn call_raw(
    services: &Services,
    project_id: i64,
    method: Method,
    path: &str,
    content_type: &str,
    body: Bytes,
) -> crate::Result<(String, Bytes)> {
    let up = project(services, project_id).await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        content_type
            .parse()
            .map_err(|_| crate::Error::field("photo", "Unsupported content type."))?,
    );
    let response = services
        .upstreams
        .send(
            &up,
            method,
            &Target::path(path),
            &headers,
            Payload::Bytes(body),
            Duration::from_secs(15),
        )
        .await
        .map_err(plain)?;
    let status = response.status();
    let answer_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| plain(network_error(&e, "reading its answer")))?;
    if !status.is_success() {
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let detail = value["errors"][0]["details"]
            .as_str()
            .or(value["errors"][0]["title"].as_str())
            .unwrap_or("no details")
            .to_owned();
        return Err(crate::Error::Upstream(format!(
            "The WhatsApp client refused the request ({}): {detail}",
            status.as_u16()
        )));
    }
    Ok((answer_type, bytes))
}

/// A JSON call to a project's upstream for the console.
pub async fn call(
    services: &Services,
    project_id: i64,
    method: Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> crate::Result<serde_json::Value> {
    let body = Bytes::from(body.map(|b| b.to_string()).unwrap_or_default());
    let (_, answer) =
        call_raw(services, project_id, method, path, "application/json", body).await?;
    Ok(serde_json::from_slice(&answer).unwrap_or(serde_json::Value::Null))
}

/// Whether the gateway can log in to the project's upstream now (a fresh login).
pub async fn check_login(services: &Services, project_id: i64) -> crate::Result<()> {
    let up = project(services, project_id).await?;
    services
        .upstreams
        .can_log_in(&up, Duration::from_secs(10))
        .await
        .map_err(plain)
}

/// Makes the project's upstream send its notifications to the project's inbound URL under
/// `public_url` (admins); the URL it was given.
pub async fn point_callback_here(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    public_url: &str,
) -> crate::Result<String> {
    let url = inbound::url(services, actor, project_id, public_url).await?;
    let body = serde_json::json!({"webhooks": {"url": url}});
    call(
        services,
        project_id,
        Method::PATCH,
        "/v1/settings/application",
        Some(body),
    )
    .await?;
    Ok(url)
}
