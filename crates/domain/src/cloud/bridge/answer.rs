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

/// A Cloud number's calls as the bridge makes them: the services, the number, and the
/// time each call may take.
#[derive(Clone, Copy)]
pub struct Bridge<'a> {
    pub services: &'a Services,
    pub number: &'a CloudNumber,
    pub timeout: Duration,
}

impl Bridge<'_> {
    /// Calls the Graph API and reads the answer: Meta's JSON, or Meta's error already in
    /// the On-Premises shape.
    pub(super) async fn ask(
        self,
        method: Method,
        url: reqwest::Url,
        body: GraphBody,
    ) -> Result<Result<Value, OnPremAnswer>, UpstreamError> {
        let Bridge {
            services,
            number,
            timeout,
        } = self;
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
        self,
        method: Method,
        url: reqwest::Url,
        body: GraphBody,
    ) -> Result<OnPremAnswer, UpstreamError> {
        let answer = self.ask(method, url, body).await?;
        let done = |_| OnPremAnswer::done(&self.number.app.graph_version);
        Ok(answer.map_or_else(|error| error, done))
    }
}
