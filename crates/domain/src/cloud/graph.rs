//! Calls to Meta's Graph API for a Cloud number: `{graph}/{version}/{node}/…` with the
//! number's access token as a Bearer token. A Graph error answer is read into a
//! [`GraphError`]; one that says the token is expired or lacks permission (190, 10, 200)
//! marks the project as needing a new token, shown in the console.

use std::time::Duration;

use reqwest::{Method, Response};
use serde_json::Value;

use crate::cloud::apps::MetaApp;
use crate::cloud::translate::GraphError;
use crate::platform::db::now_ms;
use crate::upstream::client::{UpstreamError, network_error};
use crate::{Result, Services};

/// A Cloud project's number in Meta's systems, with the token to call for it.
#[derive(Clone)]
pub struct CloudNumber {
    pub project_id: i64,
    pub app: MetaApp,
    pub phone_number_id: String,
    pub waba_id: String,
    pub access_token: String,
    /// Whether the project was marked as needing a new token when this was read: only
    /// then does a call that works clear the mark (no write on every send).
    pub token_problem: bool,
    /// How Meta stood on the number when last read (none before the first read).
    pub health: Option<rules::projects::health::NumberHealth>,
    /// The admins' warm-up plan for it, if any.
    pub warmup: Option<rules::projects::warmup::WarmUp>,
    /// When its template library was last read whole from Meta (none: never).
    pub templates_synced_at: Option<i64>,
}

impl std::fmt::Debug for CloudNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudNumber")
            .field("project_id", &self.project_id)
            .field("phone_number_id", &self.phone_number_id)
            .field("access_token", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// What a call sends.
pub enum Body {
    None,
    Json(Value),
    Form(reqwest::multipart::Form),
    Bytes(bytes::Bytes, &'static str),
}

impl CloudNumber {
    /// Meta's throughput level as last read (STANDARD, HIGH; empty before the first read).
    pub fn throughput_level(&self) -> &str {
        self.health.as_ref().map_or("", |h| h.throughput.as_str())
    }

    /// `{graph}/{version}/{segments…}`, each segment percent-encoded.
    pub fn url(&self, segments: &[&str]) -> std::result::Result<reqwest::Url, UpstreamError> {
        let base = format!(
            "{}/{}",
            self.app.graph_url.trim_end_matches('/'),
            self.app.graph_version
        );
        let mut url = reqwest::Url::parse(&base).map_err(|_| UpstreamError::BadUrl)?;
        url.path_segments_mut()
            .map_err(|_| UpstreamError::BadUrl)?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// What the trace shows of a call: method and URL, never the token.
    pub fn describe(&self, method: &Method, segments: &[&str]) -> String {
        let url = self
            .url(segments)
            .map(|u| u.to_string())
            .unwrap_or_default();
        format!("{method} {url} (Bearer token, not shown)")
    }
}

/// Calls the Graph API for `number`.
pub async fn call(
    http: &reqwest::Client,
    number: &CloudNumber,
    method: Method,
    url: reqwest::Url,
    body: Body,
    timeout: Duration,
) -> std::result::Result<Response, UpstreamError> {
    let mut request = http
        .request(method, url)
        .bearer_auth(&number.access_token)
        .timeout(timeout);
    request = match body {
        Body::None => request,
        Body::Json(value) => request.json(&value),
        Body::Form(form) => request.multipart(form),
        Body::Bytes(bytes, content_type) => request
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(bytes),
    };
    request
        .send()
        .await
        .map_err(|e| network_error(&e, "calling the Cloud API"))
}

/// An answer read whole: status, JSON body (or `Null`), and the Graph error in it if any.
pub struct Answer {
    pub status: u16,
    pub json: Value,
    pub raw: bytes::Bytes,
    pub error: Option<GraphError>,
}

/// Reads an answer; records a token problem on the project when Meta says so.
pub async fn read(
    services: &Services,
    number: &CloudNumber,
    response: Response,
) -> std::result::Result<Answer, UpstreamError> {
    let status = response.status().as_u16();
    let raw = response
        .bytes()
        .await
        .map_err(|e| network_error(&e, "reading the Cloud API's answer"))?;
    let json: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    let error = GraphError::parse(&json);
    if let Some(e) = error.as_ref().filter(|e| e.needs_new_token()) {
        if let Err(db) = record_token_problem(services, number.project_id, e).await {
            tracing::warn!(error = %db.report(), "could not record the token problem");
        }
    }
    Ok(Answer {
        status,
        json,
        raw,
        error,
    })
}

/// Marks the project's token as needing replacement, with Meta's words.
pub async fn record_token_problem(
    services: &Services,
    project_id: i64,
    error: &GraphError,
) -> Result<()> {
    let problem = format!(
        "Meta refused the access token (error {}): {}. Give the project a new system-user token.",
        error.code, error.message
    );
    sqlx::query("UPDATE projects SET token_problem = $1, updated_at = $2 WHERE id = $3")
        .bind(problem)
        .bind(now_ms())
        .bind(project_id)
        .execute(services.db.pool())
        .await?;
    services.changes.bump();
    Ok(())
}

/// Clears the project's token problem after a call that worked.
pub async fn clear_token_problem(services: &Services, project_id: i64) -> Result<()> {
    let cleared = sqlx::query(
        "UPDATE projects SET token_problem = NULL WHERE id = $1 AND token_problem IS NOT NULL",
    )
    .bind(project_id)
    .execute(services.db.pool())
    .await?;
    if cleared.rows_affected() > 0 {
        services.changes.bump();
    }
    Ok(())
}

/// The number as Meta describes it (`GET /{phone-number-id}`): proof that the token works,
/// and what the console shows of the number's health. A refusal is a plain message.
pub async fn check_number(services: &Services, number: &CloudNumber) -> Result<Value> {
    let mut url = number
        .url(&[&number.phone_number_id])
        .map_err(UpstreamError::plain)?;
    url.query_pairs_mut()
        .append_pair("fields", rules::projects::health::FIELDS);
    let http = services.upstreams.http();
    let timeout = Duration::from_secs(10);
    let response = call(http, number, Method::GET, url, Body::None, timeout)
        .await
        .map_err(UpstreamError::plain)?;
    let answer = read(services, number, response)
        .await
        .map_err(UpstreamError::plain)?;
    if let Some(e) = answer.error {
        return Err(crate::Error::Upstream(format!(
            "Meta refused the number's access token or id: {}",
            e.details_text()
        )));
    }
    clear_token_problem(services, number.project_id).await?;
    Ok(answer.json)
}
