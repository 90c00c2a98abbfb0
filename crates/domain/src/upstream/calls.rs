//! Calls to a project's upstream on behalf of the console and the gateway: the project's
//! upstream settings (cached briefly), JSON and raw calls whose refusals become plain
//! messages, and a fresh login to check the stored credentials.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{self, HeaderMap};

use crate::cloud::bridge::answer::Body as AnswerBody;
use crate::cloud::bridge::routes::{self, Call};
use crate::cloud::graph::CloudNumber;
use crate::projects::settings;
use crate::upstream::client::{Access, Payload, Target, Upstream, UpstreamError, network_error};
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
    if let Access::Cloud(number) = &up.access {
        return call_cloud(services, number, method, path, content_type, body).await;
    }
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
        .map_err(UpstreamError::plain)?;
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
        .map_err(|e| UpstreamError::plain(network_error(&e, "reading its answer")))?;
    refused(status.as_u16(), &bytes)?;
    Ok((answer_type, bytes))
}

/// An On-Premises error answer (`errors[0]`) as a plain message.
fn refused(status: u16, bytes: &[u8]) -> crate::Result<()> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
    let detail = value["errors"][0]["details"]
        .as_str()
        .or(value["errors"][0]["title"].as_str())
        .unwrap_or("no details")
        .to_owned();
    Err(crate::Error::Upstream(format!(
        "WhatsApp refused the request ({status}): {detail}"
    )))
}

/// The same call answered by a Cloud number (the bridge makes it a Cloud API call).
async fn call_cloud(
    services: &Services,
    number: &CloudNumber,
    method: Method,
    path: &str,
    content_type: &str,
    body: Bytes,
) -> crate::Result<(String, Bytes)> {
    let segments = Target::path(path).segments;
    let call = Call {
        method,
        segments: &segments,
        content_type,
        payload: Payload::Bytes(body),
        timeout: Duration::from_secs(15),
    };
    let answer = routes::answer(services, number, call)
        .await
        .map_err(UpstreamError::plain)?;
    let bytes = match answer.body {
        AnswerBody::Bytes(bytes) => bytes,
        AnswerBody::Stream(response) => response
            .bytes()
            .await
            .map_err(|e| UpstreamError::plain(network_error(&e, "reading its answer")))?,
    };
    refused(answer.status, &bytes)?;
    Ok((answer.content_type, bytes))
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

/// Whether the gateway can reach the project's number now: a fresh login to an
/// On-Premises client, or a `GET /{phone-number-id}` with a Cloud number's token.
pub async fn check_login(services: &Services, project_id: i64) -> crate::Result<()> {
    let up = project(services, project_id).await?;
    match &up.access {
        Access::Cloud(number) => crate::cloud::graph::check_number(services, number)
            .await
            .map(|_| ()),
        Access::OnPremises { .. } => services
            .upstreams
            .can_log_in(&up, Duration::from_secs(10))
            .await
            .map_err(UpstreamError::plain),
    }
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
    if let Access::Cloud(_) = &project(services, project_id).await?.access {
        return Err(crate::Error::Upstream(
            "A Cloud number's notifications come through its Meta app's callback URL (see the \
             Meta apps page), not through the project's inbound URL."
                .into(),
        ));
    }
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
