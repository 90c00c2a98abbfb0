//! An answer in the On-Premises shape: JSON built by the bridge, or the bytes of a media
//! download streamed through.

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde_json::{Value, json};

use crate::Services;
use crate::cloud::graph::{self, Answer, Body as GraphBody, CloudNumber};
use crate::cloud::translate::answer_meta;
use crate::upstream::client::UpstreamError;

pub enum Body {
    Bytes(Bytes),
    Stream(reqwest::Response),
}

pub struct OnPremAnswer {
    pub status: u16,
    pub content_type: String,
    pub body: Body,
}

impl OnPremAnswer {
    pub fn json(status: u16, value: &Value) -> Self {
        OnPremAnswer {
            status,
            content_type: "application/json".into(),
            body: Body::Bytes(Bytes::from(value.to_string())),
        }
    }

    /// `{"meta": …}`: what an On-Premises client answered to a call with nothing to say.
    pub fn done(version: &str) -> Self {
        OnPremAnswer::json(200, &json!({"meta": answer_meta(version)}))
    }

    /// The Graph error of `answer` in the On-Premises `errors` shape, with its status. A
    /// refused access token is the provider's problem, not the partner's key: 502.
    pub fn graph_error(answer: &Answer, version: &str) -> Option<Self> {
        let error = answer.error.as_ref()?;
        let status = match answer.status {
            _ if error.needs_new_token() => 502,
            s if s >= 400 => s,
            _ => 400,
        };
        Some(OnPremAnswer::json(status, &error.answer(version)))
    }
}

/// Calls the Graph API for `number` and reads the answer: Meta's JSON, or Meta's error
/// already in the On-Premises shape.
pub(super) async fn ask(
    services: &Services,
    number: &CloudNumber,
    method: Method,
    url: reqwest::Url,
    body: GraphBody,
    timeout: Duration,
) -> Result<Result<Value, OnPremAnswer>, UpstreamError> {
    let http = services.upstreams.http();
    let response = graph::call(http, number, method, url, body, timeout).await?;
    let answer = graph::read(services, number, response).await?;
    Ok(
        match OnPremAnswer::graph_error(&answer, &number.app.graph_version) {
            Some(error) => Err(error),
            None => Ok(answer.json),
        },
    )
}

/// A call with nothing to say back: Meta's error, or the empty `{"meta": …}` answer.
pub(super) async fn perform(
    services: &Services,
    number: &CloudNumber,
    method: Method,
    url: reqwest::Url,
    body: GraphBody,
    timeout: Duration,
) -> Result<OnPremAnswer, UpstreamError> {
    let answer = ask(services, number, method, url, body, timeout).await?;
    let done = |_| OnPremAnswer::done(&number.app.graph_version);
    Ok(answer.map_or_else(|error| error, done))
}
